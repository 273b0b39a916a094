"""A picture of the report to read on a phone: the funds and loans month by month, and who the members are.

Tall (phone-shaped), large type, matplotlib's Agg backend (no display needed). Amounts are shown in
millions of dong for the axis only; the figures themselves stay integers until drawn.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
from babel.numbers import format_decimal  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from handlers.i18n import _, babel_locale  # noqa: E402
from handlers.reports import texts  # noqa: E402
from storage.report_model import ClubReport  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _millions(amount: int) -> float:
    return amount / 1_000_000  # drawing only


def _one_decimal(value: float) -> str:
    """6.0 -> '6,0' in Vietnamese, '6.0' in English."""
    return format_decimal(round(value, 1), format="#,##0.0", locale=babel_locale())


def _bare_x(axes) -> None:
    """Bars carry their own figures: no x axis, no frame on the right and top."""
    axes.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)


def club_chart(r: ClubReport) -> bytes:
    """Needs the report's `series` (storage.reports.club_report(..., series=True))."""
    series = r.series or []
    fig = Figure(figsize=(6, 10.5), dpi=150, layout="constrained")
    top, middle, bottom = fig.subplots(3, 1, gridspec_kw={"height_ratios": [3.2, 1.6, 3]})
    p = r.period
    title = "\n".join(
        line for line in (r.club.name, texts.capitalised(texts.period_name(p.code)), texts.as_of_note(p)) if line
    )
    fig.suptitle(title, fontsize=16, fontweight="bold")

    months = [point.month_end.strftime("%m/%y") for point in series]
    for amounts, label, style in (
        ([point.income_cash for point in series], _("Income fund, cash"), "o-"),
        ([point.outstanding for point in series], _("Loans outstanding"), "s-"),
        ([point.activity_cash for point in series], _("Activity fund"), "^-"),
    ):
        top.plot(months, [_millions(amount) for amount in amounts], style, linewidth=2.5, markersize=7, label=label)
    # Titles end at their plot's right edge and run left over the labels: a long one is never cut at the edge.
    top.set_title(_("Funds and loans at each month's end (million ₫)"), fontsize=13, fontweight="bold", loc="right")
    top.legend(fontsize=12, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=1, frameon=False)
    top.grid(alpha=0.3)
    top.tick_params(labelsize=12)
    top.set_ylim(bottom=0)
    top.yaxis.set_major_formatter(lambda value, _pos: _one_decimal(value).removesuffix(",0").removesuffix(".0"))

    loans, income = r.loans, r.funds.income
    # Two flows of the period and one position on the day, each bar saying which it is.
    bars = [
        (_("Paid out in the period"), loans.disbursed),
        (_("Repaid in the period"), income.repayments),
        (_("Overdue") + "\n" + _("on {day}").format(day=texts.on_day(p)), loans.overdue_amount),
    ]
    drawn = middle.barh(
        [label for label, _v in bars], [_millions(v) for _l, v in bars], color=["#4472c4", "#70ad47", "#c00000"]
    )
    middle.bar_label(drawn, labels=[_one_decimal(_millions(v)) for _l, v in bars], fontsize=13, padding=4)
    middle.set_title(_("Loans (million ₫)"), fontsize=13, fontweight="bold", loc="right")
    middle.tick_params(labelsize=13)
    _bare_x(middle)
    middle.margins(x=0.25)

    m = r.members
    groups = [
        (_("Older people"), m.elderly),
        (_("Younger people"), m.young),
        (_("Women"), m.women),
        (_("Poor"), m.poor),
        (_("Near-poor"), m.near_poor),
        (_("Better-off"), m.better_off),
    ]
    drawn = bottom.barh([label for label, _v in groups][::-1], [v for _l, v in groups][::-1], color="#ed7d31")
    bottom.bar_label(
        drawn,
        labels=[
            f"{v} ({_one_decimal(m.percent.get(key, 0))} %)"
            for key, v in zip(
                ("better_off", "near_poor", "poor", "women", "young", "elderly"), [v for _l, v in groups][::-1]
            )
        ],
        fontsize=13,
        padding=4,
    )
    bottom.set_title(
        _("Members on {day}: {total}").format(day=texts.on_day(p), total=m.total),
        fontsize=13,
        fontweight="bold",
        loc="right",
    )
    bottom.tick_params(labelsize=13)
    _bare_x(bottom)
    bottom.margins(x=0.3)
    fig.get_layout_engine().set(h_pad=0.12)  # type: ignore[call-arg]  # the base class's stub lacks it
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close("all")
    return buffer.getvalue()
