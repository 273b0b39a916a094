"""What the bot says about books brought in: one sentence per problem, where it is, and the summary."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from handlers.history import workbook as book
from handlers.history.workbook import Reading
from handlers.i18n import _, babel_locale, day, money
from storage import history
from storage.history import Plan, Problem, Where

MAX_LISTED = 15  # problems listed in the summary; then "and N more"


def where(place: Where | None) -> str:
    """'Trang Khoan vay dang co, dong 5, cot Con no goc: ', 'Dong 3: ' (a typed line), or nothing."""
    if place is None:
        return ""
    if place.sheet is None:
        return _("Line {row}: ").format(row=place.row)
    if place.column is None:
        return _("Sheet {sheet}, row {row}: ").format(sheet=place.sheet, row=place.row)
    return _("Sheet {sheet}, row {row}, column {column}: ").format(
        sheet=place.sheet, row=place.row, column=place.column
    )


def problem(found: Problem) -> str:
    """The problem in one sentence, after where it is."""
    sentence = _SENTENCES.get(found.code)
    text = sentence(found.values) if sentence else _("This cannot be saved ({code}).").format(code=found.code)
    prefix = where(found.where)
    return prefix + text if prefix else text[:1].upper() + text[1:]


def percent(rate_bp: int) -> str:
    """80 -> '0,8 %'."""
    return format_decimal(Decimal(rate_bp) / 100, locale=babel_locale()) + " %"


def _names(values: list[str]) -> str:
    return ", ".join(values)


def _first(values: dict[str, Any]) -> str:
    first = values.get("first")
    if isinstance(first, Where):
        return where(first).rstrip(": ")
    return _("earlier")


def _bad_cell(text: str, reason: str) -> str:
    """The parser's sentence, after what was written unless the sentence quotes it already."""
    if f'"{text}"' in reason or reason.startswith(f"{text} "):
        return reason
    return _('"{text}": {reason}').format(text=text, reason=reason)


_SENTENCES: dict[str, Callable[[dict[str, Any]], str]] = {
    # --- reading the file
    book.NOT_XLSX: lambda v: _(
        "This is not an Excel .xlsx file, or it is damaged. Fill in the template and save it as .xlsx (Excel Workbook)."
    ),
    book.OLD_XLS: lambda v: _(
        "This is an old Excel file (.xls). Open it in Excel and save it as .xlsx (File, Save As, Excel Workbook)."
    ),
    book.FILE_TOO_LARGE: lambda v: _(
        "The file is too large to read (the most is {most} KB, pictures and unused sheets included). "
        "Keep only the three sheets of the template."
    ).format(most=v["most"] // 1000),
    book.SHEET_TOO_LONG: lambda v: _(
        "The sheet {sheet} has more than {most} rows. Remove the empty or extra rows, or split the file."
    ).format(sheet=v["sheet"], most=v["most"]),
    book.MISSING_SHEETS: lambda v: _(
        "The file has no sheet named {missing}. It needs the template's three sheets: {needed} (it has: {found})."
    ).format(
        missing=_names(v["missing"]),
        needed=_names([book.MEMBERS_SHEET, book.FUNDS_SHEET, book.LOANS_SHEET]),
        found=_names(v["found"]) or "-",
    ),
    book.NO_HEADER: lambda v: _(
        "The sheet {sheet} has no header row; its first row must name the columns: {columns}."
    ).format(sheet=v["sheet"], columns=_names(v["columns"])),
    book.MISSING_COLUMN: lambda v: _("the column {column} is missing. Copy its header from the template.").format(
        column=v["column"]
    ),
    book.FORMULA_WITHOUT_VALUE: lambda v: _(
        "cell {cell} holds a formula with no value saved. Open the file in Excel, save it, and send it again, "
        "or type the number itself."
    ).format(cell=v["cell"]),
    book.MERGED_CELLS: lambda v: _("the cells {range} are merged. Unmerge them: one value per cell.").format(
        range=v["range"]
    ),
    book.EMPTY_CELL: lambda v: _("this cell is empty; the row needs it."),
    book.BAD_CELL: lambda v: _bad_cell(v["text"], v["reason"]),
    book.SECOND_BALANCE: lambda v: _(
        "the sheet holds the balances of one day only, in one row. Remove this row or the other one."
    ),
    book.NOTHING_IN_FILE: lambda v: _(
        "The file holds no member, balance or loan. Fill in the template under its example row."
    ),
    # --- what storage.history finds
    history.START_NOT_MONTH_END: lambda v: _(
        "The balances must be those of a month's last day, and {day} is not one. Use {before} or {after}."
    ).format(day=day(v["day"]), before=day(v["before"]), after=day(v["after"])),
    history.START_IN_FUTURE: lambda v: _(
        "The balances' day {day} is in the future. Use the end of a past month."
    ).format(day=day(v["day"])),
    history.START_BEFORE_FOUNDING: lambda v: _(
        "The balances' day {day} is before the club was founded ({founded})."
    ).format(day=day(v["day"]), founded=day(v["founded"])),
    history.START_ALREADY_SET: lambda v: _(
        "The club's books on the bot already start at {records_start}; these balances are for {day}. "
        "Use {records_start}."
    ).format(day=day(v["day"]), records_start=day(v["records_start"])),
    history.JOINED_BEFORE_FOUNDING: lambda v: _(
        "joined on {day}, before the club was founded ({founded}). Check the date."
    ).format(day=day(v["day"]), founded=day(v["founded"])),
    history.JOINED_IN_FUTURE: lambda v: _("joined on {day}, which is in the future.").format(day=day(v["day"])),
    history.JOINED_AFTER_MONEY: lambda v: _(
        "joined on {day}, but the books hold their money from {first} on, so they joined by then."
    ).format(day=day(v["day"]), first=day(v["first"])),
    history.CAPITAL_BEFORE_JOINING: lambda v: _(
        "capital is given, yet the member joined on {joined}, after the balances' day {records_start}. "
        "Check the join date, or leave the capital empty."
    ).format(joined=day(v["joined"]), records_start=day(v["records_start"])),
    history.DUPLICATE_MEMBER: lambda v: _("{name} ({birth_year}) is on the list twice: see {first}.").format(
        name=v["name"], birth_year=v["birth_year"], first=_first(v)
    ),
    history.NEGATIVE_AMOUNT: lambda v: _("{amount} is below zero. Write the amount without a minus sign.").format(
        amount=money(v["amount"])
    ),
    history.CAPITAL_TWICE: lambda v: _(
        "The capital is given for the whole club ({total}) and member by member ({members}), and they differ. "
        "Give it one way."
    ).format(total=money(v["total"]), members=money(v["members"])),
    history.UNKNOWN_BORROWER: lambda v: _(
        "{name} is neither on the sheet {sheet} nor a member on the bot. Check the name, or add the member."
    ).format(name=v["name"], sheet=book.MEMBERS_SHEET),
    history.AMBIGUOUS_BORROWER: lambda v: _(
        "several members are called {name}: {candidates}. Add a column {column} with the borrower's year of birth."
    ).format(name=v["name"], candidates=_names(v["candidates"]), column=book.BIRTH_YEAR),
    history.LOAN_OWED_MORE: lambda v: _("still owed {owed} is more than the amount lent, {principal}.").format(
        owed=money(v["owed"]), principal=money(v["principal"])
    ),
    history.LOAN_REPAID: lambda v: _("nothing is owed on this loan ({owed}). Leave out a loan repaid in full.").format(
        owed=money(v["owed"])
    ),
    history.LOAN_AFTER_START: lambda v: _(
        "the loan was paid out on {day}, after the balances' day {records_start}. Enter it in the chat with /vay."
    ).format(day=day(v["day"]), records_start=day(v["records_start"])),
    history.LOAN_BEFORE_JOINED: lambda v: _(
        "the loan was paid out on {day}, before the borrower joined the club ({joined}). Check both dates."
    ).format(day=day(v["day"]), joined=day(v["joined"])),
    history.LOAN_TERM_ENDED: lambda v: _(
        "its last instalment was due on {last_due}, before the balances' day {records_start}. Check the date "
        "and the months."
    ).format(last_due=day(v["last_due"]), records_start=day(v["records_start"])),
    history.LOAN_TERM_RANGE: lambda v: _(
        "{months} months is longer than the club's longest term, {most} months."
    ).format(months=v["months"], most=v["most"]),
    history.LOAN_RATE_RANGE: lambda v: _("{rate} a month is more than the highest rate, {most}.").format(
        rate=percent(v["rate_bp"]), most=percent(v["most"])
    ),
}


def summary(reading: Reading | None = None, plan: Plan | None = None, most: int | None = MAX_LISTED) -> str:
    """What was brought in and what saving would do, or why it cannot be saved: short, for a phone's screen.

    `plan` is storage.history.plan's; `reading` the file it came from, if it came from a file (lines typed in
    the chat have none). A reading that gave no MovingIn is told without a plan. `most` problems are listed
    (None: all of them, as on the command line)."""
    if plan is None:
        problems = reading.problems if reading is not None else []
        lines = [_("The file cannot be read as it is. Nothing was saved.")]
        return "\n".join(lines + _problem_lines(problems, most))
    moving_in = plan.moving_in
    known = plan.members_updated + plan.members_same
    lines = [
        _(
            "{members} members ({new} new, {known} already on the list), {funds} funds, {loans} loans; "
            "capital {capital}; outstanding {outstanding}"
        ).format(
            members=len(moving_in.members),
            new=plan.members_new,
            known=known,
            funds=plan.funds,
            loans=len(moving_in.loans),
            capital=money(plan.capital),
            outstanding=money(plan.outstanding),
        ),
        _("As of the end of {day}.").format(day=day(moving_in.records_start)),
    ]
    if reading is not None and not reading.start_given:
        lines.append(
            _("The sheet {sheet} gives no date: the last day of last month is taken.").format(sheet=book.FUNDS_SHEET)
        )
    problems = (reading.problems if reading is not None else []) + plan.problems
    if problems:
        lines.append(_("{count} problems; nothing can be saved until they are fixed:").format(count=len(problems)))
        return "\n".join(lines + _problem_lines(problems, most, heading=False))
    lines.append(_("Saving will write: {changes}.").format(changes=changes(plan)))
    return "\n".join(lines)


def problems_text(problems: list[Problem], most: int | None = MAX_LISTED) -> str:
    """'N problems:' and one line for each, where it is first; past `most`, 'and N more problems'."""
    return "\n".join(_problem_lines(problems, most))


def not_saved(problems: list[Problem]) -> str:
    """Saving was refused (the books changed since the read-back): nothing was written, and why."""
    return _("Nothing was saved: the club's books changed since they were read back.") + "\n" + problems_text(problems)


def _problem_lines(problems: list[Problem], most: int | None, heading: bool = True) -> list[str]:
    shown = problems if most is None else problems[:most]
    lines = []
    if heading:
        lines.append(_("{count} problems:").format(count=len(problems)))
    lines += [f"- {problem(found)}" for found in shown]
    if len(problems) > len(shown):
        lines.append(_("and {count} more problems").format(count=len(problems) - len(shown)))
    return lines


def changes(plan: Plan) -> str:
    """What saving writes, or wrote: '40 new members, 3 members updated, the cash of 2 funds, 6 running loans'."""
    parts = []
    if plan.members_new:
        parts.append(_("{count} new members").format(count=plan.members_new))
    if plan.members_updated:
        parts.append(_("{count} members updated").format(count=plan.members_updated))
    if plan.funds:
        parts.append(_("the cash of {count} funds").format(count=plan.funds))
    if plan.loans_new:
        parts.append(_("{count} running loans").format(count=plan.loans_new))
    if plan.loans_known:
        parts.append(_("{count} loans already brought in (left as they are)").format(count=plan.loans_known))
    parts.append(_("the books starting at the end of {day}").format(day=day(plan.moving_in.records_start)))
    return ", ".join(parts)


def saved(plan: Plan) -> str:
    """After saving: what was written."""
    return _("Saved: {changes}.").format(changes=changes(plan))
