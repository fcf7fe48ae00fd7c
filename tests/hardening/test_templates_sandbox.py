"""A template committed to the shared repository can only format the values it is given: it runs no code."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_cli.workspace import Workspace
from tests.conftest import files_under
from tests.hardening.conftest import RunSop

PAYLOADS = [
    '{{ cycler.__init__.__globals__.os.popen("touch {flag}").read() }}',
    "{{ joiner.__init__.__globals__.__builtins__.open('{flag}', 'w').write('x') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{% set x = [] %}{{ x.append(1) }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_template_that_reaches_into_python_is_refused(
    office: Workspace, run_sop: RunSop, tmp_path: Path, payload: str, dry_run: bool
) -> None:
    """`{{ cycler.__init__.__globals__ }}`-style payloads: one placed message, exit 1, nothing run or written."""
    flag = tmp_path / "ran"
    (office.root / "templates").mkdir()
    code = payload.replace("{flag}", str(flag))
    template = f"เรื่อง ทดสอบ {code}\nเรียน ผู้อำนวยการ\n\nย่อหน้า\n"
    (office.root / "templates" / "memo-04-01.txt.j2").write_text(template, encoding="utf-8")
    before = files_under(office.root)
    result = run_sop("memo", "4", "--no-run", "--step", "1", *(["--dry-run"] if dry_run else []))
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("error: templates/memo-04-01.txt.j2:1: ")
    assert "is unsafe" in result.stderr or "a template may only use the values it is given" in result.stderr
    assert not flag.exists()
    assert files_under(office.root) == before


def test_an_ordinary_template_still_renders(office: Workspace, run_sop: RunSop) -> None:
    """Filters, loops and conditions on the values given keep working in the sandbox."""
    (office.root / "templates").mkdir()
    (office.root / "templates" / "memo-04-01.txt.j2").write_text(
        "เรื่อง {{ subject_default | default('ทดสอบ') }} ปี {{ fy }}\nเรียน {{ addressee }}\n\n"
        "{% for n in range(2) %}ข้อ {{ n + 1 }} {% endfor %}{% if step %}ขั้นตอน {{ step }}{% endif %}\n",
        encoding="utf-8",
    )
    result = run_sop("memo", "4", "--no-run", "--step", "1", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "ข้อ ๑ ข้อ ๒" in result.stdout and "wording from templates/memo-04-01.txt.j2" in result.stdout
