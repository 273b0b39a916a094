"""/quyche: the chair sets the club's money rules. /nhom: the chair links the board's group chat, where every
saved money entry is then announced."""

from __future__ import annotations

from handlers.core import NO, YES, Answer, Choice, Ctx, choose_one, confirmed
from handlers.flow import Flow
from handlers.money import texts
from handlers.parsing import InputError, parse_amount, parse_months, parse_rate
from storage import money_rules
from storage.models import FUNDS
from storage.money_rules import RULE_FIELDS, rules_of
from storage.names import fold

DONE, ASK_EACH_TIME, UNLINK = "done", "ask", "unlink"
NOTHING = ("0", "khong", "none")  # typed for a monthly fee of none


def start_rules(ctx: Ctx, args: str) -> None:
    ask_field(ctx)


rules_flow = Flow("club_rules", start=start_rules)


def ask_field(ctx: Ctx) -> None:
    rules = rules_of(ctx.db, ctx.club.id)
    ctx.ask(
        "field",
        f"{texts.rules_text(ctx.club, rules)}\n\n{texts.ask_rule()}",
        [*(Choice(field, texts.rule_label(field)) for field in RULE_FIELDS), Choice(DONE, texts.done_label())],
    )


def _value_choices(field: str) -> list[Choice]:
    if field == "lend_when_overdue":
        return [Choice(YES, texts.yes_label(), ("co",)), Choice(NO, texts.no_label(), ("khong",))]
    if field == "default_fund":
        return [
            *(Choice(fund, texts.fund_name(fund)) for fund in FUNDS),
            Choice(ASK_EACH_TIME, texts.default_fund_name(None)),
        ]
    return []


@rules_flow.step("field")
def on_field(ctx: Ctx, ans: Answer) -> None:
    if ans.choice == DONE:
        ctx.end()
    elif ans.choice in RULE_FIELDS:
        ctx.data["field"] = ans.choice
        ctx.ask("value", texts.ask_rule_value(ans.choice), _value_choices(ans.choice))
    else:
        ctx.retry(choose_one())


def _read_monthly_fee(text: str) -> int:
    return 0 if fold(text) in NOTHING else parse_amount(text)


def read_value(field: str, ans: Answer):
    """The new value of `field` from the answer; InputError when it cannot be used."""
    if field in ("lend_when_overdue", "default_fund"):
        if ans.choice is None:
            raise InputError(choose_one())
        if field == "lend_when_overdue":
            return ans.choice == YES
        return None if ans.choice == ASK_EACH_TIME else ans.choice
    readers = {
        "monthly_fee": _read_monthly_fee,
        "loan_rate_bp": parse_rate,
        "max_loan": parse_amount,
        "max_term_months": parse_months,
    }
    return readers[field](ans.text)


@rules_flow.step("value")
def on_value(ctx: Ctx, ans: Answer) -> None:
    field = ctx.data["field"]
    try:
        value = read_value(field, ans)
    except InputError as problem:
        ctx.retry(str(problem))
        return
    ctx.data["value"] = value
    old = getattr(rules_of(ctx.db, ctx.club.id), field)
    ctx.confirm("confirm", texts.rule_change(field, old, value))


@rules_flow.step("confirm")
def on_confirm(ctx: Ctx, ans: Answer) -> None:
    if not confirmed(ctx, ans):
        return
    rules = money_rules.change_rule(ctx.db, ctx.club.id, ctx.data["field"], ctx.data["value"], ctx.user)
    ctx.end()
    ctx.say(texts.rule_saved(ctx.club, rules))


# --- /nhom ------------------------------------------------------------------------------------------------


def start_group(ctx: Ctx, args: str) -> None:
    if ctx.msg.is_group:
        ctx.confirm("link", texts.ask_link_group(ctx.club), texts.link_label())
    elif money_rules.board_chat(ctx.db, ctx.club.id, ctx.msg.channel) is None:
        ctx.say(texts.link_from_group())
    else:
        ctx.ask(
            "unlink",
            texts.group_is_linked(ctx.club),
            [Choice(UNLINK, texts.unlink_label()), Choice(DONE, texts.done_label())],
        )


group_flow = Flow("board_chat", start=start_group)


@group_flow.step("link")
def on_link(ctx: Ctx, ans: Answer) -> None:
    if confirmed(ctx, ans):
        money_rules.link_board_chat(ctx.db, ctx.club.id, ctx.msg.channel, ctx.msg.chat_id, ctx.user)
        ctx.end()
        ctx.say(texts.group_linked(ctx.club))


@group_flow.step("unlink")
def on_unlink(ctx: Ctx, ans: Answer) -> None:
    if ans.choice == UNLINK:
        money_rules.unlink_board_chat(ctx.db, ctx.club.id, ctx.msg.channel, ctx.user)
        ctx.end()
        ctx.say(texts.group_unlinked())
    elif ans.choice == DONE:
        ctx.end()
    else:
        ctx.retry(choose_one())
