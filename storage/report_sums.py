"""The sums the reports read instead of every ledger entry (LedgerMonth, LoanBalance), and the triggers
that keep them.

Each new ledger entry is added to its month's row and, for a loan's entries, to the loan's row, by a
trigger in the same transaction as the entry: no code path can forget it, and a rolled-back entry rolls
back its sums. The sums stay exact because the ledger only grows: the triggers also refuse to update the
summed columns of an entry or to delete one (a correction is a reversal entry, which is summed like any
other). Migration 0009r creates the tables and calls `create_triggers` and `sum_existing_entries`; a bulk
load (bench/report_bench.py) drops the triggers, loads, then does the same.

LoanBalance also holds each loan's schedule facts (migration 0010s): the total of its instalments (principal
plus fee) and its last due date, added to by a trigger on every new instalment. A report then needs no
instalment rows for a loan whose whole schedule fell due before the day it looks at. A schedule is written
once, with its loan (storage.loans.lend), and never changed, so the facts stay exact. `drop_triggers` drops
these triggers too; `create_schedule_triggers` and `sum_existing_schedules` make them again after a load.

BorrowerBalance sums each member's loan pay-outs (migration 0011b), by its own trigger on ledgerentry;
`create_borrower_triggers` and `sum_existing_borrowers` make it after a load.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

SUMMED = ("club_id", "fund", "kind", "amount", "interest", "member_id", "source", "loan_id", "entry_date")
LOAN_KINDS = "('loan', 'repayment')"
APPEND_ONLY = "the ledger is append-only: correct an entry with a reversal"

# The row a new entry adds to (SQLite allows no table alias inside a trigger, hence the full names).
ADD_TO_MONTH = (
    "INSERT INTO ledgermonth (club_id, fund, kind, month, amount, interest, outside) "
    "VALUES (NEW.club_id, NEW.fund, NEW.kind, {month}, NEW.amount, NEW.interest, "
    "CASE WHEN NEW.source IS NULL THEN 0 ELSE NEW.amount END) "
    "ON CONFLICT (club_id, fund, kind, month) DO UPDATE SET amount = ledgermonth.amount + excluded.amount, "
    "interest = ledgermonth.interest + excluded.interest, outside = ledgermonth.outside + excluded.outside"
)
ADD_TO_LOAN = (
    "INSERT INTO loanbalance (loan_id, club_id, member_id, lent, owed, repaid) "
    "VALUES (NEW.loan_id, NEW.club_id, NEW.member_id, CASE WHEN NEW.kind = 'loan' THEN NEW.amount ELSE 0 END, "
    "NEW.interest - NEW.amount, CASE WHEN NEW.kind = 'repayment' THEN NEW.amount ELSE 0 END) "
    "ON CONFLICT (loan_id) DO UPDATE SET lent = loanbalance.lent + excluded.lent, "
    "owed = loanbalance.owed + excluded.owed, repaid = loanbalance.repaid + excluded.repaid"
)

# Instalments and pay-out entries of a loan are written in either order: whichever comes first makes the row.
ADD_TO_SCHEDULE = (
    "INSERT INTO loanbalance (loan_id, club_id, member_id, lent, owed, repaid, scheduled, last_due) "
    "SELECT loan.id, loan.club_id, loan.member_id, 0, 0, 0, NEW.principal + NEW.interest, NEW.due_on "
    "FROM loan WHERE loan.id = NEW.loan_id "
    "ON CONFLICT (loan_id) DO UPDATE SET scheduled = loanbalance.scheduled + excluded.scheduled, "
    "last_due = {latest}(COALESCE(loanbalance.last_due, excluded.last_due), excluded.last_due)"
)

# A loan's pay-out or its reversal: the entries LoanBalance.lent sums, of a known member.
PAID_OUT = "{row}kind = 'loan' AND {row}loan_id IS NOT NULL AND {row}member_id IS NOT NULL"
ADD_TO_BORROWER = (
    "INSERT INTO borrowerbalance (member_id, lent) VALUES (NEW.member_id, NEW.amount) "
    "ON CONFLICT (member_id) DO UPDATE SET lent = borrowerbalance.lent + excluded.lent"
)

POSTGRESQL_MONTH, SQLITE_MONTH = "CAST(date_trunc('month', {}) AS DATE)", "date({}, 'start of month')"

POSTGRESQL_TRIGGERS = (
    f"""CREATE FUNCTION ledgerentry_add_to_sums() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {ADD_TO_MONTH.format(month=POSTGRESQL_MONTH.format("NEW.entry_date"))};
        IF NEW.loan_id IS NOT NULL AND NEW.kind IN {LOAN_KINDS} THEN
            {ADD_TO_LOAN};
        END IF;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER ledgerentry_sums AFTER INSERT ON ledgerentry FOR EACH ROW "
    "EXECUTE FUNCTION ledgerentry_add_to_sums()",
    f"""CREATE FUNCTION ledgerentry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{APPEND_ONLY}';
    END $$""",
    f"CREATE TRIGGER ledgerentry_append_only BEFORE UPDATE OF {', '.join(SUMMED)} OR DELETE ON ledgerentry "
    "FOR EACH ROW EXECUTE FUNCTION ledgerentry_refuse_change()",
)
POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS ledgerentry_append_only ON ledgerentry",
    "DROP TRIGGER IF EXISTS ledgerentry_sums ON ledgerentry",
    "DROP FUNCTION IF EXISTS ledgerentry_refuse_change()",
    "DROP FUNCTION IF EXISTS ledgerentry_add_to_sums()",
)

POSTGRESQL_SCHEDULE_TRIGGERS = (
    f"""CREATE FUNCTION loaninstalment_add_to_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {ADD_TO_SCHEDULE.format(latest="GREATEST")};
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER loaninstalment_schedule AFTER INSERT ON loaninstalment FOR EACH ROW "
    "EXECUTE FUNCTION loaninstalment_add_to_schedule()",
)
POSTGRESQL_SCHEDULE_DROP = (
    "DROP TRIGGER IF EXISTS loaninstalment_schedule ON loaninstalment",
    "DROP FUNCTION IF EXISTS loaninstalment_add_to_schedule()",
)

POSTGRESQL_BORROWER_TRIGGERS = (
    f"""CREATE FUNCTION ledgerentry_add_to_borrower() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {ADD_TO_BORROWER};
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER ledgerentry_borrower_sums AFTER INSERT ON ledgerentry FOR EACH ROW "
    f"WHEN ({PAID_OUT.format(row='NEW.')}) EXECUTE FUNCTION ledgerentry_add_to_borrower()",
)
POSTGRESQL_BORROWER_DROP = (
    "DROP TRIGGER IF EXISTS ledgerentry_borrower_sums ON ledgerentry",
    "DROP FUNCTION IF EXISTS ledgerentry_add_to_borrower()",
)

SQLITE_TRIGGERS = (
    "CREATE TRIGGER ledgerentry_month_sums AFTER INSERT ON ledgerentry BEGIN "
    f"{ADD_TO_MONTH.format(month=SQLITE_MONTH.format('NEW.entry_date'))}; END",
    "CREATE TRIGGER ledgerentry_loan_sums AFTER INSERT ON ledgerentry "
    f"WHEN NEW.loan_id IS NOT NULL AND NEW.kind IN {LOAN_KINDS} BEGIN {ADD_TO_LOAN}; END",
    f"CREATE TRIGGER ledgerentry_no_update BEFORE UPDATE OF {', '.join(SUMMED)} ON ledgerentry "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
    "CREATE TRIGGER ledgerentry_no_delete BEFORE DELETE ON ledgerentry "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
)
SQLITE_DROP = tuple(
    f"DROP TRIGGER IF EXISTS {name}"
    for name in ("ledgerentry_no_delete", "ledgerentry_no_update", "ledgerentry_loan_sums", "ledgerentry_month_sums")
)


SQLITE_SCHEDULE_TRIGGERS = (
    "CREATE TRIGGER loaninstalment_schedule AFTER INSERT ON loaninstalment BEGIN "
    f"{ADD_TO_SCHEDULE.format(latest='MAX')}; END",
)
SQLITE_SCHEDULE_DROP = ("DROP TRIGGER IF EXISTS loaninstalment_schedule",)

SQLITE_BORROWER_TRIGGERS = (
    f"CREATE TRIGGER ledgerentry_borrower_sums AFTER INSERT ON ledgerentry WHEN {PAID_OUT.format(row='NEW.')} "
    f"BEGIN {ADD_TO_BORROWER}; END",
)
SQLITE_BORROWER_DROP = ("DROP TRIGGER IF EXISTS ledgerentry_borrower_sums",)


def _postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _run(connection: Connection, postgresql: tuple[str, ...], sqlite: tuple[str, ...]) -> None:
    for statement in postgresql if _postgresql(connection) else sqlite:
        connection.execute(text(statement))


def create_triggers(connection: Connection) -> None:
    _run(connection, POSTGRESQL_TRIGGERS, SQLITE_TRIGGERS)


def create_schedule_triggers(connection: Connection) -> None:
    _run(connection, POSTGRESQL_SCHEDULE_TRIGGERS, SQLITE_SCHEDULE_TRIGGERS)


def create_borrower_triggers(connection: Connection) -> None:
    _run(connection, POSTGRESQL_BORROWER_TRIGGERS, SQLITE_BORROWER_TRIGGERS)


def drop_triggers(connection: Connection) -> None:
    """Every trigger that keeps the sums, the schedule facts' and borrowers' included (IF EXISTS: safe before
    0010s and 0011b)."""
    drop_borrower_triggers(connection)
    drop_schedule_triggers(connection)
    _run(connection, POSTGRESQL_DROP, SQLITE_DROP)


def drop_schedule_triggers(connection: Connection) -> None:
    _run(connection, POSTGRESQL_SCHEDULE_DROP, SQLITE_SCHEDULE_DROP)


def drop_borrower_triggers(connection: Connection) -> None:
    _run(connection, POSTGRESQL_BORROWER_DROP, SQLITE_BORROWER_DROP)


def sum_existing_entries(connection: Connection) -> None:
    """Fill the empty sum tables from the entries already in the ledger (what the triggers would have made)."""
    month = (POSTGRESQL_MONTH if _postgresql(connection) else SQLITE_MONTH).format("entry_date")
    connection.execute(
        text(
            "INSERT INTO ledgermonth (club_id, fund, kind, month, amount, interest, outside) "
            f"SELECT club_id, fund, kind, {month}, SUM(amount), SUM(interest), "
            "SUM(CASE WHEN source IS NULL THEN 0 ELSE amount END) FROM ledgerentry "
            f"GROUP BY club_id, fund, kind, {month}"
        )
    )
    connection.execute(
        text(
            "INSERT INTO loanbalance (loan_id, club_id, member_id, lent, owed, repaid) "
            "SELECT loan_id, MIN(club_id), MIN(member_id), SUM(CASE WHEN kind = 'loan' THEN amount ELSE 0 END), "
            "SUM(interest - amount), SUM(CASE WHEN kind = 'repayment' THEN amount ELSE 0 END) FROM ledgerentry "
            f"WHERE loan_id IS NOT NULL AND kind IN {LOAN_KINDS} GROUP BY loan_id"
        )
    )


def sum_existing_schedules(connection: Connection) -> None:
    """Fill the schedule facts of the loanbalance rows from the instalments already written, in one
    set-based UPDATE (what the instalment trigger would have made). Run after `sum_existing_entries`:
    every loan in the books has its pay-out entry, hence its row."""
    connection.execute(
        text(
            "UPDATE loanbalance SET scheduled = schedule.total, last_due = schedule.last_due "
            "FROM (SELECT loan_id, SUM(principal + interest) AS total, MAX(due_on) AS last_due FROM loaninstalment "
            "GROUP BY loan_id) AS schedule WHERE schedule.loan_id = loanbalance.loan_id"
        )
    )


def sum_existing_borrowers(connection: Connection) -> None:
    """Fill the empty borrowerbalance from the pay-outs already in the ledger (what its trigger would have made)."""
    connection.execute(
        text(
            f"INSERT INTO borrowerbalance (member_id, lent) SELECT member_id, SUM(amount) FROM ledgerentry "
            f"WHERE {PAID_OUT.format(row='')} GROUP BY member_id"
        )
    )


def sum_existing_and_create_triggers(connection: Connection) -> None:
    """After a bulk load with the triggers dropped (`drop_triggers`): every sum made from what was loaded, then
    the triggers again."""
    sum_existing_entries(connection)
    sum_existing_schedules(connection)
    sum_existing_borrowers(connection)
    create_triggers(connection)
    create_schedule_triggers(connection)
    create_borrower_triggers(connection)
