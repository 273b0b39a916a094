"""Clubs placed on the 2025 map directly (codes set as the registration or the migration of old clubs would)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from storage import clubs, users
from storage.clubs import NewClub
from storage.models import Club

QUANG_NGAI, HA_NOI = "51", "01"
BINH_SON = "21040"  # Xã Bình Sơn, Quảng Ngãi
TINH_KHE = "21211"  # Xã Tịnh Khê, Quảng Ngãi
HA_NOI_COMMUNE = "00070"  # Phường Hoàn Kiếm, Hà Nội


def placed(
    s: Session,
    name: str,
    province_code: str | None,
    commune_code: str | None,
    *,
    province: str = "Quảng Ngãi",
    district: str = "Bình Sơn",
    key: str = "",
) -> Club:
    """A club with no books, in the given province and commune of the 2025 map."""
    chair = users.get_or_create(s, "console", f"chair-{key or name}", "Nguyễn Văn An")
    club = clubs.create_club(
        s,
        chair,
        NewClub(
            name=name,
            village="Thôn 1",
            commune="Bình Sơn",
            district=district,
            province=province,
            meeting_day=15,
            founded_on=date(2020, 1, 1),
        ),
    )
    club.province_code, club.commune_code = province_code, commune_code
    s.add(club)
    s.flush()
    return club


def place(db, club_id: int, province_code: str, commune_code: str) -> None:
    with db.transaction() as s:
        club = s.get(Club, club_id)
        club.province_code, club.commune_code = province_code, commune_code
