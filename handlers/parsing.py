"""Reading what people type: amounts, dates, birth years, member lines.

Each parser returns a value or raises `InputError` with a message that says how to type it instead.
The words recognised here are the ones people type; the messages go through gettext.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from handlers.core import Choice, suggestion
from handlers.i18n import _, day, day_month, money
from storage.dates import EVER, EVER_SINCE, FOUNDED, JOINED, LEFT, RECORDS, Earliest, Latest
from storage.members import NewMember
from storage.models import (
    ACTIVITY_FUND,
    BETTER_OFF,
    CAPITAL,
    DONATION,
    EXTRA,
    FEMALE,
    INCOME_FUND,
    MALE,
    MONTHLY_FEE,
    NEAR_POOR,
    POOR,
)
from storage.money_rules import MAX_RATE_BP, MAX_TERM_MONTHS
from storage.names import clean, fold
from storage.periods import half_year_of


class InputError(ValueError):
    """Input that cannot be used; the message tells the person what to type instead. `choices`, when given,
    replace the question's choices for the next answer (the names that come nearest, to pick from)."""

    def __init__(self, message: str, choices: Sequence[Choice] | None = None):
        super().__init__(message)
        self.choices = choices


# --- money ------------------------------------------------------------------------------------------

MIN_AMOUNT = 1_000
MAX_AMOUNT = 1_000_000_000  # one billion đồng: far above anything a village club handles at once

_UNITS = {
    "k": 1_000,
    "nghin": 1_000,
    "ngan": 1_000,
    "ng": 1_000,
    "tr": 1_000_000,
    "trieu": 1_000_000,
    "m": 1_000_000,
    "ty": 1_000_000_000,
    "ti": 1_000_000_000,
}
# After `fold` (which makes "đồng" "dong" and "đ" "d"); \u20ab is the đồng sign.
_CURRENCY = re.compile(r"(vnd|dong|d|\u20ab)$")
_AMOUNT = re.compile(r"^(\d+(?:[.,]\d+)*)(k|nghin|ngan|ng|trieu|tr|m|ty|ti)?(\d*)$")


def parse_amount(text: str) -> int:
    """'500k', '1tr5', '1,5 trieu', '1.500.000 VND' -> integer dong."""
    raw = clean(text)
    compact = _CURRENCY.sub("", fold(raw).replace(" ", ""))
    match = _AMOUNT.match(compact)
    if not match:
        raise InputError(
            _('I could not read "{text}" as an amount. Type it like 500000, 500k or 1tr5.').format(text=raw[:40])
        )
    number, unit, tail = match.groups()
    if unit is None:
        value = _whole_number(number)
    else:
        if tail and ("," in number or "." in number):
            raise InputError(
                _('"{text}" mixes two ways of writing an amount. Type 1tr5 or 1,5 triệu.').format(text=raw[:40])
            )
        value = _scaled(number + ("." + tail if tail else ""), _UNITS[unit])
    if value == 0:
        raise InputError(_("The amount must be more than 0. Type it like 500k or 1tr5."))
    if value < MIN_AMOUNT:
        meant = max(value, 1) * 1000
        raise InputError(
            _("{amount} is too small. Did you mean {suggestion}? Choose it, or type it like 500k.").format(
                amount=money(value), suggestion=money(meant)
            ),
            [suggestion(str(meant), money(meant))],
        )
    if value > MAX_AMOUNT:
        raise InputError(
            _("That is more than the bot accepts at once ({limit}). Check the number.").format(limit=money(MAX_AMOUNT))
        )
    return value


def _whole_number(number: str) -> int:
    """'500000', '500.000' or '500,000'; a lone decimal mark ('1,5') needs a unit to mean anything."""
    groups = re.split(r"[.,]", number)
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise InputError(_('"{text}" is not a clear amount. Type 1500000, 1.500.000 or 1tr5.').format(text=number))
    return int("".join(groups))


def _scaled(number: str, unit: int) -> int:
    groups = re.split(r"[.,]", number)
    if len(groups) > 2 and all(len(g) == 3 for g in groups[1:]):
        quantity = Decimal("".join(groups))
    elif len(groups) == 2 and len(groups[1]) == 3 and unit == 1_000:
        quantity = Decimal("".join(groups))  # '1.500k' is fifteen hundred thousand
    elif len(groups) <= 2:
        quantity = Decimal(".".join(groups))
    else:
        raise InputError(_('"{text}" is not a clear amount. Type 1500000, 1.500.000 or 1tr5.').format(text=number))
    value = quantity * unit
    if value != value.to_integral_value():
        raise InputError(_("An amount must be whole đồng. Type it like 1tr5 or 1.500.000."))
    return int(value)


# --- dates ------------------------------------------------------------------------------------------

_TODAY_WORDS = ("hom nay", "today", "nay")
_YESTERDAY_WORDS = ("hom qua", "yesterday", "qua")
_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")


_DAY_BEFORE_WORDS = ("hom kia", "hom qua nua")
# Monday is 0, as date.weekday() counts.
_WEEKDAYS = {"thu hai": 0, "thu 2": 0, "t2": 0, "thu ba": 1, "thu 3": 1, "t3": 1, "thu tu": 2, "thu 4": 2, "t4": 2}
_WEEKDAYS |= {"thu nam": 3, "thu 5": 3, "t5": 3, "thu sau": 4, "thu 6": 4, "t6": 4, "thu bay": 5, "thu 7": 5, "t7": 5}
_WEEKDAYS |= {"chu nhat": 6, "cn": 6}
_LAST_WEEK, _THIS_WEEK, _LATEST = ("tuan truoc", "tuan roi"), ("tuan nay",), ("vua roi", "vua qua", "roi", "truoc")
_WEEKDAY = re.compile(r"^(?P<day>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")(?: (?P<which>.+))?$")


def _weekday(text: str, key: str, today: date) -> date | None:
    """'thu hai tuan truoc', 'chu nhat vua roi', 'thu 5 tuan nay': one day, or None when it is not such a form.
    A weekday alone could be this week's or last week's: it is asked back, never guessed."""
    match = _WEEKDAY.match(key)
    if not match:
        return None
    wanted, which = _WEEKDAYS[match["day"]], match["which"]
    monday = today - timedelta(days=today.weekday())
    if which in _LAST_WEEK:
        return monday - timedelta(days=7 - wanted)
    if which in _THIS_WEEK:
        return monday + timedelta(days=wanted)
    if which in _LATEST:
        return today - timedelta(days=(today.weekday() - wanted - 1) % 7 + 1)
    raise InputError(
        _('Which day is "{text}"? Type, for example, "thứ hai tuần trước", "chủ nhật vừa rồi", or the date.').format(
            text=clean(text)[:40]
        )
    )


def date_examples(today: date) -> str:
    """How a date may be typed, shown with yesterday's: 'hom qua, 22/11 or 22/11/2026' on 23 November 2026. The
    examples are of this week, never of a year that would puzzle the person."""
    yesterday = today - timedelta(days=1)
    return _("hôm qua, {short} or {full}").format(short=day_month(yesterday), full=day(yesterday))


def not_a_date(text: str, today: date) -> InputError:
    return InputError(
        _('I could not read "{text}" as a date. Type day/month/year, like {example}.').format(
            text=clean(text)[:40], example=day(today)
        )
    )


def not_in_calendar(text: str, today: date) -> InputError:
    return InputError(
        _("{text} is not a date in the calendar. Type day/month/year, like {example}.").format(
            text=clean(text)[:40], example=day(today)
        )
    )


def parse_date(text: str, today: date) -> date:
    """'hom nay', 'hom qua', 'hom kia', 'thu hai tuan truoc', '5/6', '05/06/2025' (day first, as written in Vietnam)."""
    key = " ".join(fold(text).split())
    if key in _TODAY_WORDS:
        return today
    if key in _YESTERDAY_WORDS:
        return today - timedelta(days=1)
    if key in _DAY_BEFORE_WORDS:
        return today - timedelta(days=2)
    if (weekday := _weekday(text, key, today)) is not None:
        return weekday
    match = _DATE.match(key.replace(" ", ""))
    if not match:
        raise not_a_date(text, today)
    day_, month, year = match.groups()
    year_number = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
    try:
        return date(year_number, int(month), int(day_))
    except ValueError:
        raise not_in_calendar(text, today) from None


def parse_past_date(text: str, today: date, earliest: Earliest = EVER_SINCE) -> date:
    """A typed date from `earliest` (by default 1990, before which there were no clubs) to today."""
    value = parse_date(text, today)
    if value > today:
        raise InputError(_("{date} is in the future. Type a date up to today.").format(date=day(value)))
    return not_before(value, earliest)


def not_before(value: date, earliest: Earliest) -> date:
    """`value`, or InputError saying from which date on, and why, when it comes before `earliest`."""
    if value < earliest.on:
        raise InputError(too_early(earliest))
    return value


def too_early(earliest: Earliest) -> str:
    """Why the date typed cannot be true, and which dates can."""
    first = day(earliest.on)
    if earliest.because == EVER:
        return _("There were no self-help clubs before {first}. Type a date from {first} to today.").format(first=first)
    if earliest.because == FOUNDED:
        return _("This date is before the club was founded ({first}). Type a date from {first} to today.").format(
            first=first
        )
    if earliest.because == RECORDS:
        # the day after the records start: the books on the bot hold the balances at the end of that day
        return _(
            "The club's books on the bot start with the balances at the end of {start}: money up to that day is "
            "already in the opening balances. Type a date from {first} to today."
        ).format(start=day(earliest.on - timedelta(days=1)), first=first)
    if earliest.because == JOINED:
        # Members typed in today join today: an earlier joining date is set once in /thanhvien, not worked around.
        return _(
            "This date is before the member joined the club ({first}). Type a date from {first} to today, "
            "or, if they joined earlier, correct their joining date first in /thanhvien (Edit)."
        ).format(first=first)
    # PAID_OUT: a payment on a loan
    return _("This date is before the loan was paid out ({first}). Type a date from {first} to today.").format(
        first=first
    )


def not_after(value: date, latest: Latest | None, earliest: Earliest) -> date:
    """`value`, or InputError saying which dates can be, and why, when it comes after `latest`."""
    if latest is not None and value > latest.on:
        raise InputError(too_late(latest, earliest))
    return value


def too_late(latest: Latest, earliest: Earliest) -> str:
    """Why a joining date cannot be true, and which dates can."""
    first, last = day(earliest.on), day(latest.on)
    if latest.because == LEFT:
        return _("This date is after the member left the club ({last}). Type a date from {first} to {last}.").format(
            first=first, last=last
        )
    # FIRST_MONEY: the member joined before any money of theirs moved
    return _(
        "The books hold this member's money from {last} on, so they joined by then. Type a date from {first} to {last}."
    ).format(first=first, last=last)


# A join date as paper books give it: "2019", "03/2019", "15/03/2019", "tháng 3/2019", "năm 2019".
_JOIN_YEAR = re.compile(r"^(?:nam )?(\d{4})$")
_JOIN_MONTH = re.compile(r"^(?:thang )?(\d{1,2})\s*(?:/|-|\.|nam)\s*(\d{4})$")


def parse_join_date(text: str, today: date, earliest: Earliest = EVER_SINCE) -> date:
    """The day a member joined: a year alone is its 1 January, a month and year its first day, a full date
    itself (day first). Refused when it is after `today` or before `earliest` (the club's founding; by default
    1990, when there were no clubs). The year or month of `earliest` itself means that day: a club founded on
    08/04/2019 has founding members who joined "in 2019", on a day their papers leave out."""
    key = re.sub(r"\s+", " ", fold(text).removeprefix("vao ").strip())
    if match := _JOIN_YEAR.match(key):
        value = _calendar_day(text, int(match[1]), 1, 1, today)
        within = earliest.on.year == value.year
    elif match := _JOIN_MONTH.match(key):
        value = _calendar_day(text, int(match[2]), int(match[1]), 1, today)
        within = (earliest.on.year, earliest.on.month) == (value.year, value.month)
    elif _DATE.match(key.replace(" ", "")) and key.count("/") + key.count("-") + key.count(".") == 2:
        value, within = parse_date(key, today), False
    else:
        raise InputError(
            _(
                'I could not read "{text}" as the day they joined. Type a year (2019), a month (03/2019) or a date '
                "(15/03/2019)."
            ).format(text=clean(text)[:40])
        )
    if within:
        value = max(value, earliest.on)
    if value > today:
        raise InputError(_("{date} is in the future. Type a date up to today.").format(date=day(value)))
    return not_before(value, earliest)


def _calendar_day(text: str, year: int, month: int, day_: int, today: date) -> date:
    try:
        return date(year, month, day_)
    except ValueError:
        raise not_in_calendar(text, today) from None


# --- hours: 8, 17:00, 18h, 8g, 6 giờ chiều, tám giờ sáng, trưa --------------------------------------------

_HOUR_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10}
_HOUR_WORDS |= {"muoi mot": 11, "muoi hai": 12}
_CLOCK = re.compile(
    r"^(?P<hour>\d{1,2}|[a-z]+(?: [a-z]+)??)\s*(?:h|g|gio|:)?\s*(?P<minutes>\d{2})?\s*(?:phut )?"
    r"(?:buoi )?(?P<part>sang|trua|chieu|toi|am|pm)?$"
)
_AFTERNOON = ("chieu", "toi", "pm")


def parse_hour(text: str) -> int:
    """An hour of the day as people say it: '18h', '17:00', '8g', '6 gio chieu', 'tam gio sang', 'trua'."""
    key = " ".join(fold(text).split())
    match = _CLOCK.match(key) if key not in ("trua", "buoi trua") else _CLOCK.match("12")
    hour = None
    if match:
        word = match["hour"]
        hour = int(word) if word.isdigit() else _HOUR_WORDS.get(word)
    if hour is None or hour > 23 or (match and match["minutes"] not in (None, "00")):
        raise InputError(_("Type a whole hour, like 8, 17:00 or 6 giờ chiều."))
    part = match["part"] if match else None
    if part in _AFTERNOON and hour < 12 or part == "trua" and hour < 3:
        return hour + 12
    return 0 if part in ("sang", "am") and hour == 12 else hour


# --- reporting periods in words: 6 tháng đầu năm 2026, cuối năm 2026, năm 2026, kỳ này, kỳ trước ------------

_FIRST_HALF = re.compile(r"^(?:(?:6|sau) thang )?dau nam(?: (\d{4}))?$")
_SECOND_HALF = re.compile(r"^(?:(?:6|sau) thang )?cuoi nam(?: (\d{4}))?$")
_WHOLE_YEAR = re.compile(r"^(?:bao cao |ca )?nam (\d{4}|nay|ngoai|truoc)$")


def period_in_words(text: str, today: date) -> str | None:
    """The code of the reporting period people name in words, or None when `text` names none in words (it may
    still be a code such as 2026-H1). A year without its number is the reporting year `today` is in."""
    key = " ".join(fold(text).split())
    current = half_year_of(today)
    year = int(current.code[:4])
    if key in ("ky nay", "ky hien tai", "6 thang nay"):
        return current.code
    if key in ("ky truoc", "ky vua roi"):
        return half_year_of(current.start - timedelta(days=1)).code
    if match := _FIRST_HALF.match(key):
        return f"{match[1] or year}-H1"
    if match := _SECOND_HALF.match(key):
        return f"{match[1] or year}-H2"
    if match := _WHOLE_YEAR.match(key):
        named = {"nay": year, "ngoai": year - 1, "truoc": year - 1}.get(match[1])
        return str(named or match[1])
    return None


def parse_meeting_day(text: str) -> int:
    key = fold(text).replace("ngay", "").strip()
    if key.isdigit() and 1 <= int(key) <= 28:
        return int(key)
    raise InputError(_("Type the day of the month the club meets, a number from 1 to 28 (for example 15)."))


# --- people -----------------------------------------------------------------------------------------

MAX_NAME = 80
OLDEST_AGE, YOUNGEST_AGE = 110, 16
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ '.\-][^\W\d_]+)*$")

_SEX_WORDS = {"nam": MALE, "male": MALE, "m": MALE, "nu": FEMALE, "female": FEMALE, "f": FEMALE}
_POVERTY_WORDS = {
    "ngheo": POOR,
    "ho ngheo": POOR,
    "poor": POOR,
    "can ngheo": NEAR_POOR,
    "ho can ngheo": NEAR_POOR,
    "near poor": NEAR_POOR,
    "kha gia": BETTER_OFF,
    "kha gia hon": BETTER_OFF,
    "kha": BETTER_OFF,
    "better off": BETTER_OFF,
    "binh thuong": None,
    "trung binh": None,
}
_MINORITY_WORDS = ("dtts", "dan toc thieu so", "dan toc", "ethnic minority")
_DISABLED_WORDS = ("khuyet tat", "tan tat", "disabled")


def parse_name(text: str) -> str:
    name = clean(text)
    if len(name) > MAX_NAME:
        raise InputError(_("A name can have at most {n} letters. Type the full name only.").format(n=MAX_NAME))
    if len(name.split()) < 2 or not _NAME_CHARS.match(name):
        raise InputError(_("Type the full name in letters, family name first, like Nguyễn Thị Lan."))
    return " ".join(word[:1].upper() + word[1:] for word in name.split())


def parse_birth_year(text: str, today: date) -> int:
    key = clean(text)
    first, last = today.year - OLDEST_AGE, today.year - YOUNGEST_AGE
    if not (key.isdigit() and len(key) == 4 and first <= int(key) <= last):
        raise InputError(
            _("Type the year of birth as four digits, from {first} to {last} (for example 1952).").format(
                first=first, last=last
            )
        )
    return int(key)


def parse_sex(text: str) -> str:
    sex = _SEX_WORDS.get(fold(text))
    if sex is None:
        raise InputError(_("Type nam (man) or nữ (woman)."))
    return sex


def parse_poverty(text: str) -> str | None:
    key = fold(text)
    if key not in _POVERTY_WORDS:
        raise InputError(_("Type nghèo (poor), cận nghèo (near-poor), khá giả (better off) or bình thường."))
    return _POVERTY_WORDS[key]


def parse_phone(text: str) -> str:
    digits = re.sub(r"[\s.\-]", "", clean(text))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    if not (digits.isdigit() and len(digits) == 10 and digits.startswith("0")):
        raise InputError(_("Type a phone number of 10 digits starting with 0, like 0912345678."))
    return digits


@dataclass(frozen=True)
class MemberLine:
    number: int
    text: str
    member: NewMember | None = None
    error: str | None = None


def parse_member_line(line: str, today: date, earliest: Earliest = EVER_SINCE) -> NewMember:
    """'Nguyen Thi Lan, 1952, nu, can ngheo[, DTTS][, khuyet tat][, 0912345678][, vao 2019]'. A line without
    'vao' and the day they joined (see parse_join_date; no earlier than `earliest`) joins the day it is saved."""
    parts = [clean(p) for p in re.split(r"[,;\t]", line)]
    parts = [p for p in parts if p]
    if len(parts) < 3:
        raise InputError(_("A line needs at least: full name, year of birth, nam or nữ."))
    name, year, sex, *extras = parts
    poverty, minority, disabled, phone, joined_on = None, False, False, None, None
    for extra in extras:
        key = fold(extra)
        if key.startswith("vao "):  # the day they joined: the word keeps "vao 2019" apart from a phone number
            joined_on = parse_join_date(extra, today, earliest)
        elif key in _MINORITY_WORDS:
            minority = True
        elif key in _DISABLED_WORDS:
            disabled = True
        elif key in _POVERTY_WORDS:
            poverty = _POVERTY_WORDS[key]
        elif re.sub(r"[\s.\-+]", "", key).isdigit():
            phone = parse_phone(extra)
        else:
            # fmt: off
            known = _("nghèo, cận nghèo, khá giả, DTTS, khuyết tật, a phone number, vào and when they joined (vào 2019)")  # noqa: E501
            # fmt: on
            raise InputError(
                _('I do not understand "{word}". After nam/nữ you may add: {extras}.').format(
                    word=extra[:30], extras=known
                )
            )
    return NewMember(
        full_name=parse_name(name),
        birth_year=parse_birth_year(year, today),
        sex=parse_sex(sex),
        poverty=poverty,
        ethnic_minority=minority,
        disabled=disabled,
        phone=phone,
        joined_on=joined_on,
    )


def parse_member_lines(text: str, today: date, earliest: Earliest = EVER_SINCE) -> list[MemberLine]:
    results = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not clean(line):
            continue
        try:
            results.append(MemberLine(number, clean(line), member=parse_member_line(line, today, earliest)))
        except InputError as error:
            results.append(MemberLine(number, clean(line), error=str(error)))
    return results


# --- money typed on one line: /trano Nguyễn Thị Lan 500k, /vay Lan 3tr 12, /donggop Lan 50k hoạt động ------

MAX_AMOUNT_WORDS = 4  # as in 1 500 000 đồng
_MONTHS = re.compile(r"^(\d{1,3})(thang|th|t|months?)?$")
_YEARS = re.compile(r"^(\d{1,2})(nam|years?)$")
_RATE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?)%?$")
_FUND_WORDS = {
    ("quy", "hoat", "dong"): ACTIVITY_FUND,
    ("hoat", "dong"): ACTIVITY_FUND,
    ("qhd",): ACTIVITY_FUND,
    ("hd",): ACTIVITY_FUND,
    ("quy", "tang", "thu", "nhap"): INCOME_FUND,
    ("tang", "thu", "nhap"): INCOME_FUND,
    ("quy", "ttn"): INCOME_FUND,
    ("ttn",): INCOME_FUND,
    ("qttn",): INCOME_FUND,
}
_KIND_WORDS = {
    ("gop", "von"): CAPITAL,
    ("von", "gop"): CAPITAL,
    ("hoi", "phi"): MONTHLY_FEE,
    ("dong", "them"): EXTRA,
    ("ung", "ho"): DONATION,
}


def split_amount(text: str) -> tuple[str, int | None]:
    """'Nguyen Thi Lan 500k' -> ('Nguyen Thi Lan', 500000). The amount may come last or first; the other
    words are returned as typed. No digits: (text, None). Digits that make no usable amount: InputError."""
    words = clean(text).split()
    for size in range(min(MAX_AMOUNT_WORDS, len(words)), 0, -1):
        for amount_words, rest in ((words[-size:], words[:-size]), (words[:size], words[size:])):
            try:
                return " ".join(rest), parse_amount(" ".join(amount_words))
            except InputError:
                continue
    first_digit = next((i for i, word in enumerate(words) if any(ch.isdigit() for ch in word)), None)
    if first_digit is None:
        return clean(text), None
    try:
        parse_amount(" ".join(words[first_digit:]))
    except InputError as wrong:  # saying what is wrong with the amount; a guess keeps the words before it
        guesses = [suggestion(" ".join([*words[:first_digit], c.value[1:]]), c.label) for c in wrong.choices or ()]
        raise InputError(str(wrong), guesses or None) from None
    raise InputError(
        _('I could not read "{text}" as an amount. Type it like 500000, 500k or 1tr5.').format(text=clean(text)[:40])
    )


def parse_months(text: str) -> int:
    """'12', '12 thang', '12th', '1 nam' -> months."""
    key = fold(text).replace(" ", "")
    months = _MONTHS.match(key)
    years = _YEARS.match(key)
    count = int(months.group(1)) if months else int(years.group(1)) * 12 if years else 0
    if not 1 <= count <= MAX_TERM_MONTHS:
        raise InputError(
            _("Type the number of months, from 1 to {most} (for example 12).").format(most=MAX_TERM_MONTHS)
        )
    return count


def split_term(text: str) -> tuple[str, int | None]:
    """'Lan 3tr 12' -> ('Lan 3tr', 12), also with 'thang' after it; (text, None) when it does not end in months."""
    words = clean(text).split()
    for size in (2, 1):
        if len(words) > size:
            try:
                return " ".join(words[:-size]), parse_months(" ".join(words[-size:]))
            except InputError:
                continue
    return clean(text), None


def split_fund(text: str) -> tuple[str, str | None]:
    """'Lan 50k hoat dong' -> ('Lan 50k', 'activity'): a fund named by the last words, if any."""
    return _split_last_words(text, _FUND_WORDS)


def split_kind(text: str) -> tuple[str, str | None]:
    """'Binh 1tr5 gop von' -> ('Binh 1tr5', 'capital'): a kind of contribution named by the last words, if any."""
    return _split_last_words(text, _KIND_WORDS)


def _split_last_words(text: str, table: dict[tuple[str, ...], str]) -> tuple[str, str | None]:
    words = clean(text).split()
    folded = tuple(fold(word) for word in words)
    for named_by, value in table.items():
        if len(words) > len(named_by) and folded[-len(named_by) :] == named_by:
            return " ".join(words[: -len(named_by)]), value
    return clean(text), None


def parse_rate(text: str) -> int:
    """A monthly rate in percent, '0,5' or '1%' -> basis points (hundredths of a percent): 50, 100."""
    key = fold(text).replace(" ", "").replace(",", ".").removesuffix("/thang")
    match = _RATE.match(key)
    if not match:
        raise InputError(_("Type the fee per month in percent, like 0,5 or 1 (0 for no fee)."))
    rate = int(Decimal(match.group(1)) * 100)
    if rate > MAX_RATE_BP:
        raise InputError(
            _("The law caps the interest on a loan at 20 % a year, that is 1,66 % a month. Type a lower rate.")
        )
    return rate
