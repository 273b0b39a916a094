"""Folding Vietnamese text so that `nguyen thi lan` finds `Nguyễn Thị Lan`."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Zero-width and direction marks: invisible in a chat, but they would make two equal names differ.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"))


def clean(text: str) -> str:
    """Unicode NFC, invisible characters removed, runs of white space made one space."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def clean_lines(text: str) -> str:
    """`clean` for each line of a message that may hold a pasted list; empty lines dropped."""
    return "\n".join(line for line in map(clean, text.splitlines()) if line)


def fold(text: str) -> str:
    """Lower case, without diacritics: 'Nguyễn Thị Lan' -> 'nguyen thi lan'."""
    text = clean(text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
