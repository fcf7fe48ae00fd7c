"""Load the workspace's procedures and vocabularies, and check them against each other."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sop_cli.errors import InvalidFilesError, Loc, Problem
from sop_cli.i18n import _
from sop_cli.models.base import Frozen
from sop_cli.models.catalog import Catalog
from sop_cli.models.procedure import PROCEDURE_SCHEMA_VERSION, DecisionKind, Procedure
from sop_cli.models.questions import Question, Questions
from sop_cli.models.vocabulary import Agencies, Bodies, Roster
from sop_cli.storage import cache
from sop_cli.thai_calendar import arabic_digits
from sop_cli.workspace import Workspace

STAFF_FILE = "staff.yaml"
BODIES_FILE = "bodies.yaml"
AGENCIES_FILE = "agencies.yaml"
QUESTIONS_FILE = "questions.yaml"
VOCABULARY_FILES = (STAFF_FILE, BODIES_FILE, AGENCIES_FILE, QUESTIONS_FILE)
M = TypeVar("M", bound=Frozen)

if TYPE_CHECKING:
    from sop_cli.loading.yaml_files import Loaded


CATALOG_CACHE = "catalog"
_PROCEDURE_NAME = re.compile(r"^(\d{2})-[a-z0-9-]+\.yaml$")


def procedure_files(ws: Workspace) -> list[Path]:
    """Procedure files of the workspace in name order: every YAML file but the vocabularies."""
    return sorted(p for p in ws.sops.iterdir() if p.suffix in (".yaml", ".yml") and p.name not in VOCABULARY_FILES)


def _duplicates(items: Any, key: Any) -> list[int]:
    """Indexes of items whose key was already seen earlier in the list."""
    seen: set[Any] = set()
    repeated = []
    for i, item in enumerate(items):
        k = key(item)
        if k in seen:
            repeated.append(i)
        seen.add(k)
    return repeated


def _vocabulary_findings(roster: Roster, bodies: Bodies, agencies: Agencies) -> dict[str, list[tuple[Loc, str]]]:
    found: dict[str, list[tuple[Loc, str]]] = {STAFF_FILE: [], BODIES_FILE: [], AGENCIES_FILE: []}
    for i in _duplicates(roster.staff, lambda m: m.id):
        found[STAFF_FILE].append((("staff", i, "id"), _("staff id '{id}' is used twice").format(id=roster.staff[i].id)))
    spellings: dict[str, str] = {}
    for i, member in enumerate(roster.staff):
        for j, spelling in enumerate((member.name, *member.aliases)):
            other = spellings.setdefault(spelling, member.id)
            if other != member.id:
                loc: Loc = ("staff", i, "name") if j == 0 else ("staff", i, "aliases", j - 1)
                found[STAFF_FILE].append(
                    (loc, _("'{spelling}' is also a name of '{other}'").format(spelling=spelling, other=other))
                )
    for i in _duplicates(bodies.bodies, lambda b: b.id):
        found[BODIES_FILE].append(
            (("bodies", i, "id"), _("body id '{id}' is used twice").format(id=bodies.bodies[i].id))
        )
    for i in _duplicates(agencies.agencies, lambda a: a.id):
        found[AGENCIES_FILE].append(
            (("agencies", i, "id"), _("agency id '{id}' is used twice").format(id=agencies.agencies[i].id))
        )
    return found


def procedure_findings(
    proc: Procedure, staff: set[str], bodies: set[str], agencies: set[str]
) -> Iterator[tuple[Loc, str]]:
    """Yield every cross-reference problem of one procedure: steps, loop targets, unknown ids."""
    seen: set[int] = set()
    previous = 0
    for i, row in enumerate(proc.rows):
        for j, step in enumerate(row.steps):
            here: Loc = ("rows", i, "steps", j, "number")
            if step.number in seen:
                yield here, _("step {number} appears twice").format(number=step.number)
            elif step.number < previous:
                yield (
                    here,
                    _("step {number} comes after step {previous}; list steps in order").format(
                        number=step.number, previous=previous
                    ),
                )
            seen.add(step.number)
            previous = max(previous, step.number)
        for k, person in enumerate(row.responsible):
            if person not in staff:
                yield (
                    ("rows", i, "responsible", k),
                    _("unknown staff member '{person}' (not in sops/{STAFF_FILE})").format(
                        person=person, STAFF_FILE=STAFF_FILE
                    ),
                )
        for k, body in enumerate(row.responsible_bodies):
            if body not in bodies:
                yield (
                    ("rows", i, "responsible_bodies", k),
                    _("unknown body '{body}' (not in sops/{BODIES_FILE})").format(body=body, BODIES_FILE=BODIES_FILE),
                )
    for i, row in enumerate(proc.rows):
        for j, step in enumerate(row.steps):
            if step.decision is None:
                continue
            base: Loc = ("rows", i, "steps", j, "decision")
            for name in ("reject_to", "revise", "approve_to"):
                target = getattr(step.decision, name)
                if target is not None and target not in seen:
                    yield (
                        (*base, name),
                        _("the decision at step {number} goes to step {target}, which does not exist").format(
                            number=step.number, target=target
                        ),
                    )
            revision = step.revision_step
            if step.decision.kind is DecisionKind.revise and revision is not None and revision != step.number:
                other = proc.step(revision) if revision in seen else None
                if other is not None and other.decision is not None:
                    yield (
                        (*base, "revise"),
                        _("step {revision} is itself a decision: a revision is a plain step").format(revision=revision),
                    )
            for k, body in enumerate(step.decision.by):
                if body not in bodies:
                    yield (
                        (*base, "by", k),
                        _("unknown body '{body}' (not in sops/{BODIES_FILE})").format(
                            body=body, BODIES_FILE=BODIES_FILE
                        ),
                    )
    yield from _timing_findings(proc, seen)
    for i, duty in enumerate(proc.responsibilities):
        for k, body in enumerate(duty.bodies):
            if body not in bodies:
                yield (
                    ("responsibilities", i, "bodies", k),
                    _("unknown body '{body}' (not in sops/{BODIES_FILE})").format(body=body, BODIES_FILE=BODIES_FILE),
                )
    for i, term in enumerate(proc.definitions):
        listed: list[tuple[Loc, str]] = [(("definitions", i, "agencies", k), a) for k, a in enumerate(term.agencies)]
        listed += [
            (("definitions", i, "groups", g, "agencies", k), a)
            for g, group in enumerate(term.groups)
            for k, a in enumerate(group.agencies)
        ]
        for loc, agency in listed:
            if agency not in agencies:
                yield (
                    loc,
                    _("unknown agency '{agency}' (not in sops/{AGENCIES_FILE})").format(
                        agency=agency, AGENCIES_FILE=AGENCIES_FILE
                    ),
                )
    for i, standard in enumerate(proc.standards):
        if standard.step is not None and standard.step not in seen:
            yield (
                ("standards", i, "step"),
                _("the standard is met by step {step}, which does not exist").format(step=standard.step),
            )
    for i, statement in enumerate(proc.timings):
        if statement.step is not None and statement.step not in seen:
            yield (
                ("timings", i, "step"),
                _("the timing is met by step {step}, which does not exist").format(step=statement.step),
            )


def _timing_findings(proc: Procedure, seen: set[int]) -> Iterator[tuple[Loc, str]]:
    """Steps that the timing rules and the cycles name, and deadline refs given twice."""
    timed: list[tuple[Loc, object]] = [(("standards", i, "timing"), s.timing) for i, s in enumerate(proc.standards)]
    timed += [(("timings", i, "timing"), t.timing) for i, t in enumerate(proc.timings)]
    for loc, timing in timed:
        step = getattr(timing, "step", None)
        if step is not None and step not in seen:
            yield (*loc, "step"), _("the timing rule refers to step {step}, which does not exist").format(step=step)
    cycles = proc.cycles
    if cycles is not None:
        for name in ("first_step", "last_step"):
            target = getattr(cycles, name)
            if target is not None and target not in seen:
                yield ("cycles", name), _("the cycles repeat step {target}, which does not exist").format(target=target)
    # `sop note N --met REF` names a deadline by its ref: a ref must say which one.
    refs: set[str] = set()
    for i, statement in enumerate(proc.timings):
        ref = arabic_digits(statement.ref)
        taken = ref in refs or ref.startswith("6.") or (ref.startswith("7.") and bool(proc.monitoring.rounds))
        if taken or (ref == "7" and proc.monitoring.times_per_year is not None):
            yield (
                ("timings", i, "ref"),
                _("the ref {ref} is also the ref of another deadline").format(ref=statement.ref),
            )
        refs.add(ref)


def scan(ws: Workspace) -> tuple[Catalog | None, list[Problem]]:
    """Load and cross-check every file under `sops/`; return the catalog (if valid) and all problems."""
    # Imported here: ruamel is only needed when files are read, not when the cache answers.
    from sop_cli.loading.yaml_files import load_model, problems_at

    problems: list[Problem] = []
    roster, p = _load_required(Roster, ws, STAFF_FILE)
    problems += p
    bodies, p = _load_required(Bodies, ws, BODIES_FILE)
    problems += p
    agencies, p = _load_required(Agencies, ws, AGENCIES_FILE)
    problems += p
    if roster and bodies and agencies:
        found = _vocabulary_findings(roster.model, bodies.model, agencies.model)
        problems += problems_at(roster, found[STAFF_FILE])
        problems += problems_at(bodies, found[BODIES_FILE])
        problems += problems_at(agencies, found[AGENCIES_FILE])
    staff_ids = {m.id for m in roster.model.staff} if roster else set()
    body_ids = {b.id for b in bodies.model.bodies} if bodies else set()
    agency_ids = {a.id for a in agencies.model.agencies} if agencies else set()

    procedures: dict[int, Procedure] = {}
    files: dict[int, str] = {}
    for path in procedure_files(ws):
        proc_file, p = load_model(Procedure, path, ws.relative(path))
        problems += p
        if proc_file is None:
            continue
        proc = proc_file.model
        findings = list(procedure_findings(proc, staff_ids, body_ids, agency_ids))
        match = _PROCEDURE_NAME.match(path.name)
        if match is None:
            findings.append(
                ((), _("name procedure files NN-words.yaml (two digits, then lowercase words with dashes)"))
            )
        elif int(match.group(1)) != proc.number:
            findings.append(
                (
                    ("number",),
                    _("the file name says procedure {int} but the file holds procedure {number}").format(
                        int=int(match.group(1)), number=proc.number
                    ),
                )
            )
        if proc.number in files:
            findings.append(
                (
                    ("number",),
                    _("procedure {number} is also defined in {files}").format(
                        number=proc.number, files=files[proc.number]
                    ),
                )
            )
        problems += problems_at(proc_file, findings)
        if not findings:
            procedures[proc.number] = proc
            files[proc.number] = proc_file.shown
    questions, p = _load_questions(ws, set(procedures) | set(files))
    problems += p
    if problems or roster is None or bodies is None or agencies is None:
        return None, problems
    ordered = dict(sorted(procedures.items()))
    return Catalog(ordered, roster.model, bodies.model, agencies.model, files, questions=questions), []


def _load_questions(ws: Workspace, numbers: set[int]) -> tuple[tuple[Question, ...], list[Problem]]:
    """The questions for the office (none without the file), checked against the procedures."""
    from sop_cli.loading.yaml_files import load_model, problems_at

    path = ws.sops / QUESTIONS_FILE
    if not path.is_file():
        return (), []
    loaded, problems = load_model(Questions, path, ws.relative(path))
    if loaded is None:
        return (), problems
    found: list[tuple[Loc, str]] = []
    for i in _duplicates(loaded.model.questions, lambda q: q.id):
        found.append(
            (("questions", i, "id"), _("question id '{id}' is used twice").format(id=loaded.model.questions[i].id))
        )
    for i, question in enumerate(loaded.model.questions):
        for k, number in enumerate(question.procedures):
            if number not in numbers:
                found.append(
                    (("questions", i, "procedures", k), _("there is no procedure {number}").format(number=number))
                )
    problems = problems_at(loaded, found)
    return (loaded.model.questions if not problems else ()), problems


def _load_required(model: type[M], ws: Workspace, name: str) -> tuple[Loaded[M] | None, list[Problem]]:
    from sop_cli.loading.yaml_files import load_model

    path = ws.sops / name
    if not path.is_file():
        return None, [Problem(ws.relative(path), 1, 1, _("missing file: every workspace needs it"))]
    return load_model(model, path, ws.relative(path))


def catalog_key(ws: Workspace) -> list[object]:
    """What the catalog depends on: every file of sops/ (and the procedure schema)."""
    return [PROCEDURE_SCHEMA_VERSION, cache.folder_stamp(ws.sops, (".yaml", ".yml"))]


def _dump(catalog: Catalog) -> dict[str, Any]:
    return {
        "procedures": [p.model_dump(mode="json") for p in catalog.procedures.values()],
        "roster": catalog.roster.model_dump(mode="json"),
        "bodies": catalog.bodies.model_dump(mode="json"),
        "agencies": catalog.agencies.model_dump(mode="json"),
        "files": [[n, f] for n, f in catalog.files.items()],
        "questions": [q.model_dump(mode="json") for q in catalog.questions],
    }


def _loader(key: list[object]) -> Callable[[dict[str, Any]], Catalog]:
    def load(data: dict[str, Any]) -> Catalog:
        # Validated again: the cache is plain data, trusted for nothing.
        procedures = [Procedure.model_validate(p) for p in data["procedures"]]
        return Catalog(
            {p.number: p for p in procedures},
            Roster.model_validate(data["roster"]),
            Bodies.model_validate(data["bodies"]),
            Agencies.model_validate(data["agencies"]),
            {int(n): str(f) for n, f in data["files"]},
            stamp=key,
            questions=tuple(Question.model_validate(q) for q in data["questions"]),
        )

    return load


def load_catalog(ws: Workspace) -> Catalog:
    """Return the validated catalog (from the cache when no file changed), or raise with every problem."""
    key = catalog_key(ws)

    def compute() -> Catalog:
        catalog, problems = scan(ws)
        if catalog is None:
            raise InvalidFilesError(problems)
        return replace(catalog, stamp=key)

    return cache.memo(cache.workspace_cache(ws.root), CATALOG_CACHE, key, compute, _dump, _loader(key))
