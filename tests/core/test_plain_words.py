"""Words of the books and the programme that a board member of 65 may not know have plain words beside them in
every chat text that uses them: "khoản ghi đảo (hủy bằng một khoản ghi ngược)", "DTTS (dân tộc thiểu số)"."""

from __future__ import annotations

from babel.messages.pofile import read_po

from handlers.i18n import LOCALES_DIR

# The term, as the Vietnamese texts write it, and the plain words that must stand in the same text.
PLAIN_WORDS = {
    "ghi đảo": "ghi ngược",
    "bút toán": "khoản ghi",
    "PAR30": "quá hạn trên 30 ngày",
    "dư nợ": "còn nợ",
    "số dư đầu kỳ": "mang sang",
    "DTTS": "dân tộc thiểu số",
    "NCT": "người cao tuổi",
}
# Names, not sentences: the rows and columns of the report's tables and its .xlsx (whose headings are the
# report's contract), the chart's titles and the kinds of entry a statement lists. The texts around them, and
# /trogiup, say what they are.
NAMES = {
    "Opening balance",
    "Closing balance",
    "Outstanding balance",
    "Outstanding balance at the start of the period",
    "Owed on loans more than 30 days overdue",
    "Share of the portfolio more than 30 days overdue (PAR30)",
    "Members owing on a loan",
    "Loans owing on {day}",
    "8. Loans owing on {day}",
    "PAR30",
    "Loans outstanding",
    "Funds and loans at each month's end (million ₫)",
    "reversal",
    "ethnic minority",
    # One line per club in the combined report of an area, read by the Elderly Association's officer.
    "• {name} ({code}): {members} members, raised {raised} (from members {from_members}), {held} meetings, "
    "{done}/8 areas, outstanding {outstanding}, overdue {overdue} ({overdue_loans} loans), PAR30 {par} %, "
    "{met}/{targets} targets {mark}",
}


def vietnamese_texts() -> dict[str, str]:
    with open(LOCALES_DIR / "vi" / "LC_MESSAGES" / "messages.po", "rb") as po:
        return {str(m.id): str(m.string) for m in read_po(po) if m.id and isinstance(m.id, str)}


def test_every_chat_text_with_a_term_of_the_trade_says_it_in_plain_words_too():
    texts = vietnamese_texts()
    assert set(texts) >= NAMES, NAMES - set(texts)  # a name no longer in the catalog is dropped from the list
    missing = [
        (term, text)
        for term, plain in PLAIN_WORDS.items()
        for msgid, text in texts.items()
        if msgid not in NAMES and term.lower() in text.lower() and plain.lower() not in text.lower()
    ]
    assert not missing, "\n".join(f"{term}: {text}" for term, text in missing)


def test_each_term_is_in_some_chat_text_with_its_plain_words():
    """The list above stays true to the catalog: every term is still used where a person reads it, but NCT, now
    written out (Hội Người cao tuổi) wherever it stood."""
    texts = [text.lower() for msgid, text in vietnamese_texts().items() if msgid not in NAMES]
    for term, plain in PLAIN_WORDS.items():
        if term == "NCT":
            continue
        assert any(term.lower() in text and plain.lower() in text for text in texts), term
