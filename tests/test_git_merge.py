"""Two clones of one office repository record work (each command commits), then merge by hand with git:
no conflict, contradictions flagged."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_SOPS

GIT_ENV = {
    "GIT_AUTHOR_NAME": "ศน. ทดสอบ",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "ศน. ทดสอบ",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def git(cwd: Path, *args: str) -> str:
    """Run git and return its output; fail the test on a non-zero exit."""
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def sop(cwd: Path, user: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real `sop` in a clone as `user`."""
    env = {**os.environ, "SOP_USER": user, "NO_COLOR": "1", "COLUMNS": "200", "SOP_LANG": "en"}
    env.pop("SOP_ROOT", None)
    env.pop("SOP_NOW", None)
    done = subprocess.run([sys.executable, "-m", "sop_cli", *args], cwd=cwd, capture_output=True, text=True, env=env)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def event_id(clone: Path, text: str) -> str:
    """Id of the newest event whose summary contains `text` (from `sop log --format json`)."""
    import json

    entries = json.loads(sop(clone, "nanthana", "log", "--format", "json").stdout)
    return next(e["event"] for e in entries if text in e["summary"])


@pytest.mark.slow
def test_two_clones_merge_without_conflict_and_check_flags_contradictions(tmp_path: Path) -> None:
    """Same and different runs advanced in two clones merge cleanly; `sop check` flags exactly the
    contradictions (a step done twice, a decision approved and rejected); after `sop void` it passes."""
    origin = tmp_path / "origin"
    origin.mkdir()
    shutil.copytree(SHIPPED_SOPS, origin / "sops")
    (origin / ".gitignore").write_text(".sop-cache/\n.sop/\n", encoding="utf-8")
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "office workspace")
    a, b = tmp_path / "a", tmp_path / "b"
    git(tmp_path, "clone", "-q", str(origin), str(a))
    git(tmp_path, "clone", "-q", str(origin), str(b))
    git(origin, "config", "receive.denyCurrentBranch", "ignore")

    # A starts procedure 1 and does steps 1-5; B pulls that.
    sop(a, "nanthana", "start", "1")
    for step in range(1, 6):
        sop(a, "nanthana", "advance", "1", "--step", str(step))
    sop(a, "nanthana", "start", "2")
    assert git(a, "status", "--porcelain") == ""  # each command committed its own files
    git(a, "push", "-q", "origin", "main")
    git(b, "pull", "-q", "--no-rebase", "origin", "main")

    # Both decide step 6 of procedure 1 differently; both do step 1 of procedure 2; B starts 3.
    sop(a, "nanthana", "advance", "1", "--step", "6", "--reject", "--reason", "ประเด็นยังไม่ครอบคลุม")
    sop(b, "saowalak", "advance", "1", "--approve")
    sop(a, "nanthana", "advance", "2", "--note", "ฉบับ A")
    sop(b, "saowalak", "advance", "2", "--note", "ฉบับ B")
    sop(b, "saowalak", "start", "3")
    sop(b, "saowalak", "advance", "3")
    git(a, "push", "-q", "origin", "main")
    merge = subprocess.run(
        ["git", "pull", "--no-rebase", "origin", "main"],
        cwd=b,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
    )
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert "CONFLICT" not in merge.stdout + merge.stderr
    assert git(b, "status", "--porcelain") == ""

    check = sop(b, "saowalak", "check", ok=False)
    assert check.returncode == 1
    problems = [line for line in check.stderr.splitlines() if ": contradiction: " in line]
    assert len(problems) == 2, check.stderr
    assert check.stderr.strip().endswith("2 problems found")
    assert any("both close step 6" in p and "decision" in p for p in problems)
    done_by = re.compile(r"\(step done by [^)]*, \d+ \S+ 25\d\d \d\d:\d\d\)")  # a Buddhist Era time
    assert any("both close step 1" in p and done_by.search(p) for p in problems)
    for problem in problems:
        assert "นันทนา จันทร์ฝั้น" in problem and "เสาวลักษณ์ นันไชยบัว" in problem

    # The office agrees: A's rejection stands, B's approval does not count; B's note on 2 does not count.
    sop(b, "saowalak", "void", event_id(b, "step 6 approved"), "--reason", "ที่ประชุมไม่เห็นชอบ ตามบันทึกของ A")
    sop(b, "saowalak", "void", event_id(b, "ฉบับ B"), "--reason", "บันทึกซ้ำกับ A")
    final = sop(b, "saowalak", "check")
    assert final.stdout.startswith("ok: 14 procedures")
    status = sop(b, "saowalak", "status", "1", "--lang", "th").stdout
    assert "รอบที่ 2" in status and "ไม่เห็นชอบ" in status
