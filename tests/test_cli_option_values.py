"""Option values parsed into typed values in the CLI: a malformed value is a usage error of its option."""

from collections.abc import Callable

import pytest

from sop_cli.cli import values
from sop_cli.errors import ExitCode
from sop_cli.models.values import Count, DeadlineRef, Evidence
from sop_cli.workspace import Workspace
from tests.conftest import Result, files_under

Run = Callable[..., Result]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["note", "1", "--count", "51/50"], "error: --count 51/50: received must be between 0 and expected"),
        (["note", "1", "--count", "0/0"], "error: --count 0/0: received must be between 0 and expected"),
        (["note", "1", "--count", "many"], "error: --count 'many' is not a count such as 42/50"),
        (["note", "1", "--evidence", "/no/such/file.pdf"], "error: evidence file /no/such/file.pdf does not exist"),
        (["advance", "1", "--evidence", "ftp://example.org/x.pdf"], "is not an http or https address"),
        (["advance", "1", "--evidence", "www.example.org"], "write it with https:// in front"),
        (["export", "--format", "pdf"], "error: invalid value for --format: 'pdf' is not one of csv, xlsx, json, html"),
        (["report", "--period", "quarter"], "error: invalid value for --period: 'quarter' is not one of half, year"),
    ],
)
def test_malformed_values_are_usage_errors(office: Workspace, sop: Run, args: list[str], message: str) -> None:
    """A malformed --count, --evidence, --format or --period: exit 2, the sentence, the usage, nothing written."""
    sop("start", "1", cwd=office.root)
    before = files_under(office.root)
    result = sop(*args, cwd=office.root)
    assert result.code == ExitCode.USAGE
    lines = result.err.splitlines()
    assert message in lines[0]
    assert lines[1].startswith(f"Usage: sop {args[0]} [OPTIONS]") and lines[2] == f"For help: sop {args[0]} --help"
    assert files_under(office.root) == before


def test_option_value_mistake_speaks_thai_by_default(
    office: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --lang, a malformed --count is told in Thai, as the parser's own mistakes are."""
    sop("start", "1", cwd=office.root)
    monkeypatch.delenv("SOP_LANG")
    result = sop("note", "1", "--count", "many", cwd=office.root)
    assert result.code == ExitCode.USAGE
    assert "42/50" in result.err and "count such as" not in result.err
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in result.err.splitlines()[0])


def test_thai_digits_and_spaces_parse() -> None:
    """`๔๒ / ๕๐` is the count 42 of 50 and `๖.๔` the ref 6.4: Thai digits are the same numbers."""
    assert values.count(" ๔๒ / ๕๐ ") == Count(42, 50)
    assert values.count("0/3") == Count(0, 3)
    assert values.deadline_ref(" ๖.๔ ") == DeadlineRef("6.4")
    assert values.evidence("https://drive.google.com/x") == Evidence(link="https://drive.google.com/x")
