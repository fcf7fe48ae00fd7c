"""Regenerate the README's `$ sop …` examples from a real run of the scenario the README tells.

Usage (from the repository's root, with the project's virtual environment):

    .venv/bin/python docs/readme_examples.py           # rewrite the marked blocks of README.md
    .venv/bin/python docs/readme_examples.py --check   # compare only; exit 1 naming the blocks that differ

A block is marked by an HTML comment on the line before its ```text fence:

    <!-- example: log-2 -->                 the whole output of the block's commands
    <!-- example: status head=14 -->        its first 14 lines, then a line "…"
    <!-- example: list head=8 tail=3 -->    the first 8 and the last 3 lines, "…" between
    <!-- example: show-2 lines=1-7,20-31 -->  those lines (1 is the first `$` line), "…" at each cut

The scenario runs in a temporary folder: a workspace copied from this repository's `sops/`,
`calendar/`, `sop.toml` and `templates/`, a fixed clock (`SOP_NOW`, one minute further for each
command), `SOP_USER=nanthana`, `NO_COLOR=1`, its own cache, state and git configuration. Run ids,
event ids and document names are random in sop; here each command draws them from a generator
seeded with the command's place in the scenario (in this script's process only, never in sop), so
that a second run prints the same ids and `--check` compares the text exactly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START = dt.datetime(2026, 11, 25, 9, 0)  # a Wednesday of FY 2570
SHOWN_TMP = "/tmp/sop"  # the scratch folder as the README prints it

# Runs sop's own entry point with the id generator seeded: the seed is the first argument.
DRIVER = (
    "import random, secrets, sys\n"
    "secrets.choice = random.Random(sys.argv.pop(1)).choice\n"
    "sys.argv[0] = 'sop'\n"
    "from sop_cli.cli import main\n"
    "sys.exit(main())\n"
)

MARKER = re.compile(
    r"^<!-- example: (?P<name>[\w-]+)(?P<options>[^>]*?) -->\n```text\n(?P<body>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)


@dataclass
class Scenario:
    """The scratch folders, the clock and what each block printed."""

    tmp: Path
    blocks: dict[str, list[str]] = field(default_factory=dict)
    count: int = 0

    @property
    def office(self) -> Path:
        """The workspace of the tour."""
        return self.tmp / "office"

    def env(self, columns: int, lang: str) -> dict[str, str]:
        """The environment of one command: fixed clock, user, width, language and folders."""
        moment = START + dt.timedelta(minutes=self.count)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SOP_", "GIT_"))}
        env.update(
            SOP_NOW=moment.isoformat(timespec="minutes"),
            SOP_USER="nanthana",
            SOP_LANG=lang,
            SOP_CACHE_DIR=str(self.tmp / "user" / "cache"),
            SOP_STATE_DIR=str(self.tmp / "user" / "state"),
            COLUMNS=str(columns),
            NO_COLOR="1",
            TERM="dumb",
            GIT_CONFIG_GLOBAL=str(self.tmp / "user" / "gitconfig"),
            GIT_CONFIG_NOSYSTEM="1",
            GIT_AUTHOR_DATE=f"{moment.isoformat()}+07:00",
            GIT_COMMITTER_DATE=f"{moment.isoformat()}+07:00",
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        )
        return env

    def run(
        self,
        block: str | None,
        command: str,
        *,
        cwd: Path | None = None,
        columns: int = 100,
        lang: str = "th",
        code: int = 0,
        head: int | None = None,
    ) -> str:
        """Run one `$ …` line (sop or git), check its exit status, and add it to its block."""
        self.count += 1
        argv = shlex.split(command)
        if argv[0] == "sop":
            argv = [sys.executable, "-c", DRIVER, f"readme-{self.count}", *argv[1:]]
        done = subprocess.run(
            argv,
            cwd=cwd or self.office,
            env=self.env(columns, lang),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            check=False,
        )
        if done.returncode != code:
            raise SystemExit(f"`{command}` exited {done.returncode} (expected {code}):\n{done.stdout}")
        lines = [line.rstrip() for line in done.stdout.replace(str(self.tmp), SHOWN_TMP).splitlines()]
        if head is not None and len(lines) > head:
            lines = [*lines[:head], "…"]
        if block is not None:
            self.blocks.setdefault(block, []).extend([f"$ {command}", *lines])
        return done.stdout

    def quiet(self, command: str, *, cwd: Path | None = None) -> str:
        """Run a command that no block shows (the scenario's set-up)."""
        return self.run(None, command, cwd=cwd)


def build_office(tmp: Path) -> Path:
    """Copy the repository's definitions into a fresh git workspace."""
    office = tmp / "office"
    office.mkdir()
    for name in ("sops", "calendar", "templates"):
        shutil.copytree(ROOT / name, office / name)
    shutil.copy2(ROOT / "sop.toml", office / "sop.toml")
    (office / "records").mkdir()
    user = tmp / "user"
    user.mkdir()
    (user / "gitconfig").write_text(
        "[user]\n\tname = sop readme\n\temail = readme@example.invalid\n[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    return office


def write(path: Path, text: str) -> Path:
    """Write a small input file of the scenario."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MEMBERS = """\
members:
  - {name: นายสมชาย ใจดี, position: ศึกษาธิการจังหวัดเชียงราย, role: ประธานกรรมการ, duties: อำนวยการ}
  - {name: นางนันทนา จันทร์ฝั้น, position: ศึกษานิเทศก์ชำนาญการพิเศษ, role: กรรมการ, duties: ติดตามและประเมินผล}
  - {name: นางสาวเสาวลักษณ์ นันไชยบัว, position: ศึกษานิเทศก์ชำนาญการ, role: กรรมการและเลขานุการ, duties: สรุปรายงาน}
"""


def tour(s: Scenario) -> None:
    """The tour of the commands, in the README's order where one command needs another's records."""
    office = s.office
    s.quiet("git init -q")
    s.run("list", "sop list")
    s.run("show-2", "sop show 2")
    s.run("start-2", "git config sop.user nanthana")
    s.run("start-2", "sop start 2")
    write(office / "minutes-2569-11-20.pdf", "%PDF-1.4 minutes of the meeting, 20 Nov 2569\n")
    s.run("advance-2", 'sop advance 2 --note "ศึกษาบทบาทและตัวชี้วัดแล้ว" --hours 6')
    s.run(
        "advance-2",
        "sop advance 2 --step 2 --evidence minutes-2569-11-20.pdf --evidence https://drive.google.com/drive/folders/abc",
    )
    for step in range(3, 8):
        s.quiet(f"sop advance 2 --step {step}")
    s.run("reject-2", 'sop advance 2 --reject --reason "กศจ. ให้ปรับตัวชี้วัดให้ตรงบริบทจังหวัด"')
    s.run("reject-2", 'sop advance 2 --step 7 --note "ปรับแผนตามข้อเสนอแนะ"')


def fill(text: str, blocks: dict[str, list[str]]) -> tuple[str, list[str], list[str]]:
    """The README with every marked block replaced; the blocks that changed; the unknown markers."""
    changed: list[str] = []
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in blocks:
            unknown.append(name)
            return match[0]
        body = "\n".join(cut(blocks[name], match["options"])) + "\n"
        if body != match["body"]:
            changed.append(name)
        return match[0][: match.start("body") - match.start()] + body + "```"

    return MARKER.sub(replace, text), changed, unknown


def cut(lines: list[str], options: str) -> list[str]:
    """The lines a marker's options keep (head=N, tail=N, lines=A-B,C-), with "…" at each cut."""
    settings = dict(option.split("=", 1) for option in options.split())
    keep: list[tuple[int, int]] = []
    if "lines" in settings:
        for part in settings["lines"].split(","):
            first, _, last = part.partition("-")
            keep.append((int(first), int(last) if last else len(lines)))
    if "head" in settings:
        keep.append((1, int(settings["head"])))
    if "tail" in settings:
        keep.append((len(lines) - int(settings["tail"]) + 1, len(lines)))
    if not keep:
        return lines
    out: list[str] = []
    shown = 0
    for first, last in keep:
        if first > shown + 1:
            out.append("…")
        out.extend(lines[first - 1 : last])
        shown = max(shown, last)
    if shown < len(lines):
        out.append("…")
    return out


@contextmanager
def scratch() -> Iterator[Path]:
    """A temporary folder removed afterwards, also when the scenario fails."""
    folder = Path(tempfile.mkdtemp(prefix="sop-readme-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    """Run the scenario, then rewrite or check the README's marked blocks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only, write nothing; exit 1 if a block differs")
    args = parser.parse_args()
    with scratch() as tmp:
        build_office(tmp)
        scenario = Scenario(tmp)
        tour(scenario)
        text = README.read_text(encoding="utf-8")
        new, changed, unknown = fill(text, scenario.blocks)
    if unknown:
        print(f"README marks blocks the scenario does not produce: {', '.join(unknown)}", file=sys.stderr)
        return 1
    if args.check:
        if changed:
            print(f"README examples differ from sop's output: {', '.join(changed)}", file=sys.stderr)
            print("run: .venv/bin/python docs/readme_examples.py", file=sys.stderr)
            return 1
        print("README examples match sop's output")
        return 0
    if new != text:
        README.write_text(new, encoding="utf-8")
    print(f"README: {len(changed)} blocks rewritten" + (f" ({', '.join(changed)})" if changed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
