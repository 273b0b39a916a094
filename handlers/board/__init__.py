"""/moi (invite.py): the chair invites someone to a board role. /bancn (board.py): see the board; the chair
changes roles."""

from __future__ import annotations

from handlers.board.board import flow as board_flow
from handlers.board.invite import flow as invite_flow

__all__ = ["board_flow", "invite_flow"]
