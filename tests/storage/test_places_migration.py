"""Clubs registered before the 2025 map: migration 0017m gives them their places' codes where their stored names
are exactly one place; the others are listed by `python -m bot clubs --unplaced`, and their chair is asked once
for the place, at the next message."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlmodel import select

from bot.__main__ import main
from storage import clubs, users
from storage.clubs import NewClub
from storage.db import MIGRATIONS, Database
from storage.models import Club
from tests.conftest import empty_postgres

# (code, province, commune) as typed before the 2025 map.
OLD_CLUBS = [
    ("AAAAA2", "quang ngai", "xã Bình Sơn"),  # both matched
    ("AAAAA3", "Tỉnh Quảng Ngãi", "Bình Hiệp"),  # Bình Hiệp was merged: the province only
    ("AAAAA4", "Quảng Nam", "Tam Kỳ"),  # no longer a province
    ("AAAAA5", "tp HCM", "phuong Sai Gon"),
    ("AAAAA6", "Quảng Ngãi", "binh"),  # not exactly one commune: never a guess
]


@pytest.fixture(params=["sqlite", "postgresql"])
def old_db(request, tmp_path):
    """A database at 0016p, the schema before this migration, with the clubs of OLD_CLUBS in it."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        empty_postgres(url)
    else:
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    database = Database(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0016p")
    with database.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO \"user\" (id, display_name, language, created_at) VALUES (1, 'An', 'vi', '2026-01-01')")
        )
        for number, (code, province, commune) in enumerate(OLD_CLUBS, start=1):
            connection.execute(
                text(
                    "INSERT INTO club (id, code, name, village, commune, district, province, meeting_day, "
                    "created_at, created_by) VALUES (:id, :code, :name, 'Liên Trì', :commune, 'Bình Sơn', "
                    ":province, 15, '2026-01-01', 1)"
                ),
                {"id": number, "code": code, "name": f"CLB {number}", "commune": commune, "province": province},
            )
    yield database
    database.dispose()


def places_of(database: Database) -> dict[str, tuple]:
    with database.transaction() as s:
        return {
            club.code: (club.province_code, club.province, club.commune_code, club.commune, club.place_asked_at)
            for club in s.exec(select(Club))
        }


def test_old_clubs_get_codes_where_their_names_are_exactly_one_place(old_db):
    old_db.migrate()
    assert places_of(old_db) == {
        "AAAAA2": ("51", "Quảng Ngãi", "21040", "Xã Bình Sơn", None),
        "AAAAA3": ("51", "Quảng Ngãi", None, "Bình Hiệp", None),
        "AAAAA4": (None, "Quảng Nam", None, "Tam Kỳ", None),
        "AAAAA5": ("79", "Thành phố Hồ Chí Minh", "26740", "Phường Sài Gòn", None),
        "AAAAA6": ("51", "Quảng Ngãi", None, "binh", None),
    }
    with old_db.transaction() as s:
        assert [club.code for club in clubs.unplaced(s)] == ["AAAAA3", "AAAAA4", "AAAAA6"]
        assert all(clubs.needs_place(club) for club in clubs.unplaced(s))


def test_the_unplaced_clubs_are_listed_with_their_places_as_stored(old_db, monkeypatch, capsys):
    old_db.migrate()
    monkeypatch.setenv("DATABASE_URL", old_db.url)
    assert main(["clubs", "--unplaced"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed == [
        "AAAAA3\tCLB 2\tQuảng Ngãi\tBình Hiệp",
        "AAAAA4\tCLB 3\tQuảng Nam\tTam Kỳ",
        "AAAAA6\tCLB 5\tQuảng Ngãi\tbinh",
    ]


def old_club(db, province: str = "Quảng Ngãi", province_code: str | None = "51") -> None:
    """A club as migration 0017m leaves one it could not place: no commune code, never asked."""
    with db.transaction() as s:
        chair = users.get_or_create(s, "console", "1", "Nguyễn Văn An")
        club = clubs.create_club(
            s, chair, NewClub("CLB thôn Liên Trì", "Liên Trì", "Bình Hiệp", "Bình Sơn", province, 15)
        )
        club.province_code, club.place_asked_at = province_code, None


def test_the_chair_of_an_unplaced_club_is_asked_once_for_its_commune(person, db):
    old_club(db)
    chair = person()
    asked = chair.says("xin chào")
    assert "Từ 1/7/2025" in asked and "(Bình Hiệp, Quảng Ngãi)" in asked
    assert "xã, phường hay đặc khu nào của Quảng Ngãi" in asked and "Bỏ qua" in asked
    assert "Huyện cũ" in chair.says("Bình Sơn")
    read_back = chair.says("Giữ: Bình Sơn")  # the former district stays as it was
    assert "xã Bình Sơn, tỉnh Quảng Ngãi" in read_back and "Huyện cũ: Bình Sơn" in read_back
    assert "Đã lưu nơi của CLB" in chair.says("1")
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        assert (club.commune_code, club.commune, club.district) == ("21040", "Xã Bình Sơn", "Bình Sơn")
        assert clubs.unplaced(s) == []
    assert "Từ 1/7/2025" not in chair.says("xin chào")


def test_a_chair_who_skips_is_not_asked_again_and_a_running_flow_is_not_interrupted(person, db):
    old_club(db, "Quảng Nam", None)
    chair = person()
    chair.says("/thanhvien")  # a flow is running: not now
    asked = chair.says("/huy")  # nor on a cancel
    assert "Từ 1/7/2025" not in asked
    asked = chair.says("/trogiup")  # an answer, then the question
    assert "(Bình Hiệp, Quảng Nam)" in asked and "tỉnh, thành phố nào" in asked
    assert "Đã bỏ qua" in chair.says("Bỏ qua")
    assert "Từ 1/7/2025" not in chair.says("/trogiup")
    with db.transaction() as s:
        assert [club.code for club in clubs.unplaced(s)] != [] and s.exec(select(Club)).one().place_asked_at
