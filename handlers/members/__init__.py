"""/thanhvien: the member list. Add one (add.py), paste many (paste.py), upload a sheet (upload.py), page
through and find (listing.py), edit a field (edit.py), record a leaving (leaving.py); the chair also sends a
member all their data or anonymises them (personal.py). This module puts the parts together as one flow."""

from __future__ import annotations

from handlers.flow import Flow
from handlers.members import add, edit, leaving, listing, menu, paste, personal, upload
from handlers.members.shared import MemberWork

flow = Flow(
    "members",
    start=menu.start,
    steps=[
        menu.MENU,
        *add.STEPS,
        paste.PASTE,
        upload.UPLOAD,
        paste.CONFIRM_MANY,
        *listing.STEPS,
        *edit.STEPS,
        *leaving.STEPS,
        personal.CONFIRM_ANONYMISE,
    ],
    state=MemberWork,
    first=("menu", "search", "pick", "card"),
)

__all__ = ["flow"]
