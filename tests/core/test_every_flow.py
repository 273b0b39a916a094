"""Back, change and switching, checked in every declared flow by walking it, not written flow by flow.

A chair of a club with half a year of books starts each command and answers its questions one by one: the
first choice offered (unless `PICK` says which), or the typed answer `TYPED` gives for that step. On the way,
at every question after the first, "quay lại" must lead to the question before, which takes the same answer
again; at every read-back, "Sửa một câu trả lời" must list the answers, ask the first again and come back to
the read-back; and once a flow holds answers, another command must ask before dropping them. Every message
sent on the way keeps to the line budget of `within_budget`, unless it is a list the person asked for.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from handlers.core import EDIT_STEP, NO, Choice, Reply
from handlers.dispatcher import BACK, SWITCH_STEP
from handlers.flow import EDIT
from handlers.registry import COMMANDS
from storage import loans, members, users
from storage.members import NewMember
from storage.models import CHAIR, FEMALE, MALE, Conversation
from tests.conftest import TODAY, ConsolePerson
from tests.report_support import lien_tri
from tests.snapshot_support import built_once

CHAIR_KEY = "chair-lientri"
# A typed answer that works, for each declared step that is answered by typing.
TYPED: dict[tuple[str, str], str] = {
    ("start", "name"): "CLB Liên thế hệ thôn An Phú",
    ("start", "village"): "An Phú",
    ("start", "province"): "quang ngai",
    ("start", "commune"): "xã Trường Giang",
    ("start", "district"): "Sơn Tịnh",
    ("place", "province"): "Quảng Ngãi",
    ("place", "commune"): "Bình Sơn",
    ("place", "district"): "Bình Sơn",
    ("start", "decision"): "12/QĐ-UBND",
    ("start", "founded_on"): "02/03/2020",
    ("start", "meeting_day"): "10",
    ("report", "full_name"): "Nguyễn Văn An",
    ("members", "name"): "Trần Thị Hoa",
    ("members", "birth_year"): "1950",
    ("members", "phone"): "0912345678",
    ("contribution", "who"): "Nguyễn Thị Lan",
    ("contribution", "amount"): "50k",
    ("loan", "who"): "Nguyễn Thị Lan",
    ("loan", "amount"): "500k",
    ("loan", "term"): "6",
    ("expense", "amount"): "100k",
    ("expense", "purpose"): "Nước uống",
    ("repayment", "who"): "Trần Văn Bình",
    ("repayment", "amount"): "100k",
    ("statement", "who"): "Nguyễn Thị Lan",
    ("club_rules", "value"): "20k",
    ("meetings", "health_checks"): "10",
    ("meetings", "topic"): "Phòng chống cao huyết áp",
    ("meetings", "notes"): "Họp đủ",
    ("moving_in", "income"): "2tr",
    ("moving_in", "activity"): "300k",
    ("moving_in", "who"): "Thành Viên 01",
    ("moving_in", "principal"): "1tr",
    ("moving_in", "paid_out"): "15/06/2026",
    ("moving_in", "term"): "12",
    ("moving_in", "owed"): "500k",
}
# Commands that, for this chair, answer without asking: /nhom is set up in the board's group chat, and /clb
# switches between clubs, of which this chair has one.
ONLY_ANSWER = {"nhom", "clb"}
# The choices to take, visit after visit, where the first one would go round in circles: everyone present,
# then on.
PICK: dict[tuple[str, str], tuple[str, ...]] = {
    ("meetings", "attendance"): ("tick", "all", "done"),
    ("meetings", "areas"): ("health", "done"),
    ("moving_in", "more_loans"): ("done",),
    ("report", "parts"): ("members", "money", "mark"),
}
# Choices that end a flow or step out of it: taken only when nothing else is offered.
LEAVING = {NO, BACK, EDIT, "done", "menu", "close"}
MOST_ANSWERS = 30
# What one message may hold, unless it is a list the person asked for (Reply.is_list): about one phone screen
# for someone reading slowly. Counted as Zalo and the console show it: the text's lines (blank lines between
# paragraphs not counted) and, apart, the numbered choices under it, one a line. On Telegram the choices are
# buttons, so the choices' budget is what Zalo's numbered list may hold. The channel's own hint under a question
# ("Go quay lai ...") is not the message's: not counted.
MOST_TEXT_LINES = 12
MOST_CHOICES = 12


def text_lines(reply: Reply) -> int:
    return sum(1 for line in reply.text.splitlines() if line.strip())


def within_budget(reply: Reply) -> bool:
    return reply.is_list or (text_lines(reply) <= MOST_TEXT_LINES and len(reply.choices) <= MOST_CHOICES)


def recording(chair: ConsolePerson) -> list[Reply]:
    """Every reply the chair gets from now on, as sent (before the console draws it)."""
    sent: list[Reply] = []
    send = chair.send

    def send_and_keep(*args, **kwargs) -> list[Reply]:
        replies = send(*args, **kwargs)
        sent.extend(replies)
        return replies

    chair.send = send_and_keep  # type: ignore[method-assign]
    return sent


def walked_commands() -> list[str]:
    return [
        command.names[0]
        for command in COMMANDS
        if command.flow.steps and (command.roles is None or CHAIR in command.roles)
    ]


@built_once
def club_with_a_borrower(db) -> None:
    """Half a year of books, and two members with names as people have them (the sample's "Thành Viên 01"
    reads as an amount when typed with a command), one of them with a loan running."""
    club_id = lien_tri(db)
    with db.transaction() as s:
        chair = users.get_or_create(s, "console", CHAIR_KEY, "Nguyễn Văn An")
        members.add(s, club_id, NewMember("Nguyễn Thị Lan", 1952, FEMALE), chair, TODAY.date())
        binh = members.add(s, club_id, NewMember("Trần Văn Bình", 1950, MALE), chair, TODAY.date())
        loans.lend(
            s,
            club_id,
            member_id=binh.id,
            amount=1_000_000,
            term_months=5,
            purpose="trade",
            on=TODAY.date(),
            by=chair,
            today=TODAY.date(),
        )


def where(db) -> tuple[str | None, str | None, dict[str, Any]]:
    with db.transaction() as s:
        convo = s.exec(select(Conversation).where(Conversation.user_key == CHAIR_KEY)).one()
        return convo.flow, convo.step, convo.data


def answer_for(flow: str, step: str, data: dict[str, Any], visit: int) -> str:
    if (flow, step) in TYPED:
        return TYPED[flow, step]
    offered = [(value, label) for value, label, _aliases in data.get("_choices", [])]
    if (flow, step) in PICK:
        picks = PICK[flow, step]
        wanted = picks[min(visit, len(picks) - 1)]
        leaving = [label for value, label in offered if value in LEAVING]
        # A pick that is not offered (the report already marked as handed in): the way out instead.
        return next((label for value, label in offered if value == wanted), None) or leaving[0]
    staying = [label for value, label in offered if value not in LEAVING]
    if staying or offered:
        return (staying or [label for _value, label in offered])[0]
    raise AssertionError(f"no typed answer for {flow}.{step}: add one to TYPED")


def check_back(chair: ConsolePerson, db, flow: str, step: str, data: dict[str, Any], given: dict[str, str]) -> None:
    before = data["_history"][-2]
    reply = chair.says("quay lại")
    assert where(db)[:2] == (flow, before["step"]), (flow, step, reply)
    if before["answer"]:
        assert f"Bạn đã trả lời: {before['answer']}" in reply, (flow, step, reply)
    chair.says(given[before["step"]])
    assert where(db)[:2] == (flow, step), (flow, step, "the same answer again leads to the same question")


def check_change(chair: ConsolePerson, db, flow: str, step: str, given: dict[str, str]) -> None:
    listed = chair.says("Sửa một câu trả lời")
    assert where(db)[1] == EDIT_STEP, (flow, step, listed)
    chair.says("1")
    changed = where(db)[1]
    assert changed in given, (flow, step, changed)
    chair.says(given[changed])
    assert where(db)[:2] == (flow, step), (flow, step, "after the change, the read-back again")


def check_switch(chair: ConsolePerson, db, flow: str, step: str) -> None:
    asked = chair.says("/moi")
    assert "Bạn đang làm dở" in asked and where(db)[1] == SWITCH_STEP, (flow, step, asked)
    chair.says("1")
    assert where(db)[:2] == (flow, step), (flow, step, "going on leaves the flow where it was")


def holds_work(flow, data: dict[str, Any]) -> bool:
    """Answers to questions that name a field: what the switch question protects."""
    labelled = {step.name for step in flow.steps if step.label is not None}
    return any(entry["answer"] and entry["step"] in labelled for entry in data.get("_history", []))


@pytest.mark.parametrize("command", walked_commands())
def test_walking_a_flow_back_change_and_switch_work_at_every_question(command, db, person):
    club_with_a_borrower(db)
    chair = person(CHAIR_KEY, "Nguyễn Văn An")
    sent = recording(chair)
    flow_name = next(c.flow.name for c in COMMANDS if c.names[0] == command)
    flow = next(c.flow for c in COMMANDS if c.names[0] == command)
    chair.says(f"/{command}")
    given: dict[str, str] = {}
    asked, backs, switched = [], 0, False
    for _answer in range(MOST_ANSWERS):
        current, step, data = where(db)
        if current != flow_name or step is None:
            break
        asked.append(step)
        if len(data.get("_history", [])) >= 2 and data["_history"][-2]["step"] in given:
            check_back(chair, db, flow_name, step, data, given)
            backs += 1
        if any(value == EDIT for value, _label, _aliases in data.get("_choices", [])):
            check_change(chair, db, flow_name, step, given)
        if not switched and holds_work(flow, data):
            check_switch(chair, db, flow_name, step)
            switched = True
        answer = answer_for(flow_name, step, where(db)[2], asked.count(step) - 1)
        given[step] = answer
        chair.says(answer)
    assert asked or command in ONLY_ANSWER, f"/{command} asked nothing"
    assert backs or len(asked) <= 1, f"/{command}: never went back, though it asked {asked}"
    too_long = [reply.text for reply in sent if not within_budget(reply)]
    assert not too_long, f"/{command}: messages over {MOST_TEXT_LINES} lines or {MOST_CHOICES} choices: {too_long}"


def test_the_line_budget_counts_text_lines_and_choices_and_lets_a_requested_list_run_longer():
    twelve = "\n\n".join(f"line {n}" for n in range(MOST_TEXT_LINES))
    assert within_budget(Reply(twelve)) and not within_budget(Reply(twelve + "\none more"))
    assert within_budget(Reply(twelve + "\none more", is_list=True))
    choices = [Choice(str(n), f"choice {n}") for n in range(MOST_CHOICES + 1)]
    assert not within_budget(Reply("Which one?", choices)) and within_budget(Reply("Which one?", choices[1:]))
