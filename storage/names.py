"""Folding Vietnamese text so that `nguyen thi lan` finds the name written with its tone marks."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Zero-width and direction marks (by code point, as they cannot be seen): invisible in a chat, but they would
# make two equal names differ.
_INVISIBLE = dict.fromkeys([0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x202A, 0x202B, 0x202C, 0x202D,
                            0x202E])
# "đ" has no decomposition into "d" and a mark, so `fold` maps it itself.
_D_WITH_STROKE = {0x0111: "d"}


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
