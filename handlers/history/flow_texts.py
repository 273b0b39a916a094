"""What /sodau says while a club's books are typed in or sent as a file, and what it read back and saved."""

from __future__ import annotations

from datetime import date

from handlers.history.texts import problems_text
from handlers.i18n import _, day, lazy, money
from handlers.money.texts import rate_text
from handlers.parsing import date_examples
from storage.history import Plan, Problem, RunningLoan

TEMPLATE_FILENAME = "mau_so_sach_CLB.xlsx"
TYPE_LABEL = lazy(lambda: _("Type the figures here"))
TEMPLATE_LABEL = lazy(lambda: _("Send me the Excel template"))
# fmt: off
TEMPLATE_SENT = lazy(
    lambda: _("Here is the template: three sheets (Thành viên, Số dư quỹ, Khoản vay đang có), "
        "each with an example row. Fill it in on a computer, or ask someone to, then send the file back here.")
)
# fmt: on
ASK_FILE = lazy(lambda: _("Send the filled-in .xlsx file here. Nothing is saved before you see what it holds."))
SEND_THE_FILE = lazy(lambda: _("Please send the filled-in .xlsx file (as a file, not a photo)."))
START_LABEL = lazy(lambda: _("Books as of"))
INCOME_LABEL = lazy(lambda: _("Cash of the income fund"))
ACTIVITY_LABEL = lazy(lambda: _("Cash of the activity fund"))
CAPITAL_LABEL = lazy(lambda: _("Members' capital"))
SKIP_CAPITAL = lazy(lambda: _("Not known"))
YES_LOANS = lazy(lambda: _("Yes, type them"))
NO_LOANS = lazy(lambda: _("No running loans"))
ASK_BORROWER = lazy(lambda: _("Who borrowed? Type their name."))
BORROWER = lazy(lambda: _("Borrower"))
LENT = lazy(lambda: _("Amount lent"))


def ask_paid_out(today: date) -> str:
    return _("On what day was the loan paid out? Type it like {examples}.").format(examples=date_examples(today))


PAID_OUT_LABEL = lazy(lambda: _("Paid out on"))
ASK_TERM = lazy(lambda: _("Over how many months? (for example 12)"))
TERM = lazy(lambda: _("Months"))
ASK_RATE = lazy(lambda: _("The loan's fee per month in percent (for example 0,5; 0 for no fee)?"))
RATE_LABEL = lazy(lambda: _("Fee per month"))
OWED_LABEL = lazy(lambda: _("Principal still owed"))
KEEP_LOAN = lazy(lambda: _("Keep this loan"))
DROP_LOAN = lazy(lambda: _("Leave it out"))
LOAN_NOT_KEPT = lazy(
    lambda: _("This loan cannot be kept as it is: change the answer that is wrong, or leave the loan out.")
)
KEEP_LOAN_QUESTION = lazy(lambda: _("Keep this loan with the books?"))
ANOTHER_LOAN = lazy(lambda: _("Another loan"))
NO_MORE_LOANS = lazy(lambda: _("No more: read back the books"))
REPORTS_FROM_NOW = lazy(
    lambda: _("The next reports open with these figures; money is recorded on the bot from then on.")
)


def ask_how(records_start: date | None) -> str:
    if records_start is None:
        intro = _(
            "Bring in the club's books from paper: the cash of both funds, the members' capital and the loans "
            "still running, as of the last day of a month. Reports then start from these figures."
        )
    else:
        intro = _(
            "The club's books on the bot start on {date}. Giving the figures again changes only what differs."
        ).format(date=day(records_start))
    return intro + "\n" + _("You can also send the filled-in Excel file straight away.")


def ask_start(last_month_end: date) -> str:
    return _("As of the end of which day are the figures? Type the last day of a month, for example {date}.").format(
        date=day(last_month_end)
    )


def not_a_month_end(value: date, before: date, after: date) -> str:
    return _(
        "{date} is not the last day of a month: books are closed at a month's end. Type {before} or {after}."
    ).format(date=day(value), before=day(before), after=day(after))


def ask_income(records_start: date) -> str:
    return _(
        "How much cash did the income fund hold at the end of {date}? Not the money lent out: only what was on "
        "hand (0 if none)."
    ).format(date=day(records_start))


def ask_activity(records_start: date) -> str:
    return _("How much cash did the activity fund hold at the end of {date}? (0 if none)").format(
        date=day(records_start)
    )


def ask_capital(records_start: date) -> str:
    return _(
        "How much capital had the members paid into the income fund, all together, by {date}? "
        "(Each member's own capital can come with the Excel file.)"
    ).format(date=day(records_start))


def ask_any_loan(records_start: date) -> str:
    return _("Were any loans not yet fully repaid on {date}?").format(date=day(records_start))


def ask_principal(name: str) -> str:
    return _("How much was first lent to {name}?").format(name=name)


def club_rate_label(rate_bp: int) -> str:
    return _("As the club's rules: {rate}").format(rate=rate_text(rate_bp))


def ask_owed(records_start: date) -> str:
    return _("How much of the principal was still owed at the end of {date}?").format(date=day(records_start))


def loan_summary(loan: RunningLoan, problems: list[Problem]) -> str:
    text = _(
        "{name}: {amount} paid out on {date} over {months} months, {rate}; {owed} of principal still owed."
    ).format(
        name=loan.borrower,
        amount=money(loan.principal),
        date=day(loan.disbursed_on),
        months=loan.term_months,
        rate=rate_text(loan.rate_bp or 0),
        owed=money(loan.owed),
    )
    return text + ("\n" + problems_text(problems) if problems else "")


def loans_so_far(count: int) -> str:
    return _("Loans kept so far: {n}. Is there another loan still running?").format(n=count)


def progress(loans: int) -> str:
    return _("{n} loans typed").format(n=loans)


def books_summary(plan: Plan) -> str:
    """The read-back of everything about to be saved."""
    books = plan.moving_in
    lines = [_("The club's books as of {date}:").format(date=day(books.records_start))]
    if plan.members_new or plan.members_updated or plan.members_same:
        lines.append(
            _("- members: {new} new, {updated} updated, {same} already on the list").format(
                new=plan.members_new, updated=plan.members_updated, same=plan.members_same
            )
        )
    if books.income_cash is not None:
        lines.append(_("- income fund, cash: {amount}").format(amount=money(books.income_cash)))
    if books.activity_cash is not None:
        lines.append(_("- activity fund, cash: {amount}").format(amount=money(books.activity_cash)))
    if plan.capital:
        lines.append(_("- members' capital: {amount}").format(amount=money(plan.capital)))
    if plan.loans_new or plan.loans_known:
        lines.append(
            _("- running loans: {new} new, {known} already brought in; {owed} of principal owed").format(
                new=plan.loans_new, known=plan.loans_known, owed=money(plan.outstanding)
            )
        )
    if plan.problems:
        lines.append(problems_text(plan.problems))
    return "\n".join(lines)
