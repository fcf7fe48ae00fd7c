"""Commands killed (SIGKILL) or interrupted (Ctrl-C) at counted system calls leave no broken step.

Kill points are counted, never timed: strace stops a real `sop` process on entering the n-th
call of fsync, link, rename, mkdir or unlink (the calls that put a file in place or take one
away). After each kill:

- no file under a final name is partial (every event and register file loads, every .docx is a
  whole zip, every evidence copy has the hash its name says);
- the command's files are all there or, once the next command has written, none of them are;
- the next write (the same command again, or another command) succeeds, `sop check` is green,
  the register's numbers are distinct and consecutive, and every file of the commands that
  finished before the kill is still there, unchanged.

A command makes 20 to 60 such calls. By default each command is killed at `SAMPLE` of them,
spread evenly over the calls in the order it makes them (the first and the last included), and
interrupted with Ctrl-C at every other one of those: the module then takes about a minute and a
half. `SOP_KILL_POINTS=all` kills at every call and interrupts at every other one (eight minutes).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sop_cli.errors import ExitCode
from sop_cli.storage import cache
from sop_cli.storage.records import fiscal_years, load_run, run_folders
from sop_cli.storage.register import load_register
from sop_cli.workspace import Workspace
from tests.conftest import Result
from tests.hardening.conftest import sop_command

STRACE = shutil.which("strace")
pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="kill points are counted with strace, which is Linux only"),
    pytest.mark.skipif(STRACE is None, reason="strace is not installed (apt-get install strace; .ci/run does)"),
]

Run = Callable[..., Result]
# The calls that put a file in place or take one away; `?` lets strace skip a name this machine's
# kernel does not have (aarch64 has only the *at forms).
CALLS = ("fsync", "link", "linkat", "rename", "renameat", "renameat2", "mkdir", "mkdirat", "unlink", "unlinkat")
SAMPLE = 6
EVERY_POINT = os.environ.get("SOP_KILL_POINTS") == "all"
TIMEOUT_S = 60  # one command, even under strace, takes about a second
SIGKILLED, INTERRUPTED = -signal.SIGKILL, int(ExitCode.INTERRUPTED)


# --- running sop ------------------------------------------------------------------------------------


def _env() -> dict[str, str]:
    # No .pyc written: Python's own writes would move the counts between the first run and the next.
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SOP_ROOT", None)
    return env


def _sop(root: Path, args: tuple[str, ...], strace: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `sop ARGS` as a real process in `root` (under strace when given), within the time limit."""
    command = [*(strace or []), *sop_command(), *args]
    return subprocess.run(
        command,
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT_S,
        env=_env(),
    )


def _calls(root: Path, args: tuple[str, ...], trace: Path) -> list[tuple[str, int]]:
    """The calls of `CALLS` the command makes, in order, as (call, how many of it so far): a run to its end."""
    calls = ",".join(f"?{c}" for c in CALLS)
    assert STRACE is not None
    done = _sop(root, args, [STRACE, "-f", "-qq", "-o", str(trace), "-e", f"trace={calls}"])
    assert done.returncode == 0, done.stderr
    seen: Counter[str] = Counter()
    made = []
    for name in re.findall(r"^\d+\s+(\w+)\(", trace.read_text(encoding="utf-8", errors="replace"), re.MULTILINE):
        seen[name] += 1
        made.append((name, seen[name]))
    return made


def _killed(root: Path, args: tuple[str, ...], call: str, n: int, sig: str) -> subprocess.CompletedProcess[str]:
    """Run the command and send it `sig` on entering its `n`-th call of `call` (strace counts each call apart)."""
    assert STRACE is not None
    inject = f"inject=?{call}:signal={sig}:when={n}"
    return _sop(root, args, [STRACE, "-f", "-qq", "-o", os.devnull, "-e", f"trace=?{call}", "-e", inject])


def points(count: int) -> list[int]:
    """Which of `count` calls to kill at (1-based): all of them, or `SAMPLE` spread evenly, first and last included."""
    if EVERY_POINT or count <= SAMPLE:
        return list(range(1, count + 1))
    return sorted({1 + round(i * (count - 1) / (SAMPLE - 1)) for i in range(SAMPLE)})


# --- what the workspace holds -----------------------------------------------------------------------


def _final_files(root: Path) -> dict[str, str]:
    """{path: SHA-256} of every record file under its final name (temporary files excluded)."""
    found = {}
    for top in ("records", "register", "documents"):
        for path in sorted((root / top).rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _kind(root: Path, rel: str) -> str:
    """What a record file is, for comparing what a command wrote: an event's type, evidence, a register entry…"""
    parts = rel.split("/")
    if parts[0] == "records" and len(parts) == 5 and parts[3] == "events":
        match = re.search(r'^type: "(\w+)"$', (root / rel).read_text(encoding="utf-8"), re.MULTILINE)
        return f"event {match.group(1) if match else '?'}"
    if parts[0] == "records" and len(parts) == 5:
        return parts[3]  # evidence, documents
    if parts[0] == "register":
        return f"register {parts[-1].split('-')[0]}"  # out, order, withdrawn
    return parts[0]


def _shape(root: Path, paths: set[str]) -> Counter[str]:
    return Counter(_kind(root, p) for p in paths)


def _partial_files(ws: Workspace) -> list[str]:
    """Files under a final name that are not whole: an event or entry that does not load, a broken .docx."""
    found: list[str] = []
    for fy in fiscal_years(ws):
        for folder in run_folders(ws, fy):
            found += [str(p) for p in load_run(ws, folder)[1]]
            for path in folder.evidence.glob("[!.]*"):
                if not hashlib.sha256(path.read_bytes()).hexdigest().startswith(path.name.split("-")[0]):
                    found.append(f"{ws.relative(path)}: not the copy its name says")
    found += [str(p) for p in load_register(ws)[1] if "left over by an interrupted write" not in p.message]
    for path in [*ws.records.rglob("*.docx"), *(ws.root / "documents").rglob("*.docx")]:
        if path.name.startswith("."):
            continue
        try:
            with zipfile.ZipFile(path) as docx:
                bad = docx.testzip()
        except zipfile.BadZipFile:
            bad = "not a zip"
        if bad is not None:
            found.append(f"{ws.relative(path)}: not a whole .docx ({bad})")
    return found


def _number_gaps(ws: Workspace) -> list[str]:
    """Register numbers that are not 1, 2, … n in their series and year (withdrawn numbers count)."""
    numbers: dict[tuple[str, int], list[int]] = {}
    for item in load_register(ws)[0]:
        numbers.setdefault((item.entry.series.value, item.entry.year), []).append(item.entry.number)
    return [
        f"{series} numbers of {year}: {sorted(taken)}"
        for (series, year), taken in numbers.items()
        if sorted(taken) != list(range(1, len(taken) + 1))
    ]


def _pending(ws: Workspace) -> list[Path]:
    """The journal's lists of files of commands that did not finish (in the user's state folder)."""
    return sorted((cache.workspace_state(ws.root) / "pending").glob("*.json"))


# --- the kill loop ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A command to kill, and what its retry may say when the killed command had in fact finished."""

    args: tuple[str, ...]
    done_already: str | None = None  # the retry's refusal when the first one finished (a run exists…)


@dataclass
class Tally:
    """Kill points tried, and what went wrong at each."""

    points: int = 0
    failures: list[str] = field(default_factory=list)


def _kill_at(
    base: Path, work: Path, case: Case, expected: Counter[str], sop: Run, call: str, n: int, sig: str, other: bool
) -> str | None:
    """Kill a copy of `base` at one point, then write again (`other`: another command first) and check.

    Say what went wrong, if anything.
    """
    shutil.copytree(base, work)
    ws = Workspace(work)
    before = _final_files(work)
    where = f"{sig} at {call} #{n}"
    killed = _killed(work, case.args, call, n, sig)
    wanted = SIGKILLED if sig == "SIGKILL" else INTERRUPTED
    problems = []
    begun = {p for p in _final_files(work).keys() - before.keys() if not p.startswith("records/2570/01-")}
    finished = not _pending(ws) and _shape(work, begun) == expected
    # Ctrl-C after the last file was written finds the command done; a kill always stops it.
    if killed.returncode != wanted and not (finished and killed.returncode == 0 and sig == "SIGINT"):
        problems.append(f"exit {killed.returncode}: {killed.stderr.strip()[-300:]}")
    if "Traceback" in killed.stderr:
        problems.append(f"a traceback: {killed.stderr.strip()[-300:]}")
    problems += _partial_files(ws)
    if not _pending(ws) and begun and not finished:
        problems.append(f"nothing left to undo it, and only part of it written: {sorted(begun)}")
    if other:
        next_run = sop("note", "1", "หลังจากคำสั่งที่ถูกหยุด", cwd=work)
        if next_run.code != 0:
            problems.append(f"the next command failed: {next_run.err.strip()}")
        check = sop("check", cwd=work)
        if check.code != 0:
            problems.append(f"check after another command: {check.err.strip()}")
    again = sop(*case.args, cwd=work)
    refused = finished and case.done_already is not None and case.done_already in again.err
    if again.code != 0 and not (refused and again.code == 1):
        problems.append(f"the same command again: exit {again.code}: {again.err.strip()[-300:]}")
    check = sop("check", cwd=work)
    if check.code != 0:
        problems.append(f"check after the same command again: {check.err.strip()}")
    problems += _number_gaps(ws)
    after = _final_files(work)
    problems += [f"{p} of an earlier command is gone or changed" for p, sha in before.items() if after.get(p) != sha]
    made = {p for p in after.keys() - before.keys() if not p.startswith("records/2570/01-")}
    times = (1 if finished else 0) + (0 if refused else 1)
    # The same file attached twice is kept once (its copy is named by its hash).
    wanted_shape = Counter({k: v * (min(times, 1) if k == "evidence" else times) for k, v in expected.items()})
    if _shape(work, made) != wanted_shape:
        problems.append(f"expected {times} × {dict(expected)}, found {dict(_shape(work, made))}")
    shutil.rmtree(work)
    return f"{where}: " + "; ".join(" ".join(p.split()) for p in problems) if problems else None


def kill_everywhere(base: Path, scratch: Path, case: Case, sop: Run) -> Tally:
    """Kill `case` at its points (SIGKILL at each, Ctrl-C at every other one) and tally what went wrong."""
    # One run first on a throwaway copy: the user's caches (such as the Thai word breaks, shared by
    # every workspace) are then written, and the counted run makes the same calls as the killed ones.
    warm = scratch / "warm"
    shutil.copytree(base, warm)
    _sop(warm, case.args)
    shutil.rmtree(warm)
    reference = scratch / "reference"
    shutil.copytree(base, reference)
    before = _final_files(reference)
    made = _calls(reference, case.args, scratch / "trace.txt")
    expected = _shape(reference, _final_files(reference).keys() - before.keys())
    assert expected, f"{case.args} wrote nothing"
    tally = Tally()
    for i, point in enumerate(points(len(made))):
        call, n = made[point - 1]
        for sig in ("SIGKILL", "SIGINT") if i % 2 == 0 else ("SIGKILL",):
            tally.points += 1
            # The next write is another command at even calls, the same command again at odd ones.
            work = scratch / f"{call}-{n}-{sig}"
            failure = _kill_at(base, work, case, expected, sop, call, n, sig, other=point % 2 == 0)
            if failure is not None:
                tally.failures.append(failure)
    return tally


# --- the workspace every kill starts from -----------------------------------------------------------


@pytest.fixture
def base(office: Workspace, sop: Run, tmp_path: Path) -> Path:
    """A workspace with finished work in it: runs of procedures 1, 3 and 8, a memo, an advance with evidence."""
    (tmp_path / "members.csv").write_text(
        "name,position,role\nนายก ข,ศึกษาธิการจังหวัดเชียงราย,ประธานกรรมการ\n", encoding="utf-8"
    )
    (tmp_path / "before.pdf").write_bytes(b"%PDF-1.4 before\n" * 64)
    (tmp_path / "evidence.pdf").write_bytes(b"%PDF-1.4 evidence of the killed command\n" * 64)
    for args in (
        ("start", "1"),
        ("start", "3"),
        ("memo", "3", "--step", "1"),
        ("start", "8"),
        ("advance", "8", "--evidence", str(tmp_path / "before.pdf")),
        ("note", "8", "บันทึกก่อน"),
    ):
        done = sop(*args, cwd=office.root)
        assert done.code == 0, (args, done.err)
    assert sop("check", cwd=office.root).code == 0
    return office.root


def _note_id(root: Path) -> str:
    (note,) = [p for p in root.glob("records/2570/08-*/events/*.yaml") if 'type: "note"' in p.read_text("utf-8")]
    return note.stem.rsplit("-", 1)[-1]


CASES = {
    "start": Case(("start", "5", "--label", "รอบที่ถูกหยุด"), "already has a run labelled"),
    "advance --evidence": Case(("advance", "8", "--step", "2", "--evidence", "../evidence.pdf"), "already"),
    "note --hours --evidence": Case(("note", "8", "ประชุม", "--hours", "2", "--evidence", "../evidence.pdf")),
    "memo": Case(("memo", "3", "--step", "1")),
    "letter to two agencies": Case(("letter", "3", "--step", "8", "--to", "obec", "--to", "ovec")),
    "order --members": Case(("order", "3", "--step", "1", "--members", "../members.csv")),
    "void": Case(("void", "NOTE", "--reason", "บันทึกผิดงาน"), "is already void"),
    "register withdraw": Case(("register", "withdraw", "1", "--reason", "ออกเลขซ้ำ"), "is already withdrawn"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_a_killed_command_leaves_no_broken_step(name: str, base: Path, sop: Run, tmp_path: Path) -> None:
    """Killed or Ctrl-C at counted calls: all or nothing, the retry succeeds, check green, numbers consecutive."""
    case = CASES[name]
    if "NOTE" in case.args:
        case = Case(tuple(_note_id(base) if a == "NOTE" else a for a in case.args), case.done_already)
    # Evidence and members files are named relative to the workspace: each kill works on a copy of
    # it, next to the originals.
    scratch = tmp_path / "kills"
    scratch.mkdir()
    for source in ("members.csv", "evidence.pdf"):
        shutil.copy(tmp_path / source, scratch / source)
    tally = kill_everywhere(base, scratch, case, sop)
    assert tally.points >= 5
    assert tally.failures == [], f"{len(tally.failures)} of {tally.points} kill points failed:\n" + "\n".join(
        tally.failures
    )


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT_S,
    )
    return done.stdout


def test_sync_never_shares_what_a_killed_command_began(base: Path, sop: Run) -> None:
    """A memo killed with its .docx in place and its register entry half written: `sop sync` commits none of it."""
    _git(base, "init", "-q")
    _git(base, "add", "-A")
    _git(base, "commit", "-qm", "before")
    # The memo's first link puts the .docx in place, its second the register entry.
    killed = _killed(base, ("memo", "3", "--step", "1"), "link", 2, "SIGKILL")
    assert killed.returncode == SIGKILLED
    assert _git(base, "status", "--porcelain", "--untracked-files=all", "records", "register") != ""
    synced = sop("sync", cwd=base)
    assert synced.code == 0, synced.err
    assert _git(base, "status", "--porcelain", "--untracked-files=all", "records", "register") == ""
    assert _git(base, "log", "--format=%s").splitlines() == ["before"]  # nothing of the memo to commit
    assert sop("check", cwd=base).code == 0
    again = sop("memo", "3", "--step", "1", cwd=base)
    assert again.code == 0 and "ศธ ๐๒๘๘/๒" in again.out
    assert _number_gaps(Workspace(base)) == []


# --- check while others write -----------------------------------------------------------------------


@pytest.mark.slow
def test_check_never_reports_work_in_flight(office: Workspace, sop: Run, tmp_path: Path) -> None:
    """`sop check`, run again and again while three processes write documents and evidence, is green every time."""
    members = tmp_path / "members.csv"
    members.write_text("name,position,role\nนายก ข,ศึกษาธิการจังหวัดเชียงราย,ประธานกรรมการ\n", encoding="utf-8")
    evidence = tmp_path / "minutes.pdf"
    # A big file: its copy, and the window in which a check could see it half done, take a while.
    evidence.write_bytes(b"%PDF-1.4 minutes\n" * (2 << 20))
    for args in (("start", "3"), ("start", "4"), ("start", "2")):
        assert sop(*args, cwd=office.root).code == 0
    loops = [
        [("memo", "3", "--step", "1"), ("order", "3", "--step", "1", "--members", str(members))],
        [("note", "4", "ระหว่างตรวจ", "--evidence", str(evidence))],
        [("note", "2", "ชั่วโมง", "--hours", "1", "--evidence", str(evidence)), ("start", "5", "--label", "R{i}")],
    ]
    failed: list[str] = []

    def write(commands: list[tuple[str, ...]]) -> None:
        for i in range(4):
            for args in commands:
                done = _sop(office.root, tuple(a.format(i=i) for a in args))
                if done.returncode != 0:
                    failed.append(f"{args}: {done.stderr.strip()}")

    writers = [threading.Thread(target=write, args=(commands,)) for commands in loops]
    for writer in writers:
        writer.start()
    checks = []
    deadline = time.monotonic() + 120
    while any(w.is_alive() for w in writers) and time.monotonic() < deadline:
        checks.append(_sop(office.root, ("check",)))
    for writer in writers:
        writer.join(timeout=TIMEOUT_S)
    assert failed == []
    assert len(checks) >= 5
    false_alarms = [c.stderr.strip() for c in checks if c.returncode != 0]
    assert false_alarms == [], f"{len(false_alarms)} of {len(checks)} checks failed"
    assert sop("check", cwd=office.root).code == 0
