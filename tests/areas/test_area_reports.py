"""Combined reports of a commune or a province of the 2025 map, by the clubs' indexed codes (issue 17)."""

from __future__ import annotations

import json

from sqlmodel import select

from storage import reports
from storage.models import Club
from storage.periods import period
from tests.areas.support import BINH_SON, HA_NOI, HA_NOI_COMMUNE, QUANG_NGAI, TINH_KHE, place, placed
from tests.cli_support import run_cli
from tests.report_support import H1, lien_tri


def _clubs(db):
    """Liên Trì (43 members) in Bình Sơn; a club of old Kon Tum, merged into Quảng Ngãi, in the same commune; one
    in another commune of the province; one in Hà Nội; one not placed yet."""
    lien = lien_tri(db)
    place(db, lien, QUANG_NGAI, BINH_SON)
    with db.transaction() as s:
        placed(s, "CLB Kon Tum cũ", QUANG_NGAI, BINH_SON, province="Kon Tum", district="Đắk Hà", key="kontum")
        placed(s, "CLB Tịnh Khê", QUANG_NGAI, TINH_KHE, district="Sơn Tịnh", key="tinhkhe")
        placed(s, "CLB Hoàn Kiếm", HA_NOI, HA_NOI_COMMUNE, province="Hà Nội", district="Hoàn Kiếm", key="badinh")
        placed(s, "CLB chưa ghép", None, None, key="none")
    return lien


def names(report) -> list[str]:
    return [r.club.name for r in report.clubs]


def test_a_commune_report_has_its_clubs_across_the_merged_province_and_names_its_area(any_db):
    _clubs(any_db)
    with any_db.reading() as s:
        commune = reports.area_report(s, period(H1), province_code=QUANG_NGAI, commune_code=BINH_SON)
    assert set(names(commune)) == {"CLB Kon Tum cũ", "CLB thôn Liên Trì"}
    assert commune.totals.clubs == 2 and commune.totals.members.total == 43
    data = json.loads(reports.to_json(commune))
    assert data["area"] == {"level": "commune", "code": BINH_SON, "name": "Xã Bình Sơn", "province": "Quảng Ngãi"}
    assert data["title"] == "Xã Bình Sơn, Quảng Ngãi"
    assert {c["name"] for c in data["not_submitted"]} == {"CLB Kon Tum cũ", "CLB thôn Liên Trì"}


def test_a_province_report_has_every_club_of_the_province_and_nothing_else(any_db):
    _clubs(any_db)
    with any_db.reading() as s:
        province = reports.area_report(s, period(H1), province_code=QUANG_NGAI)
        capital = reports.area_report(s, period(H1), province_code=HA_NOI)
        empty = reports.area_report(s, period(H1), province_code="79")
    assert set(names(province)) == {"CLB Kon Tum cũ", "CLB thôn Liên Trì", "CLB Tịnh Khê"}
    assert province.totals.members.total == 43
    assert json.loads(reports.to_json(province))["area"] == {
        "level": "province",
        "code": QUANG_NGAI,
        "name": "Quảng Ngãi",
        "province": "Quảng Ngãi",
    }
    assert names(capital) == ["CLB Hoàn Kiếm"] and capital.area.name == "Thành phố Hà Nội"
    assert empty.clubs == [] and empty.totals.clubs == 0


def test_a_district_report_still_works_by_the_old_label_and_says_so(any_db):
    _clubs(any_db)
    with any_db.reading() as s:
        district = reports.district_report(s, period(H1), district="bình sơn")
        mixed = reports.district_report(
            s,
            period(H1),
            club_ids=list(s.exec(select(Club.id).where(Club.name.in_(["CLB Tịnh Khê", "CLB Hoàn Kiếm"])))),
        )
    assert set(names(district)) == {"CLB chưa ghép", "CLB thôn Liên Trì"}
    assert json.loads(reports.to_json(district))["area"] == {
        "level": "district",
        "code": None,
        "name": "bình sơn",
        "province": "Quảng Ngãi",
    }
    assert mixed.area is None and json.loads(reports.to_json(mixed))["area"] is None


def test_a_commune_of_another_province_is_refused(any_db):
    with any_db.reading() as s:
        try:
            reports.area_report(s, period(H1), province_code=HA_NOI, commune_code=BINH_SON)
        except ValueError:
            return
    raise AssertionError("a commune outside the province was taken")


def test_cli_report_by_province_and_commune_codes_or_names(db):
    _clubs(db)

    def report(*args):
        return run_cli(db.url, "report", *args, "--period", H1, "--format", "json")

    by_code = report("--province", QUANG_NGAI, "--commune", BINH_SON)
    assert by_code.returncode == 0, by_code.stderr
    assert json.loads(by_code.stdout)["area"]["code"] == BINH_SON
    by_name = report("--province", "tinh quang ngai", "--commune", "xa binh son")
    assert json.loads(by_name.stdout) == json.loads(by_code.stdout)
    commune_alone = report("--commune", BINH_SON)
    assert json.loads(commune_alone.stdout)["totals"]["clubs"] == 2
    province = report("--province", "Quảng Ngãi")
    assert json.loads(province.stdout)["totals"]["clubs"] == 3
    text = run_cli(db.url, "report", "--province", "51", "--commune", "tinh khe", "--period", H1)
    assert text.returncode == 0 and "Xã Tịnh Khê" in text.stdout
    district = report("--district", "Bình Sơn")
    assert json.loads(district.stdout)["area"]["level"] == "district"


def test_cli_an_ambiguous_or_unknown_place_exits_2_listing_the_choices(db):
    _clubs(db)
    several = run_cli(db.url, "report", "--province", "ha", "--period", H1)
    assert several.returncode == 2
    assert "01\tThành phố Hà Nội" in several.stderr and "42\tHà Tĩnh" in several.stderr
    unknown = run_cli(db.url, "report", "--province", "Quang Ngia", "--period", H1)
    assert unknown.returncode == 2 and "51\tQuảng Ngãi" in unknown.stderr
    no_commune = run_cli(db.url, "report", "--province", "51", "--commune", "Binh Sn", "--period", H1)
    assert no_commune.returncode == 2 and "21040\tXã Bình Sơn, Quảng Ngãi" in no_commune.stderr
    name_alone = run_cli(db.url, "report", "--commune", "Binh Son", "--period", H1)
    assert name_alone.returncode == 2 and "--province" in name_alone.stderr
    both = run_cli(db.url, "report", "--province", "51", "--district", "Bình Sơn", "--period", H1)
    assert both.returncode == 2
    nobody = run_cli(db.url, "report", "--province", "79", "--period", H1)
    assert nobody.returncode == 1 and "Hồ Chí Minh" in nobody.stderr
