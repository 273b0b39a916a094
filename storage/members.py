"""Club members: the records the board keeps. Never deleted; a member who leaves gets a date."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from storage.clubs import audit
from storage.dates import check_entry_date, check_joining_date, check_leaving_date
from storage.models import Member, User
from storage.names import clean, fold

EDITABLE_FIELDS = ("full_name", "birth_year", "sex", "poverty", "ethnic_minority", "disabled", "phone", "joined_on")


@dataclass(frozen=True)
class NewMember:
    full_name: str
    birth_year: int
    sex: str
    poverty: str | None = None
    ethnic_minority: bool = False
    disabled: bool = False
    phone: str | None = None
    joined_on: date | None = None


def find_same(session: Session, club_id: int, full_name: str, birth_year: int) -> Member | None:
    """A member with the same name (diacritics aside) and birth year: most likely the same person."""
    return session.exec(
        select(Member).where(
            Member.club_id == club_id, Member.name_key == fold(full_name), Member.birth_year == birth_year
        )
    ).first()


def add(session: Session, club_id: int, new: NewMember, by: User, today: date) -> Member:
    values = {f.name: getattr(new, f.name) for f in fields(new)}
    values["full_name"] = clean(new.full_name)
    values["joined_on"] = new.joined_on or today
    check_entry_date(session, club_id, values["joined_on"])
    member = Member(club_id=club_id, name_key=fold(new.full_name), created_by=by.id, **values)
    session.add(member)
    session.flush()
    audit(session, club_id, by.id, "create", "member", member.id)
    return member


def get(session: Session, club_id: int, member_id: int) -> Member | None:
    """The member, only if they belong to this club (ids may come from a forged button)."""
    member = session.get(Member, member_id)
    return member if member is not None and member.club_id == club_id else None


def count(session: Session, club_id: int, *, include_left: bool = False) -> int:
    query = select(func.count()).select_from(Member).where(Member.club_id == club_id)
    if not include_left:
        query = query.where(Member.left_on.is_(None))
    return session.exec(query).one()


def page(session: Session, club_id: int, number: int, size: int) -> list[Member]:
    """Page `number` (from 0) of the current members, in name order."""
    return list(
        session.exec(
            select(Member)
            .where(Member.club_id == club_id, Member.left_on.is_(None))
            .order_by(Member.name_key, Member.id)
            .offset(number * size)
            .limit(size)
        )
    )


MAX_SEARCH_WORDS = 10


def search(session: Session, club_id: int, query: str, *, include_left: bool = False, limit: int = 20) -> list[Member]:
    """Members whose name has words starting with each word typed, diacritics or not.

    When some of them carry every typed word whole ('lan' is Lan, not Lanh) only those are returned,
    and an exact name (with its diacritics) beats the rest, so a full name picks one person.
    """
    words = ["".join(ch for ch in word if ch.isalnum()) for word in fold(query).split()]
    # Each word is one LIKE: a few distinct words name anyone (a pasted essay would overflow SQLite's parser).
    words = list(dict.fromkeys(w for w in words if w))[:MAX_SEARCH_WORDS]
    if not words:
        return []
    spaced = " " + Member.name_key
    statement = select(Member).where(Member.club_id == club_id)
    for word in words:
        statement = statement.where(spaced.like(f"% {word}%"))
    if not include_left:
        statement = statement.where(Member.left_on.is_(None))
    found = list(session.exec(statement.order_by(Member.name_key, Member.id).limit(200)))
    exact = [m for m in found if clean(m.full_name).lower() == clean(query).lower()]
    if exact:
        return exact[:limit]
    whole = [m for m in found if set(words) <= set(m.name_key.split())]
    return (whole or found)[:limit]


def close_names(
    session: Session, club_id: int, query: str, *, include_left: bool = False, limit: int = 3
) -> list[Member]:
    """Members whose name is close to a misspelt one ('Nguyen Thi Lna' -> Nguyen Thi Lan), closest first: what
    `search` does not find is offered as 'did you mean', never taken on its own."""
    statement = select(Member.id, Member.name_key).where(Member.club_id == club_id)
    if not include_left:
        statement = statement.where(Member.left_on.is_(None))
    keys = {name_key: member_id for member_id, name_key in session.exec(statement)}
    close = difflib.get_close_matches(" ".join(fold(query).split()), list(keys), n=limit, cutoff=0.75)
    return [member for key in close if (member := session.get(Member, keys[key])) is not None]


def update_field(session: Session, member: Member, field: str, value, by: User) -> None:
    if field not in EDITABLE_FIELDS:
        raise ValueError(field)
    if field == "joined_on":
        check_joining_date(session, member, value)
    old = getattr(member, field)
    audit(
        session,
        member.club_id,
        by.id,
        "update",
        "member",
        member.id,
        field=field,
        old=_jsonable(old),
        new=_jsonable(value),
    )
    setattr(member, field, clean(value) if field == "full_name" else value)
    if field == "full_name":
        member.name_key = fold(value)
    session.add(member)


def mark_left(session: Session, member: Member, on: date, by: User) -> None:
    check_leaving_date(member, on)
    audit(session, member.club_id, by.id, "leave", "member", member.id, on=on.isoformat())
    member.left_on = on
    session.add(member)


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else value
