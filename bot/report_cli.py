"""`python -m bot report`, `python -m bot reviewer` and `python -m bot demo` (see README, "Reports")."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from handlers.i18n import _
from storage import clubs, demo, places, reports
from storage.db import Database
from storage.periods import half_year_of, period


def _today(settings: Settings):
    return datetime.now(ZoneInfo(settings.timezone)).date()


def report(settings: Settings, args) -> int:
    from bot.report_xlsx import club_xlsx, district_xlsx
    from handlers.reports import texts

    if sum(map(bool, (args.club, args.district, args.province or args.commune))) != 1:
        print(
            _("Give one of --club CODE, --province CODE|NAME [--commune CODE|NAME] or --district NAME."),
            file=sys.stderr,
        )
        return 2
    area = None
    if args.province or args.commune:
        area = place_of(args.province, args.commune)
        if area is None:
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
            if area is not None:
                province, commune = area
                combined = reports.area_report(
                    session,
                    chosen,
                    province_code=province.code,
                    commune_code=commune.code if commune else None,
                    today=today,
                )
                if not combined.clubs:
                    print(_("No club in {place}.").format(place=combined.title), file=sys.stderr)
                    return 1
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


def _one_place(found: places.Found, several: str, unknown: str) -> places.Place | None:
    """The place a typed name or code means, or None once the candidates (after `several`) or the nearest names
    (after `unknown`) are printed, each with its code."""
    if found.exact is not None:
        return found.exact
    print((several if found.candidates else unknown).format(typed=found.typed), file=sys.stderr)
    shown = found.candidates or found.nearest
    if shown and not found.candidates:
        print(_("The nearest names:"), file=sys.stderr)
    for place in shown:
        province = places.province(place.province_code)
        where = f", {province.name}" if place.level == places.COMMUNE and province is not None else ""
        print(f"  {place.code}\t{place.name}{where}", file=sys.stderr)
    return None


def place_of(province_text: str | None, commune_text: str | None) -> tuple[places.Place, places.Place | None] | None:
    """--province CODE|NAME [--commune CODE|NAME] as storage.places reads them in the chat: a province, and maybe
    a commune of it; a commune's five-digit code names it alone. None, with the reason printed, when a name is
    unknown or could be several places."""
    if province_text is None:
        commune = places.commune((commune_text or "").strip())
        province = places.province(commune.province_code) if commune is not None else None
        if commune is None or province is None:
            print(
                _("Give --province CODE|NAME with --commune NAME, or the commune's five-digit code."), file=sys.stderr
            )
            return None
        return province, commune
    province = _one_place(
        places.find_province(province_text),
        _('"{typed}" could be several provinces; give the code of one:'),
        _('No province is called "{typed}".'),
    )
    if province is None or commune_text is None:
        return (province, None) if province is not None else None
    commune = _one_place(
        places.find_commune(commune_text, province.code),
        _('"{typed}" could be several communes of {province}; give the code of one:').replace(
            "{province}", province.name
        ),
        _('{province} has no commune called "{typed}".').replace("{province}", province.name),
    )
    return (province, commune) if commune is not None else None


def invite_reviewer(settings: Settings, args) -> int:
    """A single-use code for the reviewer of a province, or of one commune of it: they type /start CODE."""
    from storage import area_reviewers

    found = place_of(args.province, args.commune)
    if found is None:
        return 2
    province, commune = found
    area = area_reviewers.Area(province.code, commune.code if commune else None)
    db = Database(settings.database_url)
    db.migrate()
    try:
        with db.transaction() as session:
            invite = area_reviewers.create_invite(session, area, settings.invite_valid_days)
            code, expires = invite.code, invite.expires_at
    finally:
        db.dispose()
    local = expires.astimezone(ZoneInfo(settings.timezone))
    print(
        _(
            "Invite code for the reviewer of {area}: {code}\n"
            "They open the bot and type: /start {code}\n"
            "It can be used once, until {day}. They will see the reports of every club of {area}, and never change "
            "anything."
        ).format(area=area.name(), code=clubs.grouped(code), day=f"{local:%d/%m/%Y %H:%M}")
    )
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
    sub = commands.add_parser(
        "report", help="a club's half-year or annual report, or the combined report of a province, commune or district"
    )
    sub.add_argument("--club", help="the club's code (see `python -m bot clubs`)")
    sub.add_argument("--province", help="a province's code or name (2025 map): the combined report of its clubs")
    sub.add_argument("--commune", help="with --province: one commune of it, by code or name")
    sub.add_argument("--district", help="a district's name (before July 2025): the combined report of its clubs")
    sub.add_argument("--period", help="2025-H1, 2025-H2 or 2025 (default: the current half-year)")
    sub.add_argument("--format", choices=("text", "json", "xlsx"), default="text")
    sub.add_argument("--output", help="write to this file (xlsx: default baocao-CODE-PERIOD.xlsx)")
    sub.add_argument("--prepared-by", default="", help="the name in the xlsx's 'prepared by' line")
    sub.set_defaults(run=report)
    commands.add_parser("demo", help="fill an empty database with a sample club").set_defaults(run=fill_demo)
    reviewer = commands.add_parser("reviewer", help="an invite code for the reviewer of a province or a commune")
    reviewer.add_argument("--province", help="the province's code or name (2025 map)")
    reviewer.add_argument("--commune", help="one commune of it, by code or name (default: the whole province)")
    reviewer.set_defaults(run=invite_reviewer)
