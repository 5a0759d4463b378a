"""A throw-away Neo4j 5 Community server for the test suite and the benchmarks.

The jars come from Maven Central through ``pom.xml`` beside this file: ``make neo4j`` resolves
them into the local Maven repository (``~/.m2``) and writes their classpath to
``classpath.txt`` and the Graph Data Science jars among them to ``plugins.txt`` (both
git-ignored). No jar is copied into the project. The server runs on Java 17 from that
classpath, in a temporary folder holding its ``neo4j.conf``, data, logs and a ``plugins``
folder of links to the GDS jars in ``~/.m2``, on free loopback ports, with authentication on
and a password generated for the run.

Run ``python -m tests.neo4j_server`` to start one by hand; it prints the variables that point
the suite (or the CLI) at it and stops it on Ctrl-C.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

HERE = Path(__file__).parent
CLASSPATH_FILE = HERE / "classpath.txt"
PLUGINS_FILE = HERE / "plugins.txt"
USER = "neo4j"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
SET_PASSWORD = ["dbms", "set-initial-password"]
#: Small enough for a two-core CI machine shared with the rest of the suite.
HEAP = "512m"
PAGE_CACHE = "128m"
JVM_OPTIONS = [
    "-XX:+UseSerialGC",
    "-XX:-OmitStackTraceInFastThrow",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
]
START_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0


class ServerUnavailable(RuntimeError):
    """The server cannot be started here; the message says what is missing."""


def classpath() -> str:
    """The resolved classpath, or :class:`ServerUnavailable` naming what to run."""
    if shutil.which("java") is None:
        raise ServerUnavailable("java is not on PATH (Java 17 runs the Neo4j test server)")
    if not CLASSPATH_FILE.is_file():
        raise ServerUnavailable(f"{CLASSPATH_FILE} is missing: run `make neo4j` (needs mvn)")
    return CLASSPATH_FILE.read_text(encoding="utf-8").strip()


def plugin_jars() -> list[Path]:
    """The Graph Data Science jars in ``~/.m2`` that go into the server's plugins folder.

    They are on the server's classpath too, as the ``neo4j`` launcher puts its plugins
    folder there: the GDS extension that procedures inject is found on the classpath, the
    procedures themselves in the plugins folder.
    """
    if not PLUGINS_FILE.is_file():
        raise ServerUnavailable(f"{PLUGINS_FILE} is missing: run `make neo4j` (needs mvn)")
    return [Path(jar) for jar in PLUGINS_FILE.read_text(encoding="utf-8").strip().split(os.pathsep)]


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _config(home: Path, bolt_port: int, heap: str) -> str:
    lines = [
        f"server.bolt.listen_address=127.0.0.1:{bolt_port}",
        f"server.bolt.advertised_address=127.0.0.1:{bolt_port}",
        "server.default_listen_address=127.0.0.1",
        "server.http.enabled=false",
        "server.https.enabled=false",
        f"server.directories.data={home / 'data'}",
        f"server.directories.logs={home / 'logs'}",
        f"server.directories.plugins={home / 'plugins'}",
        f"server.directories.run={home / 'run'}",
        f"server.directories.import={home / 'import'}",
        f"server.memory.heap.initial_size={heap}",
        f"server.memory.heap.max_size={heap}",
        f"server.memory.pagecache.size={PAGE_CACHE}",
        "dbms.security.auth_enabled=true",
        "dbms.usage_report.enabled=false",
        "db.tx_log.preallocate=false",
        "db.tx_log.rotation.retention_policy=1 files",
        "dbms.security.procedures.unrestricted=gds.*",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class Neo4jServer:
    """A running (or stopped) server in its own temporary folder."""

    home: Path
    bolt_port: int
    password: str
    user: str = USER
    heap: str = HEAP
    _classpath: str = field(default="", repr=False)
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def uri(self) -> str:
        """The Bolt address (``bolt://``); :attr:`routing_uri` for the routing scheme."""
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def routing_uri(self) -> str:
        """The same server through the routing scheme a cluster is reached with."""
        return f"neo4j://127.0.0.1:{self.bolt_port}"

    @property
    def env(self) -> dict[str, str]:
        """The variables that point the suite, the CLI or the API at this server."""
        return {"NEO4J_URI": self.uri, "NEO4J_USER": self.user, "NEO4J_PASSWORD": self.password}

    def start(self, timeout: float = START_TIMEOUT) -> float:
        """Start the server (again) and wait until it answers; returns the seconds it took."""
        began = time.monotonic()
        log = (self.home / "logs" / "console.log").open("ab")
        command = [
            "java",
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *JVM_OPTIONS,
            "-cp",
            self._classpath,
            ENTRY_POINT,
            f"--home-dir={self.home}",
            f"--config-dir={self.home / 'conf'}",
        ]
        self._process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        log.close()
        driver = neo4j.GraphDatabase.driver(self.uri, auth=(self.user, self.password))
        try:
            while True:
                if self._process.poll() is not None:
                    raise ServerUnavailable(
                        f"Neo4j exited with {self._process.returncode} while starting; "
                        f"see {self.home / 'logs'}"
                    )
                try:
                    driver.verify_connectivity()
                    return time.monotonic() - began
                except (ServiceUnavailable, OSError):
                    if time.monotonic() - began > timeout:
                        self.stop()
                        raise ServerUnavailable(
                            f"Neo4j did not answer within {timeout:.0f} s"
                        ) from None
                    time.sleep(0.25)
                except AuthError as error:
                    raise ServerUnavailable(
                        f"Neo4j refused the generated password: {error}"
                    ) from None
        finally:
            driver.close()

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``STOP_TIMEOUT``); keeps its data."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.poll() is None

    def close(self) -> None:
        """Stop the server and remove its folder: nothing is left behind."""
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)


def start_server(*, heap: str = HEAP) -> Neo4jServer:
    """Configure and start a fresh server; raises :class:`ServerUnavailable` if it cannot run.

    ``heap`` is the JVM's heap (``512m``, ``2g``).
    """
    cp = classpath()
    plugins = plugin_jars()
    home = Path(tempfile.mkdtemp(prefix="skillgraph-neo4j-"))
    try:
        for folder in ("conf", "data", "logs", "plugins", "run", "import"):
            (home / folder).mkdir()
        for jar in plugins:
            (home / "plugins" / jar.name).symlink_to(jar)
        server = Neo4jServer(home, free_port(), secrets.token_urlsafe(18), heap=heap, _classpath=cp)
        (home / "conf" / "neo4j.conf").write_text(
            _config(home, server.bolt_port, heap), encoding="utf-8"
        )
        _set_initial_password(server)
        server.start()
    except BaseException:
        shutil.rmtree(home, ignore_errors=True)
        raise
    return server


def _set_initial_password(server: Neo4jServer) -> None:
    """``neo4j-admin dbms set-initial-password`` through the admin tool's own entry point."""
    env = {"NEO4J_HOME": str(server.home), "NEO4J_CONF": str(server.home / "conf")}
    done = subprocess.run(
        ["java", "-Xmx256m", "-cp", server._classpath, ADMIN_TOOL, *SET_PASSWORD, server.password],
        env={**_base_env(), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ServerUnavailable(f"setting the initial password failed: {done.stderr.strip()}")


def _base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k in ("PATH", "JAVA_HOME", "HOME", "LANG")}
