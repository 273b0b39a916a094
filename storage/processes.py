"""Which bot process is to send an update's replies, and whether that process still runs.

The replies of an update are written with its transaction, naming this process (`THIS_PROCESS`). When the
same update arrives again, they are sent again only if the named process has died: killed between the commit
and the sending, it never sent them; still running, it has sent them or is sending them now (at another
process that received the same update, or in this one).

PostgreSQL: every connection of the process carries its name as `application_name`, so it runs while the
server lists a session with that name (processes may be on several hosts). A killed process's sessions end
when the server sees their sockets close. SQLite: the database is a file on one host, so the name holds the
process id and the kernel's start time for it, which together do not recur while the host runs.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

_SESSION_NAMED = text("SELECT 1 FROM pg_stat_activity WHERE application_name = :name LIMIT 1")


def start_time(pid: int) -> str | None:
    """When the process started, in clock ticks since the host booted (/proc/PID/stat, field 22); None when
    no process has that id."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # the fields after the command name start at field 3


def process_name(pid: int) -> str:
    """Short enough for `application_name` (63 bytes); the random part keeps hosts apart."""
    return f"clubbot-{pid}-{start_time(pid) or 0}-{secrets.token_hex(3)}"


THIS_PROCESS = process_name(os.getpid())


def is_running(session: Session, name: str) -> bool:
    if name == THIS_PROCESS:
        return True
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(_SESSION_NAMED, {"name": name}).first() is not None
    try:
        _prefix, pid, started, _random = name.split("-")
    except ValueError:
        return False
    return start_time(int(pid)) == started
