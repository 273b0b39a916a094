"""/quyche: the chair sets the club's money rules, one at a time: which rule, its new value, the read-back."""

from __future__ import annotations

from dataclasses import dataclass

from handlers import readers
from handlers.core import YES, Answer, Choice, Ctx, choose_one, yes_or_no_choices
from handlers.flow import Flow, Question, Step, read_back
from handlers.money import texts
from handlers.parsing import InputError, parse_amount, parse_months, parse_rate
from storage import money_rules
from storage.models import FUNDS
from storage.money_rules import RULE_FIELDS, rules_of
from storage.names import fold

DONE, ASK_EACH_TIME = "done", "ask"
NOTHING = ("0", "khong", "none")  # typed for a monthly fee of none
FIELD, VALUE, CONFIRM = "field", "value", "confirm"


@dataclass
class RuleChange:
    field: str = ""
    value: int | bool | str | None = None


def start(ctx: Ctx, args: str) -> None:
    ctx.go(FIELD)


def ask_field(ctx: Ctx) -> Question:
    rules = rules_of(ctx.db, ctx.club.id)
    return Question(
        f"{texts.rules_text(ctx.club, rules)}\n\n{texts.ASK_RULE}",
        [*(Choice(field, texts.rule_label(field)) for field in RULE_FIELDS), Choice(DONE, texts.DONE_LABEL)],
    )


def on_field(ctx: Ctx, field: str) -> None:
    if field == DONE:
        ctx.end()
        return
    ctx.state.field = field
    ctx.forget(VALUE)  # a value of another rule
    ctx.go(VALUE)


def _value_choices(field: str) -> list[Choice]:
    if field == "lend_when_overdue":
        return yes_or_no_choices(texts.YES_LABEL, texts.NO_LABEL)
    if field == "default_fund":
        return [
            *(Choice(fund, texts.fund_name(fund)) for fund in FUNDS),
            Choice(ASK_EACH_TIME, texts.default_fund_name(None)),
        ]
    return []


def _read_monthly_fee(text: str) -> int:
    return 0 if fold(text) in NOTHING else parse_amount(text)


def read_value(ctx: Ctx, ans: Answer) -> int | bool | str | None:
    """The new value of the rule picked; InputError when the answer cannot be used."""
    field = ctx.state.field
    if field in ("lend_when_overdue", "default_fund"):
        if ans.choice is None:
            raise InputError(choose_one())
        if field == "lend_when_overdue":
            return ans.choice == YES
        return None if ans.choice == ASK_EACH_TIME else ans.choice
    parsers = {
        "monthly_fee": _read_monthly_fee,
        "loan_rate_bp": parse_rate,
        "max_loan": parse_amount,
        "max_term_months": parse_months,
    }
    return parsers[field](ans.text)


def on_value(ctx: Ctx, value: int | bool | str | None) -> None:
    ctx.state.value = value
    ctx.go(CONFIRM)


def summary(ctx: Ctx) -> str:
    field = ctx.state.field
    return texts.rule_change(field, getattr(rules_of(ctx.db, ctx.club.id), field), ctx.state.value)


def save(ctx: Ctx) -> None:
    rules = money_rules.change_rule(ctx.db, ctx.club.id, ctx.state.field, ctx.state.value, ctx.user)
    ctx.end()
    ctx.say(texts.rule_saved(ctx.club, rules))


STEPS = [
    Step(FIELD, ask_field, readers.choice, on_field, goes_to=(VALUE,)),
    Step(
        VALUE,
        lambda ctx: Question(texts.ask_rule_value(ctx.state.field), _value_choices(ctx.state.field)),
        read_value,
        on_value,
        goes_to=(CONFIRM,),
        label=lambda: texts.NEW_VALUE_LABEL,
    ),
    read_back(CONFIRM, summary, save),
]

flow = Flow("club_rules", start=start, steps=STEPS, state=RuleChange)
