"""A real uvicorn server in a thread of the test process, for browsers and raw sockets."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from api.app import create_app
from api.settings import Settings


@contextmanager
def live_server(settings: Settings, *, start_timeout: float = 60.0) -> Iterator[int]:
    """Serve the app built from ``settings`` on a free loopback port; yields the port."""
    import uvicorn

    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0,
                            log_level="warning", lifespan="on")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
