"""The console channel: the same flows on stdin/stdout, choices as a numbered list.

Lines starting with ':' are for the console itself: ':as ID NAME' to act as another person (to play
several board members), ':file PATH' to send a file, ':paste' to send the following lines, up to an
empty one, as one message (a pasted member list), ':quit' to leave.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TextIO

from handlers.core import Document, Incoming, Reply
from handlers.dispatcher import Dispatcher, back_hint
from handlers.i18n import _

OUTPUT_DIR = Path("data") / "out"


def render(reply: Reply) -> str:
    lines = [reply.text]
    lines += [f"  {number}. {choice.label}" for number, choice in enumerate(reply.choices, start=1)]
    if reply.back:
        lines.append(back_hint())
    return "\n".join(lines)


def save_document(document: Document) -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUTPUT_DIR / Path(document.filename).name
    path.write_bytes(document.content)
    return path


class Console:
    def __init__(
        self, dispatcher: Dispatcher, user_id: str, name: str, chat_id: str | None = None, out: TextIO = sys.stdout
    ):
        self.dispatcher = dispatcher
        self.user_id, self.name, self.chat_id = user_id, name, chat_id
        self.out = out

    def send(self, text: str | None = None, document: Document | None = None) -> list[Reply]:
        replies = self.dispatcher.handle(
            Incoming(
                channel="console",
                chat_id=self.chat_id or self.user_id,
                user_id=self.user_id,
                user_name=self.name,
                text=text,
                document=document,
            )
        )
        for reply in replies:
            if reply.chat_id is not None:
                print(_("[in chat {chat}]").format(chat=reply.chat_id), file=self.out)
            print(render(reply), file=self.out)
            for attached in (reply.document, reply.photo):  # a photo too: a console shows no pictures
                if attached:
                    print(_("(file saved: {path})").format(path=save_document(attached)), file=self.out)
            print(file=self.out)
        return replies

    def run(self, lines: TextIO = sys.stdin) -> None:
        print(
            _("Console of the club bot. You are {name} (id {id}). Type /start to begin, :quit to leave.").format(
                name=self.name, id=self.user_id
            ),
            file=self.out,
        )
        remaining = iter(lines)
        for line in remaining:
            line = line.rstrip("\n")
            if line.strip() == ":paste":
                self.send("\n".join(iter(lambda: next(remaining, "").rstrip("\n"), "")))
            elif line.startswith(":"):
                if not self.meta(line):
                    break
            else:
                self.send(line)

    def meta(self, line: str) -> bool:
        """Handle a ':' line other than ':paste'; False means leave."""
        words = shlex.split(line[1:]) or [""]
        if words[0] == "quit":
            return False
        if words[0] == "as" and len(words) >= 2:
            self.user_id, self.name = words[1], " ".join(words[2:]) or f"User {words[1]}"
            print(_("You are now {name} (id {id}).").format(name=self.name, id=self.user_id), file=self.out)
        elif words[0] == "file" and len(words) == 2 and Path(words[1]).is_file():
            path = Path(words[1])
            self.send(document=Document(path.name, path.read_bytes()))
        else:
            print(_("Console commands: ':as ID NAME', ':file PATH', ':paste', ':quit'."), file=self.out)
        return True
