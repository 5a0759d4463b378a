"""A call computed in a second process: its answer, its errors, its death and its parent's."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from queries import second_process
from queries.second_process import in_second_process

#: Seconds a second process may take to notice that its parent has ended.
NOTICE_SECONDS = 15


def _pid() -> int:
    return os.getpid()


def _refuse(reason: str) -> None:
    raise ValueError(reason)


def _die_unless_in(pid: int) -> str:
    if os.getpid() != pid:
        os._exit(9)  # as the kernel's out-of-memory killer would end it
    return "computed here"


def _note_pid_and_wait(path: str) -> None:
    written = Path(f"{path}.tmp")
    written.write_text(str(os.getpid()), encoding="ascii")
    written.rename(path)  # whole when it appears
    time.sleep(600)


@pytest.fixture
def two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(second_process, "usable_cpus", lambda: 2)


@pytest.mark.usefixtures("two_cpus")
def test_the_call_runs_in_another_process() -> None:
    assert in_second_process(_pid) != os.getpid()


def test_with_one_cpu_the_call_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(second_process, "usable_cpus", lambda: 1)
    assert in_second_process(_pid) == os.getpid()


@pytest.mark.usefixtures("two_cpus")
def test_an_error_of_the_call_is_raised_here() -> None:
    with pytest.raises(ValueError, match="no such competence"):
        in_second_process(_refuse, "no such competence")


@pytest.mark.usefixtures("two_cpus")
def test_a_second_process_killed_before_answering_is_replaced_by_this_one() -> None:
    assert in_second_process(_die_unless_in, os.getpid()) == "computed here"


def _runs(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return False
    return state[0] != "Z"


def test_the_second_process_ends_when_its_parent_ends(tmp_path: Path) -> None:
    noted = tmp_path / "second.pid"
    parent = textwrap.dedent(
        f"""
        import os, threading, time
        from pathlib import Path
        from queries import second_process
        from tests.queries.test_second_process import _note_pid_and_wait
        second_process.usable_cpus = lambda: 2
        threading.Thread(
            target=second_process.in_second_process,
            args=(_note_pid_and_wait, {str(noted)!r}),
            daemon=True,
        ).start()
        while not Path({str(noted)!r}).exists():
            time.sleep(0.05)
        os._exit(0)  # as a killed report would end, without any clean-up
        """
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", parent], cwd=root, check=True, timeout=120)
    second = int(noted.read_text(encoding="ascii"))
    deadline = time.monotonic() + NOTICE_SECONDS
    while _runs(second) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _runs(second)
