"""Translations and the formatting of money and dates.

Texts are written in English in the code and translated in `locales/<lang>/LC_MESSAGES/messages.po`;
Vietnamese is every user's default. The language of the person being answered is held in a context
variable, set once per incoming message, so text functions can call `_()` without passing it around.

So is the word the Vietnamese texts call that person by (User.address): the catalog says "ban" (you), and a
person who would rather be called "Bac", "Anh" or "Chi" hears that word in its place, in every text, changed
here once rather than in each message. A group chat, or a message meant for several people, keeps "ban".
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import LazyProxy, NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LANGUAGE = "vi"
BABEL_LOCALES = {"vi": "vi_VN", "en": "en_US"}
# Each language named in itself, as Babel's locale data writes it ("Tiếng Việt", "English").
LANGUAGES = {code: Locale.parse(locale).language_name for code, locale in BABEL_LOCALES.items()}


_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)
_address: ContextVar[str | None] = ContextVar("address", default=None)

# How a person may be called (User.address). Each label is, in the Vietnamese catalog, the very word put in
# place of "ban" in the texts; "ban" is the catalog's own word, everyone's until they choose.
DEFAULT_ADDRESS = "ban"
ADDRESSES: dict[str, Callable[[], str]] = {
    "bac": lambda: _("As an elder (Bac)"),
    "anh": lambda: _("As an older man (Anh)"),
    "chi": lambda: _("As an older woman (Chi)"),
    DEFAULT_ADDRESS: lambda: _("As a friend (Ban)"),
}
# "ban" not followed by "be": "ban be" means friends, not you. tests/core/test_i18n.py lists the catalog's.
_NOT_YOU_AFTER = r"(?!\s+b\u00e8\b)"


@cache
def translations(language: str) -> NullTranslations:
    po_file = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_file.exists():
        return NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    # Compiled in memory, so a .po edit never runs against a stale .mo.
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def _(message: str) -> str:
    code = _language.get()
    text = translations(code).gettext(message)
    address = _address.get()
    if address is None or address == DEFAULT_ADDRESS or code != DEFAULT_LANGUAGE:
        return text
    return _calling(text, address)


@lru_cache(maxsize=4096)
def _calling(text: str, address: str) -> str:
    """A Vietnamese text with "ban"/"Ban" (you) made the person's word, its capital kept at a sentence's start.
    Kept per text: a person's next message mostly needs the same texts."""
    word = address_word(address)
    return _you().sub(lambda found: word.capitalize() if found.group(1).isupper() else word, text)


@cache
def _you() -> re.Pattern[str]:
    default = address_word(DEFAULT_ADDRESS)
    first = re.escape(default[0].upper() + default[0])
    return re.compile(rf"\b([{first}]){re.escape(default[1:])}\b{_NOT_YOU_AFTER}")


@cache
def address_word(address: str) -> str:
    """'bac' -> 'bac' with its marks: the Vietnamese word for that way of calling a person, lower case."""
    with language(DEFAULT_LANGUAGE):
        return address_label(address).lower()


def address_label(address: str) -> str:
    """The choice's label for a way of calling the person, as written in the catalog (not itself changed by
    the address of the person reading it)."""
    token = _address.set(None)
    try:
        return ADDRESSES.get(address, ADDRESSES[DEFAULT_ADDRESS])()
    finally:
        _address.reset(token)


def lazy(text: Callable[[], str]) -> str:
    """A text for a table of texts (`ASK_FUND = lazy(lambda: _("Which fund?"))`): translated each time it is used,
    in the language of the person then being answered, not once when the module is imported.

    It is a Babel LazyProxy, typed as the str it stands for: formatting (`.format`, f-strings, `+`) gives a
    str; `Reply`, `Choice` and `Question` turn it into one, so what is kept or sent is always plain text."""
    return LazyProxy(text, enable_cache=False)  # type: ignore[return-value]


# Marks drawn in replies and sheets. They are in the catalogs with the words, so a translation can pick marks
# its readers' phones can show; looked up once, in the default language, as the catalogs shipped keep them.
TICK, CROSS, BULLET = _("\N{CHECK MARK}"), _("\N{BALLOT X}"), _("\N{BULLET}")
ARROW, DASH = _("\N{RIGHTWARDS ARROW}"), _("\N{EM DASH}")
BLANK_TO_FILL = _("\N{HORIZONTAL ELLIPSIS}") * 10  # a line left for a name to be written by hand
# Babel puts a no-break space between the amount and "₫"; chat clients wrap plain ones just as well.
_NO_BREAK_SPACE = {0x00A0: " "}


def current_language() -> str:
    return _language.get()


@contextmanager
def language(code: str | None, address: str | None = None):
    """Texts in this language, calling the person by `address` (None: "ban", as to a group or to anyone)."""
    token = _language.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)
    address_token = _address.set(address)
    try:
        yield
    finally:
        _address.reset(address_token)
        _language.reset(token)


def babel_locale() -> str:
    return BABEL_LOCALES[_language.get()]


def money(amount: int) -> str:
    """1500000 -> '1.500.000' and the dong sign after it (Vietnamese), or the sign then '1,500,000'
    (English)."""
    return format_currency(amount, "VND", locale=babel_locale()).translate(_NO_BREAK_SPACE)


def number(value: int) -> str:
    return format_decimal(value, locale=babel_locale())


def day(value: date) -> str:
    """date(2025, 6, 5) -> '05/06/2025'."""
    return babel_format_date(value, "dd/MM/yyyy", locale=babel_locale())


def day_month(value: date) -> str:
    """date(2025, 6, 5) -> '05/06': a day of this year, as people type it."""
    return babel_format_date(value, "dd/MM", locale=babel_locale())


def local_day(at: datetime | date, zone: ZoneInfo) -> date:
    """The local calendar day of a stored moment. Stored times are UTC; SQLite gives them back naive."""
    if not isinstance(at, datetime):
        return at
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(zone).date()


def period_name(code: str) -> str:
    """'2027-H1' -> 'the first half of 2027', '2026' -> 'the year 2026': a reporting period as a commune official
    says it. A half-year is named after the year it ends in (2027-H1 runs December 2026 - May 2027); the code
    stays for typing and the command line."""
    year = code[:4]
    if code.endswith("-H1"):
        return _("the first half of {year}").format(year=year)
    if code.endswith("-H2"):
        return _("the second half of {year}").format(year=year)
    return _("the year {year}").format(year=year)
