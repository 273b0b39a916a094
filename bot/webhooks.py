"""Webhook mode (WEBHOOK_URL set): one ASGI app (Starlette, served by uvicorn) on PORT for every channel's
webhook, and GET /healthz.

Each channel adds its POST route and the call that registers its URL with its platform; the registrations run
once the server listens, because a platform may deliver as soon as it knows the URL. The server runs as a task
in the bot's own event loop, beside the channels and the reminder scheduler.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storage.db import Database

log = logging.getLogger(__name__)
Handler = Callable[[Request], Awaitable[Response]]
# A platform gives a stopping process about 30 s (SIGTERM, then SIGKILL); requests in hand get most of it.
GRACEFUL_SHUTDOWN_SECONDS = 25


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the bot's event loop owns SIGINT and SIGTERM and stops every
    part (channels, scheduler, this server) in order."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class Webhooks:
    def __init__(self, db: Database):
        self.db = db
        self._routes = [Route("/healthz", self.health, methods=["GET"])]
        self._registrations: list[Callable[[], Awaitable[None]]] = []

    def add(self, path: str, handler: Handler, register: Callable[[], Awaitable[None]]) -> None:
        """Serve POST `path` with `handler`; `register` tells the platform the URL once the server listens."""
        self._routes.append(Route(path, handler, methods=["POST"]))
        self._registrations.append(register)

    def app(self) -> Starlette:
        return Starlette(routes=list(self._routes))

    async def health(self, _request: Request) -> JSONResponse:
        """200 while the database answers, 503 otherwise, so a platform's health check restarts a stuck bot."""
        try:
            await asyncio.to_thread(self.db.ping)
        except Exception as error:  # noqa: BLE001  (any failure means the bot cannot serve)
            log.warning("Health check: the database cannot be reached (%s)", type(error).__name__)
            return JSONResponse({"ok": False}, status_code=503)
        return JSONResponse({"ok": True})

    @contextlib.asynccontextmanager
    async def serving(self, port: int, host: str = "0.0.0.0") -> AsyncIterator[int]:
        """Listen on `port` (0: any free port), then register every webhook; yields the port.

        At exit the server stops taking connections and finishes the requests in hand.
        """
        listener = _listen(host, port)  # bound here, so a port in use fails now, with the usual OSError
        port = listener.getsockname()[1]
        server = _Server(
            uvicorn.Config(
                self.app(),
                lifespan="off",
                access_log=False,
                log_config=None,
                timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
            )
        )
        task = asyncio.create_task(server.serve(sockets=[listener]))
        try:
            await _started(server, task)
            log.info("Serving webhooks on port %s", port)
            for register in self._registrations:
                await register()
            yield port
        finally:
            server.should_exit = True
            await asyncio.gather(task, return_exceptions=True)
            listener.close()


def _listen(host: str, port: int) -> socket.socket:
    listener = socket.create_server((host, port))
    listener.setblocking(False)
    return listener


async def _started(server: uvicorn.Server, task: asyncio.Task) -> None:
    """Wait until uvicorn accepts connections; its own failure to start is raised here."""
    while not server.started:
        if task.done():
            task.result()  # raises what stopped it
            raise RuntimeError("The webhook server stopped before it started")
        await asyncio.sleep(0.01)
