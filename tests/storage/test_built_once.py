"""The test clubs built once per worker (tests/snapshot_support.py): a club copied in from an earlier build
reports exactly as one built by the storage calls, and a database a test wrote to first gets a real build."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from storage import reports, users
from storage.models import Club
from storage.periods import period
from tests import snapshot_support
from tests.conftest import fresh_postgres, sqlite_db
from tests.report_support import H1, lien_tri, model_club


def emptied(db):
    """Another empty database of the same kind: on PostgreSQL the same one, emptied."""
    if db.engine.dialect.name == "postgresql":
        return fresh_postgres(db.url)
    return sqlite_db()


def district_json(db) -> str:
    """The district's report and each club's, with the chart's series; the random club codes left out."""
    with db.reading() as s:
        texts = [reports.to_json(reports.district_report(s, period(H1), district="Bình Sơn"))]
        for club_id in s.exec(select(Club.id).order_by(Club.id)):
            report = reports.club_report(s, club_id, period("2025-H2"), series=True, today=date(2025, 10, 20))
            texts.append(reports.to_json(report))
        codes = list(s.exec(select(Club.code)))
    text = "\n".join(texts)
    for code in codes:
        text = text.replace(f'"{code}"', '"<CODE>"')
    return text


def test_clubs_copied_from_an_earlier_build_report_as_clubs_built_for_real(any_db):
    lien_tri.__wrapped__(any_db)  # the storage calls themselves, nothing copied
    model_club.__wrapped__(any_db)
    built_for_real = district_json(any_db)

    for _attempt in ("first", "second"):  # the first may build (if no test of this worker did), the second copies
        db = emptied(any_db)
        reused_before = snapshot_support.reused["model_club"]
        lien_tri(db)
        model_club(db)
        assert district_json(db) == built_for_real
    assert snapshot_support.reused["model_club"] == reused_before + 1


def test_a_database_written_to_first_gets_a_real_build(any_db):
    with any_db.transaction() as s:
        users.get_or_create(s, "console", "someone", "Ai Đó")
    reused_before = sum(snapshot_support.reused.values())
    lien_tri(any_db)
    assert sum(snapshot_support.reused.values()) == reused_before
    with any_db.transaction() as s:
        assert len(list(s.exec(select(Club)))) == 1
