"""What the bot says about money: questions, read-backs, balances, statements, and why something was refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal

from handlers.i18n import DASH, _, babel_locale, day, lazy, money, period_name
from handlers.parsing import date_examples
from storage.corrections import (
    ALREADY_REVERSED,
    LOAN_HAS_REPAYMENTS,
    NOT_FOUND,
    REVERSE_A_REVERSAL,
    SPLIT_AGAIN,
    ReversalPlan,
)
from storage.ledger import CannotReverse, HasOverdueLoan, LoanTooLarge, MoneyError, NotEnoughCash, TermTooLong
from storage.loans import REALLOCATED, DueLine, Resplit
from storage.models import (
    ACTIVITY_FUND,
    CAPITAL,
    CROPS,
    DONATION,
    EXPENSE,
    EXTRA,
    FEMALE,
    INCOME_FUND,
    LIVESTOCK,
    LOAN,
    MONTHLY_FEE,
    OPENING,
    REPAYMENT,
    SMALL_TRADE,
    Club,
    ClubRules,
    LedgerEntry,
    Loan,
    Member,
)
from storage.money_reports import FundsSummary
from storage.schedule import Instalment, LoanPosition

# --- names of things ------------------------------------------------------------------------------------


def fund_name(fund: str) -> str:
    return {INCOME_FUND: _("income fund"), ACTIVITY_FUND: _("activity fund")}[fund]


def kind_name(kind: str) -> str:
    return {
        CAPITAL: _("capital"),
        MONTHLY_FEE: _("monthly fee"),
        EXTRA: _("extra contribution"),
        DONATION: _("donation"),
        LOAN: _("loan paid out"),
        REPAYMENT: _("repayment"),
        EXPENSE: _("expense"),
        OPENING: _("Opening balance"),  # brought in when the club's books moved to the bot
    }[kind]


def purpose_name(purpose: str) -> str:
    return {LIVESTOCK: _("livestock"), CROPS: _("crops"), SMALL_TRADE: _("small trade")}.get(purpose, _("other"))


def person(member: Member) -> str:
    """'Ba Nguyen Thi Lan' / 'Ong Tran Van Binh': how the board speaks of a member."""
    if member.sex is None:  # anonymised (Thành viên #12): neither Ms. nor Mr.
        return member.full_name
    return (_("Ms. {name}") if member.sex == FEMALE else _("Mr. {name}")).format(name=member.full_name)


def member_label(member: Member) -> str:
    return f"{member.full_name} ({member.birth_year})" if member.birth_year else member.full_name


def percent(rate_bp: int) -> str:
    """50 -> '0,5' (Vietnamese) or '0.5' (English)."""
    return format_decimal(Decimal(rate_bp) / 100, locale=babel_locale())


def rate_text(rate_bp: int) -> str:
    return _("{rate} % a month").format(rate=percent(rate_bp)) if rate_bp else _("no fee")


# --- shared questions -----------------------------------------------------------------------------------


def pick_member(name: str, count: int) -> str:
    return _('{count} members match "{name}". Which one?').format(count=count, name=name[:40])


def nobody_called(name: str) -> str:
    return _('Nobody in the club is called "{name}". Check the name and type it again, or /huy to stop.').format(
        name=name[:40]
    )


def nobody_called_maybe_outside(name: str) -> str:
    return _(
        'Nobody in the club is called "{name}". If the money comes from outside the club (the commune, an '
        "organisation, a donor), choose below. Otherwise type the name again."
    ).format(name=name[:40])


def did_you_mean(name: str, outside: bool) -> str:
    if outside:
        return _(
            'Nobody in the club is called "{name}". Did you mean one of these members? If the money comes from '
            "outside the club, choose that below."
        ).format(name=name[:40])
    return _('Nobody in the club is called "{name}". Did you mean one of these members?').format(name=name[:40])


def outside_label(name: str) -> str:
    return _("From outside the club: {name}").format(name=name[:40])


NO_NAME = lazy(lambda: _("Type the member's name too, for example: Lan 50k."))


SAVE_QUESTION = lazy(lambda: _("Save this?"))


CHANGE_DATE_LABEL = lazy(lambda: _("Another date"))


def ask_date(today: date) -> str:
    return _("On what date did the money change hands? Type it like {examples}.").format(examples=date_examples(today))


TODAY_LABEL = lazy(lambda: _("Today"))


NEXT_MEMBER_LABEL = lazy(lambda: _("Next member"))


DONE_LABEL = lazy(lambda: _("Done"))

# The answers' names in the read-back's "change an answer" list.
AMOUNT_LABEL = lazy(lambda: _("Amount"))

DATE_LABEL = lazy(lambda: _("Date"))


def not_saved(problem: str) -> str:
    return _("Nothing was saved. {problem}").format(problem=problem)


def announcement(who: str, what: str) -> str:
    return _("{who} recorded: {what}").format(who=who, what=what)


# --- why something was refused --------------------------------------------------------------------------


def not_enough_cash(error: NotEnoughCash) -> str:
    return _(
        "The {fund} has only {available} in cash (on that day or since), less than that. "
        "Type a smaller amount, or /huy to stop."
    ).format(fund=fund_name(error.fund), available=money(error.available))


def loan_too_large(error: LoanTooLarge) -> str:
    return _(
        "The club's rules allow loans of at most {limit}. Type a smaller amount "
        "(the chair can change the rule with /quyche)."
    ).format(limit=money(error.limit))


def term_too_long(error: TermTooLong) -> str:
    return _(
        "The club's rules allow loans of at most {limit} months. Type a shorter term "
        "(the chair can change the rule with /quyche)."
    ).format(limit=error.limit)


def has_overdue_loan(member: Member, error: HasOverdueLoan) -> str:
    return _(
        "{name} has {amount} overdue since {date}. Under the club's rules there is no new loan until it is "
        "paid (the chair can change this with /quyche)."
    ).format(name=person(member), amount=money(error.overdue), date=day(error.since))


def cannot_reverse(error: CannotReverse) -> str:
    if error.why == SPLIT_AGAIN:
        return _(
            "That repayment was split again between fee and principal after a correction; it stands now as "
            "entry #{number}. To reverse the payment, reverse #{number}."
        ).format(number=error.stands_as)
    return {
        REVERSE_A_REVERSAL: _(
            "That entry is itself a correction and cannot be undone. Record the money again instead."
        ),
        ALREADY_REVERSED: _("That entry has already been reversed."),
        LOAN_HAS_REPAYMENTS: _("Repayments were recorded on that loan. Reverse them first, then the loan."),
        NOT_FOUND: _("There is no such entry in this club's books."),
    }[error.why]


def money_problem(error: MoneyError) -> str:
    """The refusals that read the same wherever they happen."""
    if isinstance(error, NotEnoughCash):
        return not_enough_cash(error)
    if isinstance(error, LoanTooLarge):
        return loan_too_large(error)
    if isinstance(error, TermTooLong):
        return term_too_long(error)
    if isinstance(error, CannotReverse):
        return cannot_reverse(error)
    return _("The books changed meanwhile. Start again to see the new figures.")


# --- contributions --------------------------------------------------------------------------------------


ASK_CONTRIBUTOR = lazy(
    lambda: _(
        "Who is contributing? Type the member's name, with or without accents; you may add the amount "
        "(Lan 50k). For money from outside the club, type who gives it."
    )
)


ASK_FUND = lazy(lambda: _("Into which fund?"))


ASK_CONTRIBUTION_KIND = lazy(lambda: _("What kind of contribution is it?"))


CONTRIBUTOR_LABEL = lazy(lambda: _("Contributor"))

FUND_LABEL = lazy(lambda: _("Fund"))

KIND_LABEL = lazy(lambda: _("Kind of contribution"))


def ask_contribution_amount(giver: str) -> str:
    return _("How much does {giver} give? For example 50000, 50k or 1tr5.").format(giver=giver)


def monthly_fee_label(fee: int) -> str:
    return _("The monthly fee: {amount}").format(amount=money(fee))


def contribution_summary(giver: str, amount: int, fund: str, kind: str, on: date) -> str:
    return _("{giver} gives {amount} to the {fund} ({kind}), on {date}.").format(
        giver=giver, amount=money(amount), fund=fund_name(fund), kind=kind_name(kind), date=day(on)
    )


def contribution_saved(entry: LedgerEntry, cash: int) -> str:
    return _("Saved as entry #{number}. The {fund} now holds {cash} in cash. Next member?").format(
        number=entry.id, fund=fund_name(entry.fund), cash=money(cash)
    )


# --- loans ----------------------------------------------------------------------------------------------


ASK_BORROWER = lazy(
    lambda: _("Who is borrowing? Type the member's name; you may add the amount and the months (Lan 3tr 12).")
)


def ask_loan_amount(borrower: str, cash: int, rules: ClubRules) -> str:
    return _(
        "How much does {name} borrow? For example 3tr or 3.000.000. The income fund has {cash} in cash; "
        "the club's rules allow at most {limit}."
    ).format(name=borrower, cash=money(cash), limit=money(rules.max_loan))


def ask_term(rules: ClubRules) -> str:
    return _("For how many months? At most {limit} (for example 12).").format(limit=rules.max_term_months)


ASK_PURPOSE = lazy(lambda: _("What is the loan for?"))


BORROWER_LABEL = lazy(lambda: _("Borrower"))

TERM_LABEL = lazy(lambda: _("Months"))

PURPOSE_LABEL = lazy(lambda: _("Purpose"))


def schedule_lines(schedule: list[Instalment]) -> str:
    return "\n".join(
        _("{number}. {date}: {amount}").format(number=i.number, date=day(i.due_on), amount=money(i.total))
        for i in schedule
    )


def loan_summary(
    borrower: str, amount: int, months: int, purpose: str, on: date, rate_bp: int, schedule: list[Instalment]
) -> str:
    head = _(
        "{name} borrows {amount} from the income fund for {months} months ({purpose}), paid out on {date}. Fee: {rate}."
    ).format(
        name=borrower,
        amount=money(amount),
        months=months,
        purpose=purpose_name(purpose),
        date=day(on),
        rate=rate_text(rate_bp),
    )
    fee = sum(i.interest for i in schedule)
    plan = _("Monthly repayments (total fee {fee}):").format(fee=money(fee))
    return f"{head}\n{plan}\n{schedule_lines(schedule)}"


def loan_saved(loan: Loan, cash: int, first: Instalment) -> str:
    return _(
        "Saved: loan #{number}. The first repayment, {amount}, is due on {date}. The income fund now holds "
        "{cash} in cash."
    ).format(number=loan.id, amount=money(first.total), date=day(first.due_on), cash=money(cash))


def loan_announcement(borrower: str, loan: Loan) -> str:
    return _("{name} borrows {amount} for {months} months (loan #{number}).").format(
        name=borrower, amount=money(loan.principal), months=loan.term_months, number=loan.id
    )


# --- repayments -----------------------------------------------------------------------------------------


ASK_PAYER = lazy(lambda: _("Who is repaying? Type the member's name; you may add the amount (Lan 500k)."))


PAYER_LABEL = lazy(lambda: _("Payer"))

LOAN_LABEL = lazy(lambda: _("Loan"))


def no_loan(member: Member) -> str:
    return _("{name} has no loan to repay. Type another name, or /huy to stop.").format(name=person(member))


def loan_label(loan: Loan, pos: LoanPosition) -> str:
    return _("{amount} from {date}, owes {owed}").format(
        amount=money(loan.principal), date=day(loan.disbursed_on), owed=money(pos.owed)
    )


def pick_loan(member: Member) -> str:
    return _("{name} has several loans. Which one is this payment for?").format(name=person(member))


def owed_now(pos: LoanPosition) -> str:
    text = _("Owed now: {owed} ({principal} of the loan and {fee} fee due).").format(
        owed=money(pos.owed), principal=money(pos.principal_left), fee=money(pos.interest_due)
    )
    if pos.overdue:
        text += " " + _("Overdue: {amount} since {date}.").format(
            amount=money(pos.overdue), date=day(pos.overdue_since)
        )
    return text


def ask_repayment(member: Member, pos: LoanPosition) -> str:
    return _("How much does {name} pay?").format(name=person(member)) + " " + owed_now(pos)


def due_label(amount: int) -> str:
    return _("What is due now: {amount}").format(amount=money(amount))


def overpayment(member: Member, pos: LoanPosition) -> str:
    return _(
        "{name} owes only {owed} ({principal} of the loan and {fee} fee due). Type an amount up to {owed}."
    ).format(
        name=person(member), owed=money(pos.owed), principal=money(pos.principal_left), fee=money(pos.interest_due)
    )


def repayment_summary(member: Member, amount: int, interest: int, owed_after: int, on: date) -> str:
    head = _("{name} repays {amount} — still owed: {owed}.").format(
        name=person(member), amount=money(amount), owed=money(owed_after)
    )
    split = _("{fee} goes to the fee and {principal} to the loan; dated {date}.").format(
        fee=money(interest), principal=money(amount - interest), date=day(on)
    )
    return f"{head}\n{split}"


def repayment_saved(entry: LedgerEntry, pos: LoanPosition) -> str:
    if pos.closed:
        return _("Saved as entry #{number}. The loan is fully repaid. Next member?").format(number=entry.id)
    return _("Saved as entry #{number}. Still owed: {owed}. Next repayment: {amount} on {date}. Next member?").format(
        number=entry.id, owed=money(pos.owed), amount=money(pos.next_due_amount), date=day(pos.next_due_on)
    )


# --- expenses -------------------------------------------------------------------------------------------


def ask_expense(cash: int) -> str:
    return _(
        "How much was spent from the activity fund? It holds {cash} in cash. You may add what it was for ({example})."
    ).format(cash=money(cash), example=_("200k văn nghệ"))


AMOUNT_FIRST = lazy(lambda: _("Start with the amount, for example: 200k văn nghệ."))


SPENT_ON_LABEL = lazy(lambda: _("Spent on"))


def ask_expense_purpose(amount: int) -> str:
    return _("What were the {amount} spent on? For example: thăm hỏi hội viên ốm.").format(amount=money(amount))


def purpose_problem(limit: int) -> str:
    return _("Say in a few words what the money was for (at most {limit} letters).").format(limit=limit)


def expense_summary(amount: int, purpose: str, on: date) -> str:
    return _("{amount} spent from the activity fund on {date} for: {purpose}.").format(
        amount=money(amount), date=day(on), purpose=purpose
    )


def expense_saved(entry: LedgerEntry, cash: int) -> str:
    return _("Saved as entry #{number}. The activity fund now holds {cash} in cash.").format(
        number=entry.id, cash=money(cash)
    )


# --- balances, statements, what is due ------------------------------------------------------------------


def funds(club: Club, figures: FundsSummary, on: date) -> str:
    return "\n".join(
        [
            _("Funds of {club} on {date}").format(club=club.name, date=day(on)),
            "",
            _("Income fund: {total} in all").format(total=money(figures.income_total)),
            _("- cash on hand: {amount}").format(amount=money(figures.income_cash)),
            _("- out on loan: {amount} ({count} members owe)").format(
                amount=money(figures.loans_outstanding), count=figures.borrowers_owing
            ),
            _("- built from the opening balance {opening}, contributions {capital} and loan fees {fees}").format(
                opening=money(figures.income_opening), capital=money(figures.capital), fees=money(figures.interest)
            )
            if figures.income_opening
            else _("- built from contributions {capital} and loan fees {fees}").format(
                capital=money(figures.capital), fees=money(figures.interest)
            ),
            "",
            _("Activity fund: {cash} cash on hand").format(cash=money(figures.activity_cash)),
            _("- opening balance {opening}, money in {income}, spent {spent}").format(
                opening=money(figures.activity_opening),
                income=money(figures.activity_in),
                spent=money(figures.activity_spent),
            )
            if figures.activity_opening
            else _("- money in {income}, spent {spent}").format(
                income=money(figures.activity_in), spent=money(figures.activity_spent)
            ),
        ]
    )


STATEMENT_LABEL = lazy(lambda: _("A member's statement"))


DUE_LIST_LABEL = lazy(lambda: _("Due this month and overdue"))


CLOSE_LABEL = lazy(lambda: _("Close"))


ASK_STATEMENT_MEMBER = lazy(lambda: _("Whose statement? Type the member's name."))


def entry_line(entry: LedgerEntry) -> str:
    """'#12 23/11/2026 monthly fee, activity fund: 50.000 d', a reversal with what it reverses and why."""
    what = _("{kind}, {fund}").format(kind=kind_name(entry.kind), fund=fund_name(entry.fund))
    if entry.note:
        what += f" ({entry.note})"
    if entry.reallocates_entry_id is not None:  # a repayment the books split again: its new split
        what += " " + _("(fee/principal split again for #{number}: fee {fee}, principal {principal})").format(
            number=entry.reallocates_entry_id, fee=money(entry.interest), principal=money(entry.amount - entry.interest)
        )
    if entry.reverses_entry_id is not None:
        what = _("reverses #{number} ({what}); reason: {reason}").format(
            number=entry.reverses_entry_id, what=what, reason=reason_text(entry.reason)
        )
    sign = "-" if entry.reverses_entry_id is not None else ""
    return f"#{entry.id} {day(entry.entry_date)} {what}: {sign}{money(abs(entry.amount))}"


def loan_line(loan: Loan, pos: LoanPosition) -> str:
    text = _("Loan #{number}: {amount} on {date} for {months} months ({purpose}).").format(
        number=loan.id,
        amount=money(loan.principal),
        date=day(loan.disbursed_on),
        months=loan.term_months,
        purpose=purpose_name(loan.purpose),
    )
    if pos.closed:
        return text + " " + _("Fully repaid.")
    text += " " + owed_now(pos)
    return (
        text
        + " "
        + _("Next repayment: {amount} on {date}.").format(amount=money(pos.next_due_amount), date=day(pos.next_due_on))
    )


def statement(
    member: Member,
    on: date,
    contributed: dict[str, int],
    loans: list[tuple[Loan, LoanPosition]],
    entries: list[LedgerEntry],
    before_records: int = 0,
) -> str:
    """`contributed` per fund counts the capital paid in before the club's books on the bot (`before_records`),
    which has its own line too."""
    lines = [
        _("Statement of {name} on {date}").format(name=person(member), date=day(on)),
        _("Contributed: {income} to the income fund, {activity} to the activity fund.").format(
            income=money(contributed.get(INCOME_FUND, 0)), activity=money(contributed.get(ACTIVITY_FUND, 0))
        ),
    ]
    if before_records:
        lines.append(
            _("of which capital paid in before the books moved to the bot: {amount}").format(
                amount=money(before_records)
            )
        )
    lines += [loan_line(loan, pos) for loan, pos in loans] or [_("No loans.")]
    if entries:
        lines += ["", _("Entries:"), *map(entry_line, entries)]
    return "\n".join(lines)


def due_list(lines: list[DueLine], on: date) -> str:
    if not lines:
        return _("Nothing is due this month and nothing is overdue ({date}).").format(date=day(on))
    text = [
        _("Repayments due by the end of {month} and overdue, on {date}:").format(
            month=on.strftime("%m/%Y"), date=day(on)
        )
    ]
    for number, line in enumerate(lines, start=1):
        pos, parts = line.position, []
        if pos.overdue:
            parts.append(
                _("{amount} overdue, {days} days late").format(
                    amount=money(pos.overdue), days=(on - pos.overdue_since).days
                )
            )
        if pos.due_this_month:
            parts.append(
                _("{amount} due on {date}").format(amount=money(pos.due_this_month), date=day(pos.due_this_month_on))
            )
        text.append(f"{number}. {person(line.member)}: " + "; ".join(parts))
    collect = sum(line.position.overdue + line.position.due_this_month for line in lines)
    text.append(_("To collect in all: {amount}").format(amount=money(collect)))
    return "\n".join(text)


# --- corrections ----------------------------------------------------------------------------------------


def describe_entry(entry: LedgerEntry, giver: str | None) -> str:
    line = entry_line(entry)
    return f"{line} {DASH} {giver}" if giver else line


PICK_ENTRY = lazy(
    lambda: _(
        "Which entry do you want to reverse? The latest are below; you can also type # and the number "
        "shown in a statement (for example #12)."
    )
)


def entry_choice_label(entry: LedgerEntry, giver: str | None) -> str:
    """'#12 Nguyen Thi Lan 50.000 d monthly fee': short enough for a button."""
    return " ".join(part for part in (f"#{entry.id}", giver, money(abs(entry.amount)), kind_name(entry.kind)) if part)


NOTHING_TO_REVERSE = lazy(lambda: _("There are no entries to reverse yet."))


NO_SUCH_ENTRY = lazy(
    lambda: _(
        "There is no such entry in this club's books. Type # and the number shown in a statement, for example #12."
    )
)


NOTHING_TO_UNDO = lazy(
    lambda: _("You have no entry from today to undo. To correct an older entry, ask the chair or the treasurer.")
)


ONLY_OWN_ENTRIES = lazy(
    lambda: _("You can undo only your own entries from today. The chair or the treasurer can reverse other entries.")
)


def ask_reason(described: str) -> str:
    return _("Reverse {entry}?\nWhy? Type the reason, or choose:").format(entry=described)


TYPING_MISTAKE = lazy(lambda: _("Typing mistake"))


ENTRY_LABEL = lazy(lambda: _("Entry"))

REASON_LABEL = lazy(lambda: _("Reason"))


def reason_problem(limit: int) -> str:
    return _("Type the reason in a few words (at most {limit} letters).").format(limit=limit)


def reason_text(reason: str | None) -> str | None:
    """A reversal's reason as typed, or in words when the bot wrote it (a repayment split again)."""
    return _("fee and principal split again after a correction") if reason == REALLOCATED else reason


def reversal_date_text(plan: ReversalPlan) -> str:
    """When the reversal counts: on the entry's own date, or today when that period's report was submitted."""
    if plan.submitted:
        return _(
            "The report of {period} was already submitted, so it stays as it was: this correction "
            "of {period} is dated today, {date}, and counts in the report of the current period."
        ).format(period=period_name(plan.submitted), date=day(plan.day))
    return _(
        "The correction takes effect on {date}, the date of the entry, as if the entry had never been made."
    ).format(date=day(plan.day))


def resplit_line(change: Resplit) -> str:
    return _("- {date}: {amount}, now fee {fee} and principal {principal}").format(
        date=day(change.paid_on),
        amount=money(change.entry.amount),
        fee=money(change.interest),
        principal=money(change.principal),
    )


def resplits_text(resplits: list[Resplit]) -> str:
    if not resplits:
        return ""
    return "\n" + "\n".join(
        [_("The later repayments of the loan are split again between fee and principal:"), *map(resplit_line, resplits)]
    )


def reversal_summary(described: str, reason: str, plan: ReversalPlan) -> str:
    return (
        _("Reverse {entry}.\nReason: {reason}.\nA correcting entry is added; the original stays in the books.").format(
            entry=described, reason=reason
        )
        + "\n"
        + reversal_date_text(plan)
        + resplits_text(plan.resplits)
    )


def reversed_saved(reversal: LedgerEntry, plan: ReversalPlan) -> str:
    saved = _("Saved: entry #{number} reverses entry #{original}.").format(
        number=reversal.id, original=reversal.reverses_entry_id
    )
    if plan.submitted:
        saved += " " + _("It corrects {period}, whose report was already submitted, and is dated {date}.").format(
            period=period_name(plan.submitted), date=day(plan.day)
        )
    if plan.resplits:
        saved += " " + _("Later repayments split again between fee and principal: {count}.").format(
            count=len(plan.resplits)
        )
    return saved


def reversal_announcement(reversal: LedgerEntry, described: str) -> str:
    return _("entry #{number} reverses {entry}; reason: {reason}").format(
        number=reversal.id, entry=described, reason=reversal.reason
    )


# --- the club's rules and its board chat ----------------------------------------------------------------


def default_fund_name(fund: str | None) -> str:
    return fund_name(fund) if fund else _("ask each time")


def rules_text(club: Club, rules: ClubRules) -> str:
    return "\n".join(
        [
            _("Money rules of {club}:").format(club=club.name),
            _("- monthly fee: {amount}").format(amount=money(rules.monthly_fee) if rules.monthly_fee else _("not set")),
            _("- loan fee: {rate}").format(rate=rate_text(rules.loan_rate_bp)),
            _("- largest loan: {amount}").format(amount=money(rules.max_loan)),
            _("- longest loan: {months} months").format(months=rules.max_term_months),
            _("- a member with an overdue loan may borrow again: {answer}").format(
                answer=_("yes") if rules.lend_when_overdue else _("no")
            ),
            _("- fund for contributions: {fund}").format(fund=default_fund_name(rules.default_fund)),
        ]
    )


def rule_label(field: str) -> str:
    return {
        "monthly_fee": _("Monthly fee"),
        "loan_rate_bp": _("Loan fee per month"),
        "max_loan": _("Largest loan"),
        "max_term_months": _("Longest loan"),
        "lend_when_overdue": _("Lending to members with an overdue loan"),
        "default_fund": _("Fund for contributions"),
    }[field]


ASK_RULE = lazy(lambda: _("What do you want to change?"))


NEW_VALUE_LABEL = lazy(lambda: _("New value"))


def ask_rule_value(field: str) -> str:
    return {
        "monthly_fee": _("The monthly fee each member pays, for example 20k (0 for none):"),
        "loan_rate_bp": _("The loan fee per month in percent, for example 0,5 (0 for no fee):"),
        "max_loan": _("The largest loan, for example 5tr:"),
        "max_term_months": _("The longest loan in months, for example 12:"),
        "lend_when_overdue": _("May a member with an overdue loan borrow again?"),
        "default_fund": _("Into which fund do contributions go, unless said otherwise?"),
    }[field]


def rule_value(field: str, value) -> str:
    if field in ("monthly_fee", "max_loan"):
        return money(value) if value else _("not set")
    if field == "loan_rate_bp":
        return rate_text(value)
    if field == "max_term_months":
        return _("{months} months").format(months=value)
    if field == "lend_when_overdue":
        return _("yes") if value else _("no")
    return default_fund_name(value)


def rule_change(field: str, old, new) -> str:
    return _("{rule}: {old} becomes {new}.").format(
        rule=rule_label(field), old=rule_value(field, old), new=rule_value(field, new)
    )


YES_LABEL = lazy(lambda: _("Yes"))


NO_LABEL = lazy(lambda: _("No"))


def rule_saved(club: Club, rules: ClubRules) -> str:
    return _("Saved.") + "\n" + rules_text(club, rules)


def ask_link_group(club: Club) -> str:
    return _(
        "Announce every money entry of {club} in this group? Everyone in the group will see the names and amounts."
    ).format(club=club.name)


LINK_LABEL = lazy(lambda: _("Yes, announce here"))


def group_linked(club: Club) -> str:
    return _("Done: every money entry of {club} will be announced in this group.").format(club=club.name)


LINK_FROM_GROUP = lazy(
    lambda: _("To announce money entries in the board's group chat, add the bot to that group and type /nhom there.")
)


def group_is_linked(club: Club) -> str:
    return _(
        "Money entries of {club} are announced in the board's group chat. To move them, type /nhom in the other group."
    ).format(club=club.name)


UNLINK_LABEL = lazy(lambda: _("Stop announcing"))


GROUP_UNLINKED = lazy(lambda: _("Done: money entries are no longer announced in a group."))
