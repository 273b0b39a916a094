"""Folding Vietnamese text so that `nguyen thi lan` finds the name written with its tone marks."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Zero-width and direction marks (by code point, as they cannot be seen): invisible in a chat, but they would
# make two equal names differ.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E]
)
# "đ" has no decomposition into "d" and a mark, so `fold` maps it itself.
_D_WITH_STROKE = {0x0111: "d"}


# Every control character (C0, DEL, C1) but the line break: a bell or an ANSI escape typed into a name breaks
# the .xlsx files it is written to, and PostgreSQL refuses a NUL in text. A tab is white space between words.
_CONTROLS = {code: None for code in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if code != 0x0A} | {0x09: " "}
_LINE_BREAKS = re.compile(r"\r\n?")


def without_controls(text: str) -> str:
    """Unicode NFC, line breaks as \\n, tabs as spaces and every other control character removed: how all text
    from people is kept (see handlers.core.Incoming), whatever later shows or stores it."""
    return unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text).translate(_CONTROLS))


def clean(text: str) -> str:
    """Unicode NFC, invisible characters removed, runs of white space made one space."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def clean_lines(text: str) -> str:
    """`clean` for each line of a message that may hold a pasted list; empty lines dropped."""
    return "\n".join(line for line in map(clean, text.splitlines()) if line)


def fold(text: str) -> str:
    """Lower case, without diacritics and with d for the d with stroke: Nguyen Thi Lan written with its tone
    marks -> 'nguyen thi lan'."""
    text = clean(text).lower().translate(_D_WITH_STROKE)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
