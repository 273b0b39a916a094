"""Vietnamese alphabetical order, for lists people read (clubs by province, district and name).

Databases sort by code point, which puts a name starting with the D with stroke after every Latin letter;
ICU's Vietnamese collation puts it right after D, and each vowel with its marks after the plain vowel, as
Vietnamese dictionaries do. Sort in Python after the query: `sorted(rows, key=lambda r: vietnamese_key(r.name))`.
"""

from __future__ import annotations

from functools import cache

import icu


@cache
def _collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale("vi"))


def vietnamese_key(text: str) -> bytes:
    """A key that sorts `text` in Vietnamese alphabetical order ("Duong" before "Dong Hoa" with its D with stroke)."""
    return _collator().getSortKey(text)
