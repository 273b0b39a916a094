"""/menu, /trogiup (help), /ngonngu (language) and /clb (switch club): what belongs to no club feature."""

from __future__ import annotations

from handlers.general.help import flow as help_flow
from handlers.general.language import flow as language_flow
from handlers.general.menu import flow as menu_flow
from handlers.general.switch_club import flow as switch_flow

__all__ = ["help_flow", "language_flow", "menu_flow", "switch_flow"]
