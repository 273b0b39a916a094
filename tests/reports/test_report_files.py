"""/baocao's files are made after the update's transaction has committed, not while it holds the write lock."""

from __future__ import annotations

from contextlib import contextmanager

from bot.renderers import render
from handlers.core import Incoming, Reply
from handlers.dispatcher import Dispatcher
from handlers.files import CLUB_CHART, CLUB_XLSX, Render
from handlers.registry import COMMANDS
from tests.report_support import lien_tri


def test_the_xlsx_and_the_chart_are_made_once_the_transaction_has_committed(db, settings, clock, monkeypatch):
    lien_tri(db)
    open_transactions: list[bool] = []
    plain = db.transaction

    @contextmanager
    def watched():
        open_transactions.append(True)
        try:
            with plain() as session:
                yield session
        finally:
            open_transactions.pop()

    monkeypatch.setattr(db, "transaction", watched)
    made: list[tuple[str, bool]] = []

    def watching(file: Render):
        made.append((file.kind, bool(open_transactions)))
        return render(file)

    dispatcher = Dispatcher(db, settings, COMMANDS, clock=clock, render=watching)
    replies = dispatcher.handle(
        Incoming("console", "chair-lientri", "chair-lientri", "Nguyễn Văn An", text="/baocao 2025-H1")
    )
    assert made == [(CLUB_XLSX, False), (CLUB_CHART, False)]
    assert all(reply.render is None for reply in replies)
    [xlsx] = [reply.document for reply in replies if reply.document]
    [chart] = [reply.photo for reply in replies if reply.photo]
    assert xlsx.filename.endswith("-2025-H1.xlsx") and xlsx.content.startswith(b"PK")
    assert chart.filename.endswith("-2025-H1.png") and chart.content.startswith(b"\x89PNG")


def test_a_file_still_to_make_is_not_kept_for_a_redelivery():
    pending = Reply("Báo cáo", render=Render(CLUB_XLSX, None, "x.xlsx", "vi", None, None))  # what it holds is not read
    assert pending.carries_file and "render" not in pending.as_json()
