"""The README's `$ sop …` examples are what sop prints: docs/readme_examples.py --check reruns them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SCRIPT = PROJECT / "docs" / "readme_examples.py"


def _missing() -> str | None:
    """What the scenario needs and this machine lacks: git, ssh-keygen, LibreOffice, symbolic links."""
    from sop_cli.rendering.pdf import find_libreoffice

    for tool in ("git", "ssh-keygen"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if find_libreoffice() is None:
        return "LibreOffice is not installed"
    if sys.platform == "win32":
        return "the scenario makes symbolic links, which Windows allows only to administrators"
    return None


MISSING = _missing()
if MISSING and os.environ.get("CI") == "true":
    raise RuntimeError(f"CI must check the README's examples: {MISSING} (see .ci/install-tools)")


@pytest.mark.slow
@pytest.mark.skipif(MISSING is not None, reason=MISSING or "")
def test_readme_examples_are_real_output(tmp_path: Path) -> None:
    """Every marked README block equals the output of the scenario it shows, and nothing is written."""
    before = (PROJECT / "README.md").read_bytes()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert (PROJECT / "README.md").read_bytes() == before


def test_readme_check_names_the_block_that_differs(tmp_path: Path) -> None:
    """A block whose text is not the command's output is named by the check, and the README is left alone."""
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import readme_examples
    finally:
        sys.path.remove(str(SCRIPT.parent))
    text = "<!-- example: log-2 -->\n```text\n$ sop log 2\nstep 8 approved\n```\n"
    new, changed, unknown = readme_examples.fill(text, {"log-2": ["$ sop log 2", "ขั้นตอนที่ 9 เสร็จ"]})
    assert changed == ["log-2"]
    assert unknown == []
    assert "ขั้นตอนที่ 9 เสร็จ" in new
    assert "step 8 approved" not in new
    kept = readme_examples.cut([f"line {n}" for n in range(1, 11)], " head=2 tail=1")
    assert kept == ["line 1", "line 2", "…", "line 10"]
