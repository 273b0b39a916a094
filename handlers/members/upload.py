"""Many members at once from an Excel sheet: its rows become lines, read as a pasted list is (paste.py)."""

from __future__ import annotations

from handlers.core import Answer, Ctx
from handlers.flow import Step
from handlers.members import paste, texts
from handlers.members.xlsx import NotASheet, rows_as_lines
from handlers.parsing import InputError


def read_upload(ctx: Ctx, ans: Answer) -> str:
    """The sheet's rows as lines; typed lines are as good as a file here."""
    if ans.document is None:
        return paste.lines_to_add(ctx, ans.text)
    try:
        lines = rows_as_lines(ans.document.content)
    except NotASheet as refused:
        raise InputError(texts.sheet_refused(refused.reason)) from None
    return paste.lines_to_add(ctx, lines)


UPLOAD = Step(
    "upload",
    lambda ctx: texts.ask_upload(),
    read_upload,
    paste.keep_lines,
    goes_to=("confirm_many",),
    label=lambda: texts.SHEET_ANSWER_LABEL,
    takes="file",
)
