"""`python -m bot report` and `python -m bot demo` (see README, "Reports")."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from handlers.i18n import _
from storage import clubs, demo, reports
from storage.db import Database
from storage.periods import half_year_of, period


def _today(settings: Settings):
    return datetime.now(ZoneInfo(settings.timezone)).date()


def report(settings: Settings, args) -> int:
    from bot.report_xlsx import club_xlsx, district_xlsx
    from handlers.reports import texts

    if bool(args.club) == bool(args.district):
        print(_("Give either --club CODE or --district NAME."), file=sys.stderr)
        return 2
    today = _today(settings)
    try:
        chosen = period(args.period) if args.period else half_year_of(today)
    except ValueError:
        print(_("Not a period: {code}. Use 2025-H1, 2025-H2 or 2025.").format(code=args.period), file=sys.stderr)
        return 2
    db = Database(settings.database_url)
    db.migrate()
    with db.reading() as session:
        if args.club:
            club = clubs.by_code(session, args.club)
            if club is None:
                print(
                    _("No club has the code {code}. `python -m bot clubs` lists them.").format(code=args.club),
                    file=sys.stderr,
                )
                return 1
            one = reports.club_report(session, club.id, chosen, today=today)
            zone = ZoneInfo(settings.timezone)
            render = {
                "text": lambda: texts.report_text(one, zone),
                "json": lambda: reports.to_json(one),
                "xlsx": lambda: club_xlsx(one, prepared_by=args.prepared_by, today=today, zone=zone),
            }
            default_name = f"baocao-{club.code}-{chosen.code}.xlsx"
        else:
            combined = reports.district_report(session, chosen, district=args.district, today=today)
            if not combined.clubs:
                print(_("No club in the district {name}.").format(name=args.district), file=sys.stderr)
                return 1
            render = {
                "text": lambda: texts.district_text(combined),
                "json": lambda: reports.to_json(combined),
                "xlsx": lambda: district_xlsx(combined, prepared_by=args.prepared_by, today=today),
            }
            default_name = f"baocao-tonghop-{chosen.code}.xlsx"
        output = render[args.format]()
    if args.format == "xlsx":
        path = Path(args.output or default_name)
        path.write_bytes(output)
        print(_("Saved: {path}").format(path=path))
    elif args.output:
        Path(args.output).write_text(output + "\n", encoding="utf-8")
        print(_("Saved: {path}").format(path=args.output))
    else:
        print(output)
    db.dispose()
    return 0


def fill_demo(settings: Settings, _args) -> int:
    db = Database(settings.database_url)
    db.migrate()
    try:
        with db.transaction() as session:
            club = demo.fill(session, _today(settings))
            code = club.code
    except demo.NotEmpty:
        print(
            _(
                "This database already has clubs; the demo only fills an empty one. Point DATABASE_URL at a new "
                "database, e.g. DATABASE_URL=sqlite:///data/demo.sqlite3 python -m bot demo"
            ),
            file=sys.stderr,
        )
        return 1
    finally:
        db.dispose()
    print(_("Sample club created. Mã CLB: {code}").format(code=code))
    print(_("See its report: python -m bot report --club {code} --format text").format(code=code))
    return 0


def add_commands(commands) -> None:
    """Add `report` and `demo` to the CLI's subcommands."""
    sub = commands.add_parser("report", help="a club's or a district's half-year or annual report")
    sub.add_argument("--club", help="the club's code (see `python -m bot clubs`)")
    sub.add_argument("--district", help="the district's name: the combined report of its clubs")
    sub.add_argument("--period", help="2025-H1, 2025-H2 or 2025 (default: the current half-year)")
    sub.add_argument("--format", choices=("text", "json", "xlsx"), default="text")
    sub.add_argument("--output", help="write to this file (xlsx: default baocao-CODE-PERIOD.xlsx)")
    sub.add_argument("--prepared-by", default="", help="the name in the xlsx's 'prepared by' line")
    sub.set_defaults(run=report)
    commands.add_parser("demo", help="fill an empty database with a sample club").set_defaults(run=fill_demo)
