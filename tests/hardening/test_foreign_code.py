"""Code that other packages install on the machine does not run inside sop."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_cli.workspace import Workspace
from tests.hardening.conftest import RunSop


def test_a_pydantic_plugin_installed_on_the_machine_never_runs(
    office: Workspace, run_sop: RunSop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package registering a pydantic plugin (an entry point any pip package may declare) is not
    loaded while sop validates records: its code would see every record and could change them."""
    site = tmp_path / "site"
    site.mkdir()
    ran = tmp_path / "plugin-ran.txt"
    (site / "spy_plugin.py").write_text(
        f"import pathlib\npathlib.Path({str(ran)!r}).write_text('loaded', encoding='utf-8')\n"
        "class Spy:\n    def new_schema_validator(self, *args, **kwargs):\n        return None, None, None\n"
        "plugin = Spy()\n",
        encoding="utf-8",
    )
    dist = site / "spy_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(site))
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)

    for args in (["start", "2"], ["advance", "2", "--note", "ศึกษาแล้ว"], ["check"]):
        done = run_sop(*args)
        assert done.returncode == 0, done.stderr
    assert not ran.exists()
