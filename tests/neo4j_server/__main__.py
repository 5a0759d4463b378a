"""Start a throw-away Neo4j server by hand: ``python -m tests.neo4j_server``."""

from __future__ import annotations

import signal
import sys
import time
from types import FrameType

from tests.neo4j_server import ServerUnavailable, start_server


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # SIGTERM (``kill``) stops the server as Ctrl-C does; SIGINT too when started in the
    # background, where the shell starts it with SIGINT ignored.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    began = time.monotonic()
    try:
        server = start_server()
    except ServerUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"# Neo4j up after {time.monotonic() - began:.1f} s in {server.home}; Ctrl-C stops it")
    for name, value in server.env.items():
        print(f"export {name}={value}")
    sys.stdout.flush()
    try:
        while server.running:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
