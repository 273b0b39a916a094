"""Reports of a club that moved its books in (issue 16): everything dated on or before its records start counts
before the period, a period before it says so instead of its money, and no money is dated on or before it.

The club's state is built as storage.history writes it: the records start set, a running loan with its real
pay-out date and schedule, one repayment on the records' start (principal repaid so far and the fees of the
instalments due by then), the members' capital paid in before and one opening entry per fund making the
cash what the board declared. Figures are checked one by one on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.report_xlsx import club_xlsx, district_xlsx
from handlers.i18n import money
from handlers.reports import texts
from storage import clubs, corrections, ledger, loans, members, money_reports, reports, submissions, users
from storage.clubs import NewClub
from storage.dates import RECORDS, DateTooEarly
from storage.members import NewMember
from storage.models import (
    ACTIVITY_FUND,
    CAPITAL,
    FEMALE,
    INCOME_FUND,
    LOAN,
    MALE,
    OPENING,
    REPAYMENT,
    SMALL_TRADE,
    Club,
    LedgerEntry,
    Loan,
    LoanInstalment,
    User,
)
from storage.periods import period
from storage.report_model import ClubReport, Fund, Funds
from storage.schedule import instalment_schedule
from tests.conftest import register_club
from tests.money_support import add_members

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
JOINED = date(2020, 1, 1)
NOTICE = "CLB bắt đầu ghi sổ trên bot từ {day}: số liệu quỹ và khoản vay có từ ngày đó."
OPENING_NOTE = "CLB bắt đầu ghi sổ trên bot từ {day}: số dư đầu kỳ là số CLB mang sang tính đến hết ngày đó."


@dataclass(frozen=True)
class Running:
    """A loan still running on the records' start, as the board's books give it."""

    member: str
    principal: int
    disbursed_on: date
    term_months: int
    rate_bp: int
    owed: int  # principal still owed on the records' start


@dataclass
class Club16:
    id: int
    chair: User
    members: dict[str, int]


def new_club(s, name: str, key: str) -> Club16:
    chair = users.get_or_create(s, "console", f"chair-{key}", "Nguyễn Văn An")
    club = clubs.create_club(
        s,
        chair,
        NewClub(
            name=name,
            village="Liên Trì",
            commune="Bình Hiệp",
            district="Bình Sơn",
            province="Quảng Ngãi",
            meeting_day=15,
            founding_decision="58/QĐ-UBND",
            founded_on=date(2019, 4, 8),
        ),
    )
    people = {"Nguyễn Thị Lan": (1952, FEMALE), "Trần Văn Bình": (1948, MALE), "Lê Thị Hoa": (1960, FEMALE)}
    ids = {
        name: members.add(s, club.id, NewMember(name, year, sex, joined_on=JOINED), chair, JOINED).id
        for name, (year, sex) in people.items()
    }
    return Club16(club.id, chair, ids)


def entry(c: Club16, **values) -> LedgerEntry:
    return LedgerEntry(club_id=c.id, entered_on=date(2026, 11, 23), created_by=c.chair.id, **values)


def move_in(
    s,
    c: Club16,
    start: date,
    *,
    income_cash: int,
    activity_cash: int,
    capital: dict[str, int],
    running: tuple[Running, ...] = (),
) -> list[int]:
    """What storage.history writes for a club moving in, as of the end of `start`; returns the loans' ids."""
    club = s.get(Club, c.id)
    club.records_start = start
    s.add(club)
    loan_ids = []
    for r in running:
        member_id = c.members[r.member]
        loan = Loan(
            club_id=c.id,
            member_id=member_id,
            principal=r.principal,
            term_months=r.term_months,
            monthly_rate_bp=r.rate_bp,
            purpose=SMALL_TRADE,
            disbursed_on=r.disbursed_on,
            created_by=c.chair.id,
        )
        s.add(loan)
        s.flush()
        schedule = instalment_schedule(r.principal, r.term_months, r.rate_bp, r.disbursed_on)
        for i in schedule:
            s.add(
                LoanInstalment(
                    loan_id=loan.id, number=i.number, due_on=i.due_on, principal=i.principal, interest=i.interest
                )
            )
        fees = sum(i.interest for i in schedule if i.due_on <= start)
        common = {"fund": INCOME_FUND, "member_id": member_id, "loan_id": loan.id}
        ledger.record(s, entry(c, kind=LOAN, amount=-r.principal, entry_date=r.disbursed_on, **common))
        paid = r.principal - r.owed + fees
        ledger.record(s, entry(c, kind=REPAYMENT, amount=paid, interest=fees, entry_date=start, **common))
        loan_ids.append(loan.id)
    for name, amount in capital.items():
        ledger.record(
            s, entry(c, fund=INCOME_FUND, kind=OPENING, amount=amount, member_id=c.members[name], entry_date=start)
        )
    for fund, declared in ((INCOME_FUND, income_cash), (ACTIVITY_FUND, activity_cash)):
        difference = declared - ledger.cash(s, c.id, fund, as_of=start)
        if difference:
            ledger.record(s, entry(c, fund=fund, kind=OPENING, amount=difference, entry_date=start))
    s.flush()
    return loan_ids


# Club A: books on the bot from 30/11/2025, the end of 2025-H2; Hoa's loan of 6,000,000 from 15/06/2025 over 12
# months at 0.5 % a month, 500,000 of principal a month: 5 instalments due by the start (fees 30,000 + 27,500 +
# 25,000 + 22,500 + 20,000), 2,500,000 repaid.
END_OF_H2 = date(2025, 11, 30)
HOA_LOAN = Running("Lê Thị Hoa", 6_000_000, date(2025, 6, 15), 12, 50, owed=3_500_000)


def club_a(db) -> Club16:
    """Club A, and on the bot in 2026-H1: Hoa's instalment of 15/12/2025, a loan to Binh in March repaid in part
    in May, Lan's capital in April; and in 2026-H2 (after the period) a repayment of Hoa's."""
    with db.transaction() as s:
        c = new_club(s, "CLB thôn Liên Trì", "a")
        (hoa_loan,) = move_in(
            s,
            c,
            END_OF_H2,
            income_cash=12_000_000,
            activity_cash=800_000,
            capital={"Nguyễn Thị Lan": 2_000_000, "Trần Văn Bình": 3_000_000},
            running=(HOA_LOAN,),
        )
        today = date(2026, 11, 23)
        loans.repay(s, c.id, loan_id=hoa_loan, amount=517_500, on=date(2025, 12, 15), by=c.chair, today=today)
        binh = loans.lend(
            s,
            c.id,
            member_id=c.members["Trần Văn Bình"],
            amount=1_000_000,
            term_months=6,
            purpose=SMALL_TRADE,
            on=date(2026, 3, 10),
            by=c.chair,
            today=today,
        )
        loans.repay(s, c.id, loan_id=binh.id, amount=334_000, on=date(2026, 5, 20), by=c.chair, today=today)
        ledger.contribute(
            s,
            c.id,
            fund=INCOME_FUND,
            kind=CAPITAL,
            amount=500_000,
            on=date(2026, 4, 10),
            by=c.chair,
            today=today,
            member_id=c.members["Nguyễn Thị Lan"],
        )
        loans.repay(s, c.id, loan_id=hoa_loan, amount=1_000_000, on=date(2026, 7, 10), by=c.chair, today=today)
    return c


def report(db, c: Club16, code: str, **kw) -> ClubReport:
    with db.reading() as s:
        return reports.club_report(s, c.id, period(code), **kw)


def test_the_period_after_a_records_start_at_its_end_opens_with_the_declared_balances(any_db):
    c = club_a(any_db)
    r = report(any_db, c, "2026-H1", series=True)
    income, activity = r.funds.income, r.funds.activity
    assert r.club.records_start == END_OF_H2 and not r.before_records
    assert (income.opening, activity.opening) == (12_000_000, 800_000)
    # money raised: Lan's 500,000 in April, never the capital brought in
    assert income.money_in[CAPITAL] == 500_000 and income.contributions == 500_000
    assert (r.funds.raised, r.funds.raised_from_members, r.funds.raised_from_outside) == (500_000, 500_000, 0)
    # Hoa's 517,500 (fee 17,500 on the 3,500,000 left) and Binh's 334,000 (no fee); the repayment of the start not
    assert (income.repayments, income.fees, income.principal_repaid) == (851_500, 17_500, 834_000)
    assert income.loans_out == 1_000_000 and activity.closing == 800_000
    assert income.closing == 12_000_000 + 500_000 - 1_000_000 + 851_500
    lo = r.loans
    assert (lo.disbursed, lo.loans_in_period, lo.borrowers_in_period) == (1_000_000, 1, 1)
    assert (lo.principal_repaid, lo.fees) == (834_000, 17_500)
    assert (lo.opening_outstanding, lo.outstanding) == (3_500_000, 3_666_000)
    assert (lo.borrowers, lo.open_loans, lo.ever_borrowed) == (2, 2, 2)
    # On 31/05/2026 Hoa's instalments 7 to 11 (15/01 to 15/05) are unpaid: 5 x 500,000 and their fees 15,000 +
    # 12,500 + 10,000 + 7,500 + 5,000; her repayment of July is after the period. Binh is up to date.
    assert (lo.overdue_amount, lo.overdue_loans, lo.overdue_borrowers) == (2_550_000, 1, 1)
    assert lo.at_risk_30 == 3_000_000 and lo.par30_percent == 81.8
    assert r.indicators.both_funds and r.corrections == []
    # the chart from the records start: the first month end holds what the board declared, then the bot's entries
    assert r.series[0].month_end == date(2025, 12, 31)
    assert (r.series[0].income_cash, r.series[0].outstanding) == (12_000_000 + 517_500, 3_000_000)
    assert r.series[-1].income_cash == income.closing and r.series[-1].outstanding == lo.outstanding
    assert json.loads(reports.to_json(r))["club"]["records_start"] == "2025-11-30"
    text = texts.report_text(r, ZONE)
    assert f"Số dư đầu kỳ: {money(12_000_000)}" in text and f"Số dư đầu kỳ: {money(800_000)}" in text
    assert OPENING_NOTE.format(day="30/11/2025") in text


def test_a_period_ending_on_the_records_start_is_before_the_books_on_the_bot(any_db):
    c = club_a(any_db)
    for code in ("2025-H2", "2025-H1"):
        r = report(any_db, c, code, series=True)
        assert r.before_records
        assert r.funds == Funds(Fund.added([]), Fund.added([]), 0, 0, 0)
        assert r.loans.outstanding == r.loans.opening_outstanding == r.loans.overdue_amount == 0
        assert (r.loans.ever_borrowed, r.loans.borrowers, r.loans.loans_in_period) == (0, 0, 0)
        assert not r.indicators.both_funds and not r.indicators.borrowed_50
        assert r.series == [] and r.corrections == []
        assert r.members.total == 3 and r.indicators.members_40 is False  # members are still counted
        found = json.loads(reports.to_json(r))
        assert found["club"]["records_start"] == "2025-11-30" and found["funds"]["income"]["closing"] == 0
        text = texts.report_text(r, ZONE)
        assert NOTICE.format(day="30/11/2025") in text
        starts = [line[:3] for line in text.splitlines()]
        assert [start for start in starts if start[:1].isdigit() and start[1:3] == ". "] == ["1. ", "2. ", "3. ", "9. "]
        assert "Số dư đầu kỳ" not in text
        # the targets judged on money are not judged; the others are
        assert "Có đủ hai quỹ" not in text and "đã được vay vốn" not in text and "Có ít nhất 40 thành viên: ✗" in text
        labels = [
            cell.value
            for cell in load_workbook(
                io.BytesIO(club_xlsx(r, prepared_by=None, today=date(2026, 11, 23), zone=ZONE))
            ).active["A"]
        ]
        assert NOTICE.format(day="30/11/2025") in labels
        assert not any(isinstance(label, str) and label.startswith(("4. ", "5. ", "8. ")) for label in labels)


# Club B: books on the bot from 28/02/2026, inside 2026-H1. Hoa's loan of 6,000,000 was paid out on 15/12/2025,
# inside the period too: instalments of 15/01 and 15/02 due by the start (fees 30,000 + 27,500), 1,000,000 repaid.
MID_H1 = date(2026, 2, 28)
HOA_IN_H1 = Running("Lê Thị Hoa", 6_000_000, date(2025, 12, 15), 12, 50, owed=5_000_000)


def club_b(db) -> Club16:
    with db.transaction() as s:
        c = new_club(s, "CLB thôn An Phú", "b")
        move_in(
            s,
            c,
            MID_H1,
            income_cash=12_000_000,
            activity_cash=800_000,
            capital={"Nguyễn Thị Lan": 2_000_000},
            running=(HOA_IN_H1,),
        )
        ledger.contribute(
            s,
            c.id,
            fund=INCOME_FUND,
            kind=CAPITAL,
            amount=500_000,
            on=date(2026, 4, 10),
            by=c.chair,
            today=date(2026, 11, 23),
            member_id=c.members["Nguyễn Thị Lan"],
        )
    return c


def test_a_records_start_inside_the_period_opens_its_money_with_the_declared_balances(any_db):
    c = club_b(any_db)
    r = report(any_db, c, "2026-H1")
    income = r.funds.income
    assert not r.before_records
    assert (income.opening, r.funds.activity.opening) == (12_000_000, 800_000)
    assert (income.contributions, r.funds.raised, income.closing) == (500_000, 500_000, 12_500_000)
    # Hoa's loan was paid out in the period, but before the books on the bot: not lent in the period
    assert (income.loans_out, income.repayments, income.fees) == (0, 0, 0)
    lo = r.loans
    assert (lo.disbursed, lo.loans_in_period, lo.borrowers_in_period, lo.principal_repaid, lo.fees) == (0, 0, 0, 0, 0)
    assert (lo.opening_outstanding, lo.outstanding, lo.borrowers, lo.ever_borrowed) == (5_000_000, 5_000_000, 1, 1)
    # due before 31/05: 15/03, 15/04, 15/05, each 500,000 with its fee (25,000, 22,500, 20,000); unpaid
    assert (lo.overdue_amount, lo.overdue_loans, lo.at_risk_30) == (1_567_500, 1, 5_000_000)
    text = texts.report_text(r, ZONE)
    assert OPENING_NOTE.format(day="28/02/2026") in text
    # the chart from the records start, which holds what the board declared
    series = report(any_db, c, "2026-H1", series=True).series
    assert [p.month_end for p in series] == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]
    assert (series[0].income_cash, series[0].outstanding, series[-1].income_cash) == (12_000_000, 5_000_000, 12_500_000)
    # the period before is before the books; the next one opens where this one closed
    assert report(any_db, c, "2025-H2").before_records
    after = report(any_db, c, "2026-H2")
    assert after.funds.income.opening == 12_500_000 and after.loans.opening_outstanding == 5_000_000
    assert OPENING_NOTE.format(day="28/02/2026") not in texts.report_text(after, ZONE)


def test_a_club_without_a_records_start_is_reported_as_before(any_db):
    with any_db.transaction() as s:
        c = new_club(s, "CLB thôn Mới", "c")
        ledger.contribute(
            s,
            c.id,
            fund=INCOME_FUND,
            kind=CAPITAL,
            amount=700_000,
            on=date(2020, 3, 1),
            by=c.chair,
            today=date(2026, 11, 23),
            member_id=c.members["Nguyễn Thị Lan"],
        )
    r = report(any_db, c, "2020-H1")
    assert r.club.records_start is None and not r.before_records
    assert (r.funds.income.opening, r.funds.raised) == (0, 700_000)
    assert json.loads(reports.to_json(r))["club"]["records_start"] is None
    text = texts.report_text(r, ZONE)
    assert "ghi sổ trên bot" not in text and "Số dư đầu kỳ" in text


def test_corrections_never_show_what_was_brought_in(any_db):
    c = club_a(any_db)
    with any_db.transaction() as s:
        opening = s.exec(
            select(LedgerEntry)
            .where(LedgerEntry.club_id == c.id, LedgerEntry.kind == OPENING, LedgerEntry.member_id.is_(None))
            .order_by(LedgerEntry.id)
        ).first()
        # both periods handed in: the reversals are dated the day they are made, in 2026-H2
        submissions.mark_submitted(s, c.id, "2025-H2", c.chair)
        submissions.mark_submitted(s, c.id, "2026-H1", c.chair)
        fee = ledger.contribute(
            s,
            c.id,
            fund=ACTIVITY_FUND,
            kind=CAPITAL,
            amount=50_000,
            on=date(2026, 5, 5),
            by=c.chair,
            today=date(2026, 11, 23),
            member_id=c.members["Nguyễn Thị Lan"],
        )
        corrections.reverse(s, c.id, opening.id, reason="nhập nhầm", by=c.chair, today=date(2026, 6, 10))
        corrections.reverse(s, c.id, fee.id, reason="ghi nhầm", by=c.chair, today=date(2026, 6, 10))
    r = report(any_db, c, "2026-H2")
    assert [(x.reverses, x.original_date, x.date) for x in r.corrections] == [
        (fee.id, date(2026, 5, 5), date(2026, 6, 10))
    ]
    # the opening reversed is in the period's money all the same
    assert r.funds.income.closing == report(any_db, c, "2026-H1").funds.income.closing - opening.amount + 1_000_000


def test_a_district_lists_a_club_before_its_books_with_a_note_and_adds_none_of_its_money(any_db):
    a = club_a(any_db)
    with any_db.transaction() as s:
        late = new_club(s, "CLB thôn Bình Yên", "late")
        move_in(s, late, date(2026, 5, 31), income_cash=9_000_000, activity_cash=300_000, capital={})
    with any_db.reading() as s:
        d = reports.district_report(s, period("2026-H1"), district="Bình Sơn")
        alone = reports.club_report(s, a.id, period("2026-H1"))
    (later,) = [r for r in d.clubs if r.club.name == "CLB thôn Bình Yên"]
    assert later.before_records and later.members.total == 3
    assert d.totals.funds == alone.funds and d.totals.loans.outstanding == alone.loans.outstanding
    assert d.totals.members.total == 6 and d.totals.clubs == 2
    starts = {club["club"]["name"]: club["club"]["records_start"] for club in json.loads(reports.to_json(d))["clubs"]}
    assert starts == {"CLB thôn Liên Trì": "2025-11-30", "CLB thôn Bình Yên": "2026-05-31"}
    text = texts.district_text(d)
    notice = NOTICE.format(day="31/05/2026")
    assert "không tính 1 CLB bắt đầu ghi sổ trên bot từ ngày cuối kỳ trở đi" in text
    (line,) = [line for line in text.splitlines() if line.startswith("• CLB thôn Bình Yên")]
    assert notice in line and "dư nợ" not in line
    ws = load_workbook(io.BytesIO(district_xlsx(d, prepared_by=None, today=date(2026, 11, 23)))).active
    cells = [cell.value for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert any(isinstance(v, str) and notice in v and "CLB thôn Bình Yên" in v for v in cells)
    rows = [[cell.value for cell in row] for row in ws.iter_rows() if row[1].value and "Bình Yên" in str(row[1].value)]
    assert rows and all("—" in row for row in rows[1:3])  # the money and loan tables: a dash, not 0


# --- no money dated on or before the records start --------------------------------------------------------


def test_storage_refuses_money_dated_on_or_before_the_records_start(any_db):
    c = club_a(any_db)
    today = date(2026, 11, 23)
    with any_db.transaction() as s:
        hoa_loan = s.exec(select(Loan.id).where(Loan.member_id == c.members["Lê Thị Hoa"])).one()
        lan = c.members["Nguyễn Thị Lan"]
        writes = [
            lambda on: ledger.contribute(
                s, c.id, fund=INCOME_FUND, kind=CAPITAL, amount=1, on=on, by=c.chair, today=today, member_id=lan
            ),
            lambda on: ledger.spend(s, c.id, amount=1, purpose="x", on=on, by=c.chair, today=today),
            lambda on: loans.lend(
                s,
                c.id,
                member_id=lan,
                amount=100_000,
                term_months=3,
                purpose=SMALL_TRADE,
                on=on,
                by=c.chair,
                today=today,
            ),
            lambda on: loans.repay(s, c.id, loan_id=hoa_loan, amount=1_000, on=on, by=c.chair, today=today),
        ]
        for write in writes:
            for on in (END_OF_H2, date(2025, 11, 1), date(2020, 6, 1)):
                with pytest.raises(DateTooEarly) as refused:
                    write(on)
                assert (refused.value.earliest.on, refused.value.earliest.because) == (date(2025, 12, 1), RECORDS)
        # a member's joining date, a meeting's date keep the wider rules: members joined years before
        newcomer = members.add(
            s, c.id, NewMember("Phạm Văn Tư", 1950, MALE, joined_on=date(2021, 3, 1)), c.chair, today
        )
        assert newcomer.joined_on == date(2021, 3, 1)
        assert money_reports.summary(s, c.id, END_OF_H2).income_cash == 12_000_000


def test_a_money_entry_dated_on_the_records_start_is_refused_in_the_chat(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    add_members(db)
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        club.records_start = END_OF_H2
        s.add(club)
    chair.says_all("/donggop Lê Thị Hoa 50k", "1", "1", "3")  # income fund, capital, another date
    refused = chair.says("30/11/2025")
    assert (
        "Sổ của CLB trên bot bắt đầu từ số dư đến hết ngày 30/11/2025: tiền thu chi đến ngày đó đã nằm trong số dư "
        "đầu kỳ (tiền mang sang). Xin gõ một ngày từ 01/12/2025 đến hôm nay."
    ) in refused
    assert "01/12/2025" in chair.says("01/12/2025")
    chair.says("1")
    with db.transaction() as s:
        assert [e.entry_date for e in s.exec(select(LedgerEntry))] == [date(2025, 12, 1)]


# --- the opening kind named: statement and funds ---------------------------------------------------------


def test_a_statement_counts_the_capital_brought_in_and_the_funds_show_the_opening_balance(person, db):
    chair = person("1", "Nguyễn Văn An")
    register_club(chair)
    add_members(db)
    with db.transaction() as s:
        club = s.exec(select(Club)).one()
        by = s.get(User, club.created_by)
        ids = {m: members.find_same(s, club.id, m, y).id for m, y in (("Nguyễn Thị Lan", 1952), ("Lê Thị Hoa", 1990))}
        c = Club16(club.id, by, ids)
        move_in(s, c, END_OF_H2, income_cash=9_000_000, activity_cash=400_000, capital={"Nguyễn Thị Lan": 2_000_000})
        ledger.contribute(
            s,
            c.id,
            fund=INCOME_FUND,
            kind=CAPITAL,
            amount=300_000,
            on=date(2026, 1, 5),
            by=by,
            today=date(2026, 11, 23),
            member_id=ids["Nguyễn Thị Lan"],
        )
    statement = chair.says("/saoke Nguyễn Thị Lan")
    assert f"Đã đóng góp: {money(2_300_000)} vào quỹ tăng thu nhập" in statement
    assert f"trong đó vốn góp trước khi ghi sổ trên bot: {money(2_000_000)}" in statement
    assert f"Số dư đầu kỳ, quỹ tăng thu nhập: {money(2_000_000)}" in statement
    funds = chair.says("/quy")
    assert f"- gồm số dư đầu kỳ (tiền mang sang) {money(9_000_000)}, tiền đóng góp {money(300_000)}" in funds
    assert f"- số dư đầu kỳ (tiền mang sang) {money(400_000)}, đã thu {money(0)}, đã chi {money(0)}" in funds
