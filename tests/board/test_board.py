"""The chair manages the board; a person who serves two clubs switches between them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REGISTRATION, register_club

ROOT = Path(__file__).resolve().parents[2]


def join(person, chair, role_number: str, user_id: str, name: str):
    code = chair.says_all("/moi", role_number, "1").split("/start ")[1].split()[0]
    member = person(user_id, name)
    member.says_all(f"/start {code}", "1")
    return member


def test_chair_changes_a_role_and_removes_someone(person):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    binh = join(person, chair, "2", "2", "Trần Thị Bình")  # treasurer
    board = chair.says("/bancn")
    assert "Trần Thị Bình: Thủ quỹ" in board
    chair.says("Trần Thị Bình")
    chair.says("Đổi vai trò")
    assert "Thủ quỹ đổi thành Phó chủ nhiệm" in chair.says("Phó chủ nhiệm")
    chair.says("1")
    assert "Phó chủ nhiệm" in binh.says("/trogiup")

    chair.says_all("/bancn", "Trần Thị Bình", "Cho ra khỏi Ban chủ nhiệm")
    assert "không còn trong Ban chủ nhiệm" in chair.says("1")
    assert "chưa ở trong Ban chủ nhiệm" in binh.says("/thanhvien")


def test_the_last_chair_cannot_step_down(person):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    chair.says_all("/bancn", "Nguyễn Văn An", "Đổi vai trò")
    assert "phải luôn có Chủ nhiệm" in chair.says("Thủ quỹ")
    assert "Chủ nhiệm" in chair.says("/trogiup")


def test_only_the_chair_sees_the_board_controls(person):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    secretary = join(person, chair, "3", "3", "Lê Văn Cường")
    board = secretary.says("/bancn")
    assert "Lê Văn Cường: Thư ký" in board and "Đổi vai trò" not in board and "hãy chọn người" not in board


def test_a_person_serving_two_clubs_switches_between_them(person):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    chair.says_all("/start", "Đăng ký thêm CLB khác", "CLB thôn Đông", *REGISTRATION[2:])
    switch = chair.says("/clb")
    assert "CLB thôn Đông" in switch and "CLB Liên thế hệ tự giúp nhau thôn Liên Trì" in switch
    assert "Đang làm việc với CLB Liên thế hệ tự giúp nhau thôn Liên Trì" in chair.says(
        "CLB Liên thế hệ tự giúp nhau thôn Liên Trì"
    )
    assert "thôn Liên Trì có 0 thành viên" in chair.says("/thanhvien")


def test_the_console_plays_several_board_members(tmp_path):
    script = (
        "\n".join(
            [
                *REGISTRATION,
                "/thanhvien",
                "2",
                ":paste",
                "Nguyễn Thị Lan, 1952, nữ",
                "Trần Văn Bình, 1948, nam",
                "",
                "1",
                "/moi",
                "2",
                "1",
                ":as 2 Trần Thị Bình",
                "/trogiup",
                ":quit",
            ]
        )
        + "\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'console.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--user", "1", "--name", "Nguyễn Văn An"],
        input=script,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Mã CLB" in result.stdout and "Bây giờ bạn là Trần Thị Bình (id 2)" in result.stdout
    assert "CLB hiện có 2 thành viên" in result.stdout
    assert "  1. Phó chủ nhiệm" in result.stdout  # choices as a numbered list
    assert "Bạn chưa ở trong Ban chủ nhiệm CLB nào" in result.stdout
