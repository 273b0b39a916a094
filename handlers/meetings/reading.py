"""Reading answers particular to meetings: counts of people, and several picks typed at once ('1 3 5')."""

from __future__ import annotations

import re
from collections.abc import Callable

from handlers.core import Choice, match_choice
from handlers.i18n import _
from handlers.parsing import InputError
from storage.models import CULTURE, HEALTH, HOMECARE, INCOME, LEARNING, RESOURCES, RIGHTS, SELFHELP
from storage.names import fold

# Words people type for each area, besides its number and its label. Compared after `fold`, so written
# folded: "suc khoe" is also "sức khỏe" and "sức khoẻ".
AREA_WORDS = {
    INCOME: ("income", "tang thu nhap", "thu nhap", "von vay"),
    HEALTH: ("health", "suc khoe", "cham soc suc khoe", "kham suc khoe"),
    HOMECARE: ("homecare", "cham soc tai nha", "tinh nguyen vien", "tnv"),
    SELFHELP: ("selfhelp", "tu giup nhau", "ho tro cong dong", "tuong tro"),
    RIGHTS: ("rights", "quyen", "quyen loi", "bao ve quyen", "chinh sach"),
    LEARNING: ("learning", "nhan thuc", "kien thuc", "truyen thong", "hoc tap"),
    CULTURE: ("culture", "van hoa", "van nghe", "the thao"),
    RESOURCES: ("resources", "nguon luc", "van dong nguon luc"),
}
DONE_WORDS = ("xong", "xong roi", "done", "het")

# Words that may follow a number: '38 người', '12 lượt'.
_COUNT_WORDS = re.compile(r"\b(nguoi|thanh vien|luot|ca|people|persons?)\b")


def parse_count(text: str, *, least: int, most: int, too_many: str) -> int:
    """A whole number from `least` to `most`; `too_many` says why a larger one cannot be."""
    key = _COUNT_WORDS.sub("", fold(text)).strip()
    if not key.isdigit():
        raise InputError(_("Type a whole number, like 38."))
    value = int(key)
    if value > most:
        raise InputError(too_many)
    if value < least:
        raise InputError(_("Type a number from {least} to {most}.").format(least=least, most=most))
    return value


def picked_values(text: str, choices: list[Choice], unknown: Callable[[str], str]) -> list[str]:
    """'1 3 5', '1, 3, 5' or 'suc khoe, van hoa' -> the values of those choices, in the order typed.

    `unknown(word)` words the problem when a part names none of the choices; nothing is picked then.
    """
    values = []
    for part in (p.strip() for p in re.split(r"[,;\n]+", text)):
        words = part.split()
        pieces = words if words and all(word.isdigit() for word in words) else [part]
        for piece in filter(None, pieces):
            value = match_choice(piece, choices)
            if value is None:
                raise InputError(unknown(piece[:40]))
            values.append(value)
    return values


def toggled(current: list, picked: list) -> list:
    """Tick what was not ticked and untick what was, in one pass over the picks."""
    result = list(current)
    for value in picked:
        if value in result:
            result.remove(value)
        else:
            result.append(value)
    return result
