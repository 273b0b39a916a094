"""Every text the code can say has its Vietnamese translation, with the same placeholders."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from handlers.i18n import LOCALES_DIR, _, day, language, money

ROOT = Path(__file__).resolve().parents[2]


def messages_in_code() -> set[str]:
    found = set()
    for package in ("bot", "handlers", "storage"):
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords={"_": None}
        ):
            found.add(message)
    return found


def catalog(lang: str) -> dict[str, str]:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_in_the_code_has_a_vietnamese_translation():
    vietnamese = catalog("vi")
    missing = sorted(m for m in messages_in_code() if not vietnamese.get(m))
    assert missing == []


def test_translations_keep_the_placeholders():
    wrong = [m for m, t in catalog("vi").items() if t and placeholders(m) != placeholders(t)]
    assert wrong == []


def test_no_f_string_hides_a_message_from_extraction():
    pattern = re.compile(r"\{_\(")
    offenders = [
        str(p)
        for package in ("bot", "handlers", "storage")
        for p in (ROOT / package).rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_vietnamese_is_the_default_and_english_is_chosen_per_person():
    assert _("Cancelled. Nothing was saved.") == "Đã hủy. Không lưu gì cả."
    with language("en"):
        assert _("Cancelled. Nothing was saved.") == "Cancelled. Nothing was saved."


def test_money_and_dates_are_formatted_the_vietnamese_way():
    assert money(1_500_000) == "1.500.000 ₫"
    assert day(date(2025, 6, 5)) == "05/06/2025"
    with language("en"):
        assert money(1_500_000) == "₫1,500,000"
