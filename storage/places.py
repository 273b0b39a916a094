"""Vietnam's places since 1 July 2025: 34 provinces and their communes (xa, phuong, dac khu), from the official
list of the General Statistics Office as the `vietnam-provinces` package keeps it.

A place typed by a person ("quang ngai", "Quang Ngai", "tinh Quang Ngai", "xa Binh Son", "binh son") is matched
without diacritics, case or the kind of place in front: one exact match is taken (and read back), several are
offered to pick from, none gets the nearest names. Codes are the GSO's, as text: two digits for a province
("51"), five for a commune ("21076").
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from storage.names import clean, fold

PROVINCE, COMMUNE = "province", "commune"
NEAREST = 3  # names offered when nothing matches
# What people call the two largest cities, besides their names.
_PROVINCE_ALIASES = {"hcm": "79", "tphcm": "79", "tp hcm": "79", "sai gon": "79", "saigon": "79", "hn": "01"}

# The kinds of place the official list writes before a name, folded.
_KINDS = (("thanh", "pho"), ("tinh",), ("xa",), ("phuong",), ("dac", "khu"))
# The kinds of place written before a name, folded, longest first so "thanh pho" goes before "pho"-less forms.
_PREFIXES = ("thanh pho", "dac khu", "phuong", "tinh", "tp", "xa", "p", "x")
_PREFIX = re.compile(r"^(?:" + "|".join(_PREFIXES) + r")\.?\s+")


@dataclass(frozen=True)
class Place:
    code: str
    name: str  # as the official list writes it: "Xã Bình Sơn", "Quảng Ngãi", "Thành phố Hà Nội"
    short: str  # without the kind of place in front: "Bình Sơn", "Hà Nội"
    level: str  # PROVINCE or COMMUNE
    province_code: str  # its own code for a province


@dataclass(frozen=True)
class Found:
    """What a typed place may mean: `exact` when one place is named exactly, else the candidates (maybe none),
    and, when there are none, the nearest names."""

    typed: str
    exact: Place | None
    candidates: tuple[Place, ...] = ()
    nearest: tuple[Place, ...] = ()


def key(text: str) -> str:
    """A place's name as it is compared: folded, the kind of place in front dropped, spaces made single."""
    folded = " ".join(re.sub(r"[^\w\s]", " ", fold(clean(text))).split())
    return _PREFIX.sub("", folded + " ").strip() if _PREFIX.match(folded + " ") else folded


def _short(name: str) -> str:
    """The official name without its kind in front: 'Xa Binh Son' -> 'Binh Son' (compared folded, so the words
    of the kinds stay ASCII here; the name keeps its diacritics)."""
    words = name.split()
    for kind in _KINDS:
        if fold(" ".join(words[: len(kind)])).split() == list(kind):
            return " ".join(words[len(kind) :])
    return name


@functools.cache
def provinces() -> tuple[Place, ...]:
    from vietnam_provinces import Province

    coded = ((f"{p.code.value:02d}", p.name) for p in Province.iter_all())
    return tuple(Place(code, name, _short(name), PROVINCE, code) for code, name in coded)


@functools.cache
def _communes() -> dict[str, tuple[Place, ...]]:
    from vietnam_provinces import Ward

    by_province: dict[str, list[Place]] = {}
    for ward in Ward.iter_all():
        province_code = f"{ward.province_code.value:02d}"
        by_province.setdefault(province_code, []).append(
            Place(f"{ward.code.value:05d}", ward.name, _short(ward.name), COMMUNE, province_code)
        )
    return {code: tuple(places) for code, places in by_province.items()}


def communes(province_code: str) -> tuple[Place, ...]:
    return _communes().get(province_code, ())


@functools.cache
def _by_code() -> dict[tuple[str, str], Place]:
    every = [*provinces(), *(c for places in _communes().values() for c in places)]
    return {(place.level, place.code): place for place in every}


def province(code: str) -> Place | None:
    return _by_code().get((PROVINCE, code))


def commune(code: str) -> Place | None:
    return _by_code().get((COMMUNE, code))


def find_province(text: str) -> Found:
    alias = _PROVINCE_ALIASES.get(" ".join(fold(clean(text)).replace(".", " ").split()))
    if alias is not None:
        return Found(clean(text)[:80], province(alias))
    return _find(text, provinces())


def find_commune(text: str, province_code: str) -> Found:
    return _find(text, communes(province_code))


def _find(text: str, places: tuple[Place, ...]) -> Found:
    wanted = key(text)
    typed = clean(text)[:80]
    if not wanted:
        return Found(typed, None)
    exact = [p for p in places if key(p.short) == wanted or key(p.name) == wanted or p.code == wanted]
    if len(exact) == 1:
        return Found(typed, exact[0])
    if exact:
        return Found(typed, None, tuple(exact))
    words = wanted.split()
    starting = [p for p in places if _starts_each(words, key(p.short).split())]
    if starting:
        return Found(typed, None, tuple(sorted(starting, key=lambda p: key(p.short))))
    names = {key(p.short): p for p in places}
    close = difflib.get_close_matches(wanted, list(names), n=NEAREST, cutoff=0.6)
    return Found(typed, None, (), tuple(names[name] for name in close))


def _starts_each(words: list[str], name: list[str]) -> bool:
    """Each typed word starts a word of the name, in order: "binh s" is Binh Son, "son" is not Binh Son."""
    at = 0
    for word in words:
        while at < len(name) and not name[at].startswith(word):
            at += 1
        if at == len(name):
            return False
        at += 1
    return True


def match_stored(province_text: str, commune_text: str) -> tuple[Place | None, Place | None]:
    """The places a club's stored names name exactly (what migration 0017m gives the clubs registered before
    the 2025 map): the province, then the commune within it; None where the name is not exactly one place."""
    found = find_province(province_text).exact if province_text.strip() else None
    if found is None:
        return None, None
    return found, find_commune(commune_text, found.code).exact if commune_text.strip() else None
