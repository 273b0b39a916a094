"""python -m bot [serve | console | migrate | clubs | remind | backup | export | template | import] (see README,
"Command line")."""

from __future__ import annotations

import gc

# Start-up is mostly these imports (SQLAlchemy, SQLModel and the model classes), which make a few hundred
# thousand objects that live as long as the process; the cyclic garbage collector would walk them again and
# again while they are made. Paused until they are in, then frozen so that later full collections skip
# them: about a quarter of the import time (BENCHMARKS.md, issue 7).
gc.disable()

import argparse  # noqa: E402
import sys  # noqa: E402
from datetime import UTC  # noqa: E402
from pathlib import Path  # noqa: E402

from bot.app import build_dispatcher, serve_channels, setup_logging  # noqa: E402
from bot.config import Settings, SettingsError, default_sqlite_url  # noqa: E402
from handlers.i18n import _, language  # noqa: E402
from storage import accounts, clubs  # noqa: E402
from storage.db import Database  # noqa: E402

gc.freeze()
gc.enable()


def serve(settings: Settings, _args) -> int:
    if not (settings.telegram_token or settings.zalo_token):
        # A newcomer's first command: what to do next, in Vietnamese and then in English, and no error.
        for code in ("vi", "en"):
            with language(code):
                print(how_to_get_a_token(), file=sys.stderr)
        return 0
    serve_channels(settings, build_dispatcher(settings))
    return 0


def how_to_get_a_token() -> str:
    return (
        _(
            "TELEGRAM_BOT_TOKEN is not set.\n"
            "To get a token: in Telegram, open @BotFather, send /newbot and follow the steps; it gives you "
            "a token like 123456:ABC-DEF\N{HORIZONTAL ELLIPSIS}\n"
            "Then run: TELEGRAM_BOT_TOKEN=<token> python -m bot\n"
            "To try the bot without Telegram: python -m bot console"
        )
        + "\n"
        + _(
            "For Zalo (ZALO_BOT_TOKEN is not set either): create a bot with Zalo Bot Creator "
            "(https://zalo.me/s/botcreator/), which gives you its Bot Token, then run: "
            "ZALO_BOT_TOKEN=<token> python -m bot\n"
            "With both tokens set, one process serves Telegram and Zalo together."
        )
        + "\n"
    )


def console(settings: Settings, args) -> int:
    from bot.console import Console

    Console(build_dispatcher(settings), user_id=args.user, name=args.name, chat_id=args.chat).run()
    return 0


def migrate(settings: Settings, _args) -> int:
    Database(settings.database_url).migrate()
    print(_("The database is up to date."))
    return 0


def list_clubs(settings: Settings, args) -> int:
    db = Database(settings.database_url)
    db.migrate()
    with db.transaction() as session:
        if args.unplaced:  # the clubs not on the 2025 map, with their places as stored
            for club in clubs.unplaced(session):
                print(f"{club.code}\t{club.name}\t{club.province}\t{club.commune}")
            return 0
        for club in clubs.all_clubs(session):
            print(f"{club.code}\t{club.name}\t{club.commune}, {club.district}, {club.province}")
    return 0


def remind(settings: Settings, args) -> int:
    """Preview the reminders due on a date (--dry-run), or send those due now (--send)."""
    import asyncio
    from datetime import date, datetime, time
    from zoneinfo import ZoneInfo

    from bot import reminders

    db = Database(settings.database_url)
    db.migrate()
    zone = ZoneInfo(settings.timezone)
    if args.send:
        summary = asyncio.run(reminders.send_now(db, settings))
        print(f"claimed {summary.claimed}, sent {summary.sent}, to retry {summary.failed}, blocked {summary.blocked}")
        return 0
    if args.date:
        # Everything due by the end of that day, before the quiet hours begin.
        at = datetime.combine(date.fromisoformat(args.date), time(reminders.reminders.LAST_HOUR, 59), tzinfo=zone)
    else:
        at = datetime.now(zone)
    due = reminders.ReminderService(db, settings.timezone, {}).plan(at, quiet_hours=False)
    for item in due:
        print(reminders.describe(item))
    print(f"{len(due)} reminder(s) would be sent by {at:%Y-%m-%d %H:%M} ({settings.timezone}); nothing was sent.")
    with db.transaction() as session:
        for club in accounts.clubs_nobody_can_be_reminded(session):
            print(_("{code} {club}: nobody on its board uses Telegram or Zalo, so no reminder reaches it.").format(
                code=club.code, club=club.name))  # fmt: skip
    return 0


def backup(settings: Settings, args) -> int:
    """A verified copy of the SQLite database, safe while the bot runs; for PostgreSQL, the pg_dump commands."""
    from datetime import datetime
    from pathlib import Path

    from storage import backup as backups

    now = datetime.now()
    if not backups.is_sqlite(settings.database_url):
        dump, restore = backups.pg_commands(settings.database_url, now)
        print(
            _(
                "DATABASE_URL points at PostgreSQL: back it up with PostgreSQL's own tools (the password comes "
                "from PGPASSWORD or ~/.pgpass).\nBack up:\n  {dump}\nRestore (stop the bot first):\n  {restore}"
            ).format(dump=dump, restore=restore),
            file=sys.stderr,
        )
        return 2
    try:
        made = backups.backup_sqlite(
            backups.sqlite_path(settings.database_url),
            Path(args.output) if args.output else backups.default_target(now),
        )
    except (FileNotFoundError, ValueError) as problem:
        print(_("Nothing to back up: {problem}").format(problem=problem), file=sys.stderr)
        return 1
    except backups.BackupFailed as problem:
        print(
            _("The copy failed its integrity check and was removed: {problem}").format(problem=problem), file=sys.stderr
        )
        return 1
    print(_("Backup saved and checked: {path} ({size} bytes)").format(path=made.path, size=made.size))
    return 0


def export(settings: Settings, args) -> int:
    """Every record of one club, as JSON or as an .xlsx with one sheet per table."""
    from datetime import datetime
    from pathlib import Path

    from storage import export as club_export

    db = Database(settings.database_url)
    db.migrate()
    with db.reading() as session:
        club = clubs.by_code(session, args.club)
        if club is None:
            print(
                _("No club has the code {code}. `python -m bot clubs` lists them.").format(code=args.club),
                file=sys.stderr,
            )
            return 2
        records = club_export.club_records(session, club.id)
    now = datetime.now(UTC)
    path = Path(args.output or f"export-{club.code}-{now:%Y%m%d}.{args.format}")
    if args.format == "xlsx":
        path.write_bytes(club_export.to_xlsx(records))
    else:
        path.write_text(club_export.to_json(club, records, now), encoding="utf-8")
    db.dispose()
    rows = sum(len(table_rows) for table_rows in records.values())
    print(_("Saved {rows} records from {tables} tables: {path}").format(rows=rows, tables=len(records), path=path))
    return 0


def write_template(_settings: Settings, args) -> int:
    """The .xlsx a club fills in with its paper books (handlers.history.workbook)."""
    from pathlib import Path

    from handlers.history.workbook import template

    path = Path(args.output)
    path.write_bytes(template())
    print(_("Template saved: {path}").format(path=path))
    return 0


def import_books(settings: Settings, args) -> int:
    """Bring a club's books in from a filled template: read it, then plan and (without --dry-run) save in one
    transaction; the summary is printed either way, with every problem when there are any (exit code 2)."""
    from datetime import datetime
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from handlers.history import texts
    from handlers.history.workbook import read_workbook
    from storage import history
    from storage.models import CHAIR

    try:
        content = Path(args.file).read_bytes()
    except OSError as problem:
        print(_("Cannot read {path}: {problem}").format(path=args.file, problem=problem.strerror), file=sys.stderr)
        return 2
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    db = Database(settings.database_url)
    db.migrate()
    try:
        with db.reading() as session:
            club = clubs.by_code(session, args.club)
        if club is None or club.id is None:
            print(
                _("No club has the code {code}. `python -m bot clubs` lists them.").format(code=args.club),
                file=sys.stderr,
            )
            return 2
        # Read before the transaction begins: on SQLite it holds the write lock, which the bot waits for.
        reading = read_workbook(content, today)
        if reading.moving_in is None:
            print(texts.summary(reading, most=None))
            return 2
        with db.transaction() as session:
            plan = history.plan(session, club.id, reading.moving_in, today)
            print(texts.summary(reading, plan, most=None))
            if not plan.clean:
                return 2
            if args.dry_run:
                print(_("Dry run: nothing was saved."))
                return 0
            chair = next((user for seat, user in clubs.board(session, club.id) if seat.role == CHAIR), None)
            if chair is None:
                print(
                    _("The club {code} has no chair to save the books in their name.").format(code=club.code),
                    file=sys.stderr,
                )
                return 2
            saved = history.save(session, club.id, reading.moving_in, chair, today)
        print(texts.saved(saved))
        return 0
    except history.NotClean as changed:  # the books changed between planning and saving: rolled back
        print(texts.summary(reading, changed.plan, most=None))
        return 2
    finally:
        db.dispose()


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m bot", description="Club bot for intergenerational self-help clubs")
    commands = root.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve Telegram and/or Zalo (the default)").set_defaults(run=serve)
    chat = commands.add_parser("console", help="chat with the bot in this terminal")
    chat.add_argument("--user", default="1", help="act as this user id (to play several board members)")
    chat.add_argument("--name", default="Console user", help="the display name of that user")
    chat.add_argument("--chat", default=None, help="chat id (default: a private chat with the user)")
    chat.set_defaults(run=console)
    commands.add_parser("migrate", help="create or upgrade the database schema").set_defaults(run=migrate)
    listing = commands.add_parser("clubs", help="list clubs with their codes")
    listing.add_argument(
        "--unplaced",
        action="store_true",
        help="only the clubs without a commune on the 2025 map: code, name, province and commune as stored",
    )
    listing.set_defaults(run=list_clubs)
    from bot.report_cli import add_commands as add_report_commands

    add_report_commands(commands)  # report, demo
    reminding = commands.add_parser("remind", help="preview (--dry-run) or send (--send) the reminders due")
    mode = reminding.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="print who would get which reminder; send nothing")
    mode.add_argument("--send", action="store_true", help="send the reminders due now (quiet hours do not apply)")
    reminding.add_argument("--date", help="with --dry-run: the day to preview, YYYY-MM-DD (default: now)")
    reminding.set_defaults(run=remind)
    saving = commands.add_parser("backup", help="a checked copy of the SQLite database (PostgreSQL: pg_dump)")
    saving.add_argument("--output", help="the copy's file (default: data/backups/clubbot-DATE-TIME.sqlite3)")
    saving.set_defaults(run=backup)
    exporting = commands.add_parser("export", help="every record of one club, as JSON or .xlsx")
    exporting.add_argument("--club", required=True, help="the club's code (see `python -m bot clubs`)")
    exporting.add_argument("--format", choices=("json", "xlsx"), default="json")
    exporting.add_argument("--output", help="the file to write (default: export-CODE-DATE.json or .xlsx)")
    exporting.set_defaults(run=export)
    blank = commands.add_parser("template", help="write the .xlsx a club fills in with its paper books")
    blank.add_argument("--output", default="mau-so-sach.xlsx", help="the file to write (default: mau-so-sach.xlsx)")
    blank.set_defaults(run=write_template)
    bringing = commands.add_parser("import", help="bring in a club's books from a filled template")
    bringing.add_argument("--club", required=True, help="the club's code (see `python -m bot clubs`)")
    bringing.add_argument("file", help="the filled template (.xlsx)")
    bringing.add_argument(
        "--dry-run", action="store_true", help="print what would be saved, and the problems; save nothing"
    )
    bringing.set_defaults(run=import_books)
    root.set_defaults(run=serve)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as bad:
        # For the operator who set them: one line per bad variable, all of them, and no traceback.
        for problem in bad.problems:
            print(problem, file=sys.stderr)
        return 2
    setup_logging(settings)
    if settings.database_url == default_sqlite_url():
        Path("data").mkdir(exist_ok=True)  # made when the bot runs, not when its settings are read (by the tests)
    return args.run(settings, args)


if __name__ == "__main__":
    sys.exit(main())
