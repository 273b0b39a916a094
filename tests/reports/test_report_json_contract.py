"""The report's JSON is an outside contract (README, "Reports"): the text `to_json` writes is pinned byte for
byte, keys in their order, to what it was when reports were still nested dicts. A figure may be added to the
report (then to these files, on purpose); a key renamed, moved or retyped fails here."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import select

from storage import corrections, reports, submissions, users
from storage.models import MONTHLY_FEE, Club, LedgerEntry
from storage.periods import period
from tests.report_support import H1, lien_tri, model_club

CONTRACT = Path(__file__).with_name("contract")


def contract_reports(db) -> dict[str, str]:
    """The JSON of a club with a submitted half-year, a correction of it and the chart's series, and of its
    district; the clubs' codes (random) written as <CODE>."""
    club_id = lien_tri(db)
    model_club(db)
    with db.transaction() as s:
        chair = users.get_or_create(s, "console", "chair-lientri", "Nguyễn Văn An")
        record = submissions.mark_submitted(s, club_id, H1, chair)
        record.submitted_at = datetime(2025, 6, 3, 2, 0, tzinfo=UTC)
        fee = s.exec(
            select(LedgerEntry).where(
                LedgerEntry.club_id == club_id,
                LedgerEntry.kind == MONTHLY_FEE,
                LedgerEntry.entry_date == date(2025, 1, 15),
            )
        ).first()
        corrections.reverse(s, club_id, fee.id, reason="ghi nhầm", by=chair, today=date(2025, 7, 10))
    with db.reading() as s:
        found = {
            "club-2025-H2.json": reports.to_json(
                reports.club_report(s, club_id, period("2025-H2"), series=True, today=date(2025, 10, 20))
            ),
            "district-2025-H1.json": reports.to_json(reports.district_report(s, period(H1), district="Bình Sơn")),
        }
        codes = list(s.exec(select(Club.code)))
    for code in codes:
        found = {name: text.replace(f'"{code}"', '"<CODE>"') for name, text in found.items()}
    return found


def test_the_report_json_is_byte_for_byte_the_contract(db):
    for name, text in contract_reports(db).items():
        assert text == (CONTRACT / name).read_text(encoding="utf-8"), name
