"""A seeded simulation of the office: ten people work, go offline, sync in random order until all is quiet.

Each person starts and advances a procedure of their own (two people completing the same step is a
contradiction the office settles with `sop void`, not a sharing problem) and adds notes to anyone's.
At the end every copy has the same tree, `sop check` passes, every event anyone wrote is present,
and git is left in no merge, rebase or rescue. A bigger run is a benchmark:

    SOP_SIMULATION_PEOPLE=14 SOP_SIMULATION_STEPS=400 .venv/bin/python -m pytest tests/sharing/test_simulation.py

To add an operation (memo, void …), write `op_NAME(sim, person)` and add one line to OPERATIONS.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from sop_cli.actions.check import check_workspace
from sop_cli.workspace import Workspace
from tests.conftest import SHIPPED_SOPS
from tests.sharing.conftest import Office, event_files, git, git_busy, head, sop_in, tree_files

SEED = int(os.environ.get("SOP_SIMULATION_SEED", "2570"))
PEOPLE = int(os.environ.get("SOP_SIMULATION_PEOPLE", "10"))
STEPS = int(os.environ.get("SOP_SIMULATION_STEPS", "70"))
STAFF = [m["id"] for m in YAML(typ="safe").load((SHIPPED_SOPS / "staff.yaml").read_text(encoding="utf-8"))["staff"]]


@dataclass
class Person:
    """One supervisor: their copy, the procedure they run, whether they are online, what they wrote."""

    user: str
    clone: Path
    procedure: int
    url: str
    online: bool = True
    written: set[str] = field(default_factory=set)


@dataclass
class Simulation:
    """The office, its people and the random choices."""

    office: Office
    people: list[Person]
    rng: random.Random
    offline_syncs: int = 0  # syncs made while the server was out of reach
    received: int = 0  # syncs that brought in someone else's work

    def sop(self, person: Person, *args: str) -> tuple[int, str]:
        """Run `sop` as `person` in their copy; remember the event files it wrote."""
        before = event_files(person.clone)
        ran = sop_in(person.clone, person.user, *args)
        person.written |= event_files(person.clone) - before
        return ran.code, ran.out + ran.err

    def started(self, person: Person) -> list[int]:
        """The procedures with a run in this person's copy."""
        return sorted({int(p.name[:2]) for p in (person.clone / "records").glob("*/*") if p.is_dir()})


def op_start(sim: Simulation, person: Person) -> None:
    """Start the person's own procedure, once."""
    if person.procedure not in sim.started(person):
        code, said = sim.sop(person, "start", str(person.procedure))
        assert code == 0, said


def op_advance(sim: Simulation, person: Person) -> None:
    """Complete the next step of the person's own procedure (approving a decision), until it is finished."""
    if person.procedure not in sim.started(person):
        return
    args = ["advance", str(person.procedure), "--note", f"ทำโดย {person.user}"]
    code, said = sim.sop(person, *args)
    named = re.search(r"--step (\d+)", said) if code != 0 and "moments ago" in said else None
    if named:  # a second advance within a minute must name its step, as the message says
        args += ["--step", named.group(1)]
        code, said = sim.sop(person, *args)
    if code != 0 and "is a decision" in said:
        code, said = sim.sop(person, *args, "--approve")
    assert code == 0 or "is finished" in said, said


def op_note(sim: Simulation, person: Person) -> None:
    """Add a note to any procedure this copy has a run of."""
    visible = sim.started(person)
    if visible:
        number = sim.rng.choice(visible)
        code, said = sim.sop(person, "note", str(number), f"บันทึกของ {person.user}", "--hours", "1")
        assert code == 0 or "is finished" in said, said


def op_memo(sim: Simulation, person: Person) -> None:
    """Issue a memo of the person's own procedure: the number is claimed on the server; offline it is refused."""
    op_start(sim, person)
    code, said = sim.sop(person, "memo", str(person.procedure), "--step", "1")
    refused_offline = not person.online and "the office's server cannot be reached" in said
    assert code == 0 or refused_offline or "is finished" in said, said


def op_void(sim: Simulation, person: Person) -> None:
    """Say that one of the person's own notes does not count (`sop void`), once per note."""
    yaml = YAML(typ="safe")
    voided, notes = set(), []
    for rel in sorted(person.written):
        event = yaml.load((person.clone / rel).read_text(encoding="utf-8"))
        if event["type"] == "voided":
            voided.add(event["target"])
        elif event["type"] == "note":
            notes.append(event["id"])
    left = [n for n in notes if n not in voided]
    if not left:  # none yet: a note written by mistake, then voided
        op_start(sim, person)
        before = set(person.written)
        code, said = sim.sop(person, "note", str(person.procedure), f"บันทึกผิดงาน ({person.user})")
        assert code == 0 or "is finished" in said, said
        left = [yaml.load((person.clone / rel).read_text(encoding="utf-8"))["id"] for rel in person.written - before]
    if left:
        code, said = sim.sop(person, "void", sim.rng.choice(left), "--reason", f"บันทึกซ้ำ ({person.user})")
        assert code == 0, said


def op_sync(sim: Simulation, person: Person) -> None:
    """Share with the office (offline, it commits and says what waits)."""
    code, said = sim.sop(person, "sync")
    assert code == 0, said
    assert ("not sent yet" in said or "cannot be reached" in said) != person.online, said
    sim.offline_syncs += not person.online
    sim.received += "received" in said


def op_offline(sim: Simulation, person: Person) -> None:
    """Go offline, or come back online (the server's address stops, or starts, leading anywhere)."""
    person.online = not person.online
    url = person.url if person.online else str(sim.office.root / "unreachable" / "office.git")
    git(person.clone, "remote", "set-url", "origin", url)


# name: (weight, operation). One line per operation.
OPERATIONS: dict[str, tuple[int, Callable[[Simulation, Person], None]]] = {
    "start": (2, op_start),
    "advance": (4, op_advance),
    "note": (3, op_note),
    "memo": (2, op_memo),
    "void": (1, op_void),
    "sync": (3, op_sync),
    "offline": (1, op_offline),
}


def settle(sim: Simulation) -> int:
    """Everyone back online, syncing in random order until a whole round changes nothing; return the rounds."""
    for person in sim.people:
        if not person.online:
            op_offline(sim, person)
    for rounds in range(1, 10):
        quiet = True
        for person in sim.rng.sample(sim.people, len(sim.people)):
            code, said = sim.sop(person, "sync")
            assert code == 0, said
            quiet &= said.startswith("✓ in step with the office")
        if quiet:
            return rounds
    raise AssertionError("the office never became quiet")


@pytest.mark.slow
def test_ten_people_working_and_syncing_at_random_end_in_step(office: Office) -> None:
    """Random work, random offline periods, random syncs: identical copies, a green check, nothing lost."""
    rng = random.Random(SEED)
    people = []
    for i, user in enumerate(STAFF[:PEOPLE]):
        clone = office.join(user)
        people.append(Person(user, clone, i % 14 + 1, str(office.server)))
    sim = Simulation(office, people, rng)
    names = list(OPERATIONS)
    weights = [OPERATIONS[n][0] for n in names]
    for _ in range(STEPS):
        person = rng.choice(people)
        OPERATIONS[rng.choices(names, weights)[0]][1](sim, person)

    assert sim.offline_syncs > 0 and sim.received > 0, "the seed gave no offline sync or no exchange"
    settle(sim)

    server = git(office.server, "rev-parse", "main").strip()
    written = set().union(*(p.written for p in people))
    trees = {p.user: tree_files(p.clone) for p in people}
    first = trees[people[0].user]
    for person in people:
        assert head(person.clone) == server, person.user
        assert trees[person.user] == first, person.user
        assert event_files(person.clone) >= written, person.user
        assert git_busy(person.clone) == [] and git(person.clone, "status", "--porcelain") == ""
        assert not (person.clone / ".git" / "sop-sync.json").exists()
    assert written, "the simulation wrote nothing"
    assert check_workspace(Workspace(people[0].clone)).problems == []
    assert git(office.server, "branch", "--list", "sop-rescue/*") == ""
    assert git(office.server, "rev-list", "--merges", "--count", "main").strip() == "0"
