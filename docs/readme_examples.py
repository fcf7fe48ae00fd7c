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
that a second run prints the same ids. `--check` compares the text exactly, except SHA-256 values
(documents and zips carry the time they were written).
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


# SHA-256 values (whole, or the 12 or 16 first digits sop prints): a .docx or a zip carries the
# moment it was written, so its hash differs from run to run; the rest of the output must not.
HASH = re.compile(r"\b[0-9a-f]{12,64}\b")
MARKER_NAMES = re.compile(r"^<!-- example: ([\w-]+)", re.MULTILINE)


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

    def env(self, columns: int, lang: str, user: str) -> dict[str, str]:
        """The environment of one command: fixed clock, user, width, language and folders."""
        moment = START + dt.timedelta(minutes=self.count)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SOP_", "GIT_"))}
        if user:
            env["SOP_USER"] = user  # else the copy's `git config sop.user`, as `sop join` set it
        env.update(
            SOP_NOW=moment.isoformat(timespec="minutes"),
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
        code: int | None = 0,
        head: int | None = None,
        tail: int | None = None,
        user: str = "nanthana",
    ) -> str:
        """Run one `$ …` line (sop or git), check its exit status, and add it to its block."""
        self.count += 1
        argv = shlex.split(command)
        if argv[0] == "sop":
            argv = [sys.executable, "-c", DRIVER, f"readme-{self.count}", *argv[1:]]
        done = subprocess.run(
            argv,
            cwd=cwd or self.office,
            env=self.env(columns, lang, user),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            check=False,
        )
        if code is not None and done.returncode != code:
            raise SystemExit(f"`{command}` exited {done.returncode} (expected {code}):\n{done.stdout}")
        lines = [line.rstrip() for line in done.stdout.replace(str(self.tmp), SHOWN_TMP).splitlines()]
        if head is not None and len(lines) > head:
            lines = [*lines[:head], "…"]
        if tail is not None and len(lines) > tail:
            lines = ["…", *lines[-tail:]]
        if block is not None:
            self.blocks.setdefault(block, []).extend([f"$ {command}", *lines])
        return done.stdout

    def quiet(self, command: str, *, cwd: Path | None = None, user: str = "nanthana") -> str:
        """Run a command that no block shows (the scenario's set-up)."""
        return self.run(None, command, cwd=cwd, user=user)


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
    s.quiet("sop advance 2 --step 9")

    write(office / "ข้อสั่งการผู้ตรวจ.pdf", "%PDF-1.4 ข้อสั่งการของผู้ตรวจราชการ\n")
    s.run(
        "receive-3",
        'sop receive 3 ข้อสั่งการผู้ตรวจ.pdf --from "ผู้ตรวจราชการกระทรวงศึกษาธิการ เขตตรวจราชการที่ ๑๖"'
        ' --their-number "ศธ 0206/ว 45" --their-date 2569-11-20'
        ' --subject "ข้อสั่งการของผู้ตรวจราชการ ประจำปีงบประมาณ พ.ศ. 2570" --start',
    )
    s.run("note-3", 'sop note 3 "สถานศึกษาบางแห่งส่งข้อมูลล่าช้า" --kind problem')
    s.quiet("sop start 1")
    s.run("due", "sop schedule 1 --event inspection_visit --date 2570-02-15")
    s.run("due", "sop due --within 50")
    s.run("assign-3", 'sop assign 3 saowalak thidarat --note "แบ่งงานตามคำสั่ง"')

    s.run("documents", "sop memo 3 --step 1 --pdf")
    six = ("cr_pesa1", "cr_pesa2", "cr_pesa3", "cr_pesa4", "cr_sesa", "cr_vocational")
    agencies = " ".join(f"--to {agency}" for agency in six)
    s.run("documents", f"sop letter 3 --step 8 {agencies} --circular", head=9)
    s.run(
        "documents",
        'sop memo 3 --correct "ศธ ๐๒๘๘/๑" --reason "แก้ชื่อเรื่องให้ตรงกับคำสั่ง"'
        ' --subject "ขออนุมัติแต่งตั้งคณะกรรมการกำกับ ติดตาม ประจำปีงบประมาณ พ.ศ. 2570"',
        head=4,
    )
    write(office / "members.yaml", MEMBERS)
    s.run("documents-en", "sop memo 3 --step 1 --lang en")
    s.run("documents-en", "sop order 3 --step 1 --members members.yaml --lang en")
    s.run(
        "documents-en",
        'sop letter 3 --step 8 --to obec --to ovec --enclosure "สรุปรายงานผลการดำเนินงาน จำนวน 1 ฉบับ" --lang en',
        head=6,
    )
    s.run("documents-en", "sop letter 3 --step 8 --to obec --to others --lang en", code=1)
    s.run("register", "sop register")

    s.run("status", "sop status", columns=80)
    s.run("status-2", "sop status 2", columns=100)
    s.run("log-2", "sop log 2", columns=80)
    s.run("todo", "sop todo")
    s.run("leave", "sop leave saowalak --from 2569-12-01 --to 2569-12-04 --substitute warunee --reason ลาพักผ่อน")
    s.run("plan", "sop plan")
    s.run("remind", "sop remind --send")
    s.run("report", "sop report --period half")
    s.run("report", "sop report --period half", code=1)

    keys = s.tmp / "keys"
    keys.mkdir()
    s.quiet(f"ssh-keygen -q -t ed25519 -N '' -C director@cripeo -f {keys / 'office'}")
    public = (keys / "office.pub").read_text(encoding="utf-8").split()
    write(keys / "allowed_signers", f'director@cripeo namespaces="sop-dossier" {public[0]} {public[1]}\n')
    s.run("dossier", "sop dossier --out ../dossier-2570 --zip --ssh-key ../keys/office")
    s.run("dossier", "sop dossier verify ../dossier-2570 --allowed-signers ../keys/allowed_signers")
    dossier = s.tmp / "dossier-2570"
    (dossier / "README.txt").unlink()
    with (dossier / "index.csv").open("a", encoding="utf-8") as index:
        index.write("x\n")
    write(dossier / "notes.txt", "ของเพิ่ม\n")
    (dossier / "zero.pdf").symlink_to("/dev/zero")
    s.run("dossier", "sop dossier verify ../dossier-2570", code=1)

    (s.tmp / "shared").mkdir()
    s.run("export", "sop export --format xlsx")
    s.run("export", "sop export --format csv")
    s.run("export", "sop export --format html --out ../shared")
    s.run("export", "sop export --format html --out ../shared", code=1)
    s.run("questions", "sop questions")
    s.run("check", "sop check")
    s.run("advance-typo", "sop advance 2 --hour 3", code=2)
    s.run("advance-typo", "sop status -h")
    broken(s)
    sharing(s)


def sharing(s: Scenario) -> None:
    """The office's server (a bare repository here), nanthana's and saowalak's copies, sync and claims."""
    server, away = s.tmp / "server", s.tmp / "server-unreachable"
    for folder in (server, s.tmp / "nanthana", s.tmp / "saowalak"):
        folder.mkdir()
    mine, hers = s.tmp / "nanthana" / "office", s.tmp / "saowalak" / "office"
    s.run("init", "sop init office --user nanthana --server ../server/office.git", cwd=s.tmp / "nanthana")
    s.quiet("sop start 1", cwd=mine)
    s.quiet("sop sync", cwd=mine)
    event = next((mine / "records").glob("2570/01-*/events/*.yaml"))
    event.write_text(event.read_text(encoding="utf-8") + "# แก้ด้วยมือ\n", encoding="utf-8")
    s.quiet('git commit -q -a -m "แก้บันทึก"', cwd=mine)
    s.run("push-refused", "git push", cwd=mine, code=1)
    s.quiet("git reset -q --hard origin/main", cwd=mine)
    s.run("join", "sop join ../server/office.git --user saowalak", cwd=s.tmp / "saowalak", user="")
    s.quiet('sop note 1 "นัดประชุมคณะกรรมการแล้ว"', cwd=hers, user="")
    s.quiet("sop sync", cwd=hers, user="")
    s.quiet('sop note 1 "ร่างคำสั่งแต่งตั้งแล้ว" --hours 2', cwd=mine)
    s.quiet("sop advance 1", cwd=mine)
    s.run("sync", "sop status", cwd=mine, tail=1, columns=80)
    s.run("sync", "sop sync", cwd=mine)
    s.run("sync", "sop sync", cwd=mine)
    server.rename(away)
    s.quiet('sop note 1 "โทรประสาน สพป. แล้ว"', cwd=mine)
    s.run("sync-offline", "sop sync", cwd=mine, code=None)
    away.rename(server)
    s.quiet("sop sync", cwd=mine)
    s.quiet("sop start 3 --label สพป", cwd=mine)
    s.quiet("sop sync", cwd=mine)
    s.quiet("sop sync", cwd=hers, user="")
    s.quiet("sop memo 3 --step 1 --run สพป", cwd=mine)
    s.run("claim", "sop memo 3 --step 1 --run สพป", cwd=hers, user="")
    server.rename(away)
    s.run("claim-offline", "sop memo 3 --step 1 --run สพป", cwd=hers, user="", code=1)
    away.rename(server)


def broken(s: Scenario) -> None:
    """`sop check` on a copy whose procedure 2 has a misspelt key and a word for a number."""
    copy = s.tmp / "broken"
    for name in ("sops", "calendar"):
        shutil.copytree(s.office / name, copy / name)
    shutil.copy2(s.office / "sop.toml", copy / "sop.toml")
    path = copy / "sops" / "02-inspection-information-and-plan.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^(  )(page:)", r"\1pages: ๙/๗๘\n\1\2", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"(^\s+hours: )\d+", r"\1หกสิบ", text, count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    s.run("check-problems", "sop check", cwd=copy, code=1)


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
        if HASH.sub("<sha256>", body) == HASH.sub("<sha256>", match["body"]):
            return match[0]  # only hashes differ: the README keeps the ones it printed
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
    missing = sorted(set(scenario.blocks) - set(MARKER_NAMES.findall(text)))
    if missing:
        print(f"the scenario makes blocks the README does not mark: {', '.join(missing)}", file=sys.stderr)
        return 1
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
