"""Webhook mode (WEBHOOK_URL set): one aiohttp server on PORT for every channel's webhook, and GET /healthz.

Each channel adds its POST route and the call that registers its URL with its platform; the registrations run
once the server listens, because a platform may deliver as soon as it knows the URL.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from aiohttp import web

from storage.db import Database

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Webhooks:
    def __init__(self, db: Database):
        self.db = db
        self.app = web.Application()
        self.app.router.add_get("/healthz", self.health)
        self._registrations: list[Callable[[], Awaitable[None]]] = []

    def add(self, path: str, handler: Handler, register: Callable[[], Awaitable[None]]) -> None:
        """Serve POST `path` with `handler`; `register` tells the platform the URL once the server listens."""
        self.app.router.add_post(path, handler)
        self._registrations.append(register)

    async def health(self, _request: web.Request) -> web.Response:
        """200 while the database answers, 503 otherwise, so a platform's health check restarts a stuck bot."""
        try:
            await asyncio.to_thread(self.db.ping)
        except Exception as error:  # noqa: BLE001  (any failure means the bot cannot serve)
            log.warning("Health check: the database cannot be reached (%s)", type(error).__name__)
            return web.json_response({"ok": False}, status=503)
        return web.json_response({"ok": True})

    @asynccontextmanager
    async def serving(self, port: int, host: str = "0.0.0.0") -> AsyncIterator[int]:
        """Listen on `port` (0: any free port), then register every webhook; yields the port."""
        runner = web.AppRunner(self.app)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
            port = runner.addresses[0][1]
            log.info("Serving webhooks on port %s", port)
            for register in self._registrations:
                await register()
            yield port
        finally:
            await runner.cleanup()
