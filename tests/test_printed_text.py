"""Text from files is printed as it is: no markup, no emoji, every location intact."""

from __future__ import annotations

from pathlib import Path

from api.cli import print_report
from api.terminal import out
from ingest.report import FileReport, IngestReport, Rejection
from tests.test_cli import run

HOSTILE = ["[/bold] x", ":100:", "[red]x[/red]", "[item 3]", ":thumbs_up: [link=http://e]y"]


def test_the_ingest_report_prints_user_text_and_locations_as_they_are() -> None:
    file = FileReport(
        file="[red]x[/red].json",
        kind="members",
        rows_read=3,
        rows_rejected=2,
        rejected=[
            Rejection(location="[red]x[/red].json[item 3]", column="name", reason=HOSTILE[0]),
            Rejection(location="poll.csv:100", column=None, reason=HOSTILE[4]),
        ],
        unclassified_answers=HOSTILE,
        notice="[bold]",
    )
    with out.capture() as captured:
        print_report(IngestReport(files=[file]))
    text = captured.get()
    assert "[red]x[/red].json (members): 3 read, 0 written, 2 rejected" in text
    assert "rejected [red]x[/red].json[item 3]: column name: [/bold] x" in text
    assert "rejected poll.csv:100: :thumbs_up: [link=http://e]y" in text
    assert "note: [bold]" in text
    for answer in HOSTILE:
        assert f"    {answer}\n" in text
    assert "\N{HUNDRED POINTS SYMBOL}" not in text and "\N{THUMBS UP SIGN}" not in text


def test_a_poll_file_with_markup_and_emoji_codes_is_reported_line_by_line(tmp_path: Path) -> None:
    rows = [f"r-{n},goal,answer number {n}\n" for n in range(2, 100)]
    rows.append("r-100,maybe,[/bold] x\n")  # line 100: a bad question kind
    rows.append("r-101,blocker,[/bold] x :100: [red]x[/red]\n")
    poll = tmp_path / "poll_responses.csv"
    poll.write_text("respondent,question_kind,answer\n" + "".join(rows), encoding="utf-8")
    result = run(["ingest", str(poll)], tmp_path / "store")
    assert "Traceback" not in result.stderr and result.returncode == 1, result.stderr
    assert f"rejected {poll}:100: column question_kind: 'maybe' is not one of" in result.stdout
    assert f"    {poll}:101: [/bold] x :100: [red]x[/red]\n" in result.stdout
    assert "\N{HUNDRED POINTS SYMBOL}" not in result.stdout


def test_an_error_naming_a_file_with_markup_is_one_plain_line(tmp_path: Path) -> None:
    missing = tmp_path / "[/bold] :100: [red]x[/red].csv"
    result = run(["ingest", str(missing)], tmp_path / "store")
    assert result.returncode == 2
    assert result.stderr == f"error: {missing}: does not exist\n"


def test_control_characters_in_user_text_are_written_out_not_sent_to_the_terminal() -> None:
    file = FileReport(
        file="a\x1b]0;owned\x07.csv",
        kind="members",
        rejected=[Rejection(location="a.csv:2", reason="\x1b[2J\rcleared\ttab")],
    )
    with out.capture() as captured:
        print_report(IngestReport(files=[file]))
    text = captured.get()
    assert "\x1b" not in text and "\r" not in text and "\x07" not in text
    assert "a\\x1b]0;owned\\x07.csv (members)" in text
    assert "rejected a.csv:2: \\x1b[2J\\x0dcleared" in text  # the tab stays a tab (spaces)
