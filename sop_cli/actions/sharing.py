"""Share the office's records through one git repository: init, join, sync, and the server's guard.

The check of the workspace (`sop check`) is passed in by the command line as `verify`: actions
do not import each other.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sop_cli.errors import Problem, SopError
from sop_cli.i18n import _
from sop_cli.storage import git
from sop_cli.storage.git import Author, GitConflictError, Repo, Upstream
from sop_cli.storage.office_copy import checked_out, copy_office_files, remove_copy, scratch_files
from sop_cli.workspace import Workspace, environment_user

Verify = Callable[[Workspace], list[Problem]]
MAX_ATTEMPTS = 5
RESCUE_PREFIX = "sop-rescue/"
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
HOOK_MARK = "Installed by `sop server install-hook`"
# What `sop init` copies into a new office repository from the workspace it starts from.
OFFICE_FILES = ("sops", "calendar", "templates", "sop.toml", "records/README.md")
CI_FILES = {"forgejo": ".forgejo/workflows/sop.yml", "gitlab": ".gitlab-ci.yml"}
CI_TEMPLATES = {"forgejo": "forgejo.yml", "gitlab": "gitlab-ci.yml"}


def _helper() -> str:
    return _("the person who set up the office's server")


class SyncStoppedError(SopError):
    """`sop sync` could not finish; the repository is as it was and nothing is lost."""


def office_file(name: str) -> str:
    """The text of a file shipped with sop for office repositories (ignore rules, hook, CI templates)."""
    return (resources.files("sop_cli") / "office_files" / name).read_text(encoding="utf-8")


def _repo(ws: Workspace) -> Repo:
    repo = git.find_repo(ws)
    if repo is None:
        raise SopError(
            _(
                "{root} is not shared through git: run `sop init` to make it the office's repository, or "
                "`sop join URL` to copy the office's"
            ).format(root=ws.root)
        )
    return repo


def person_of(ws: Workspace, staff_id: str | None = None) -> tuple[str | None, Author | None]:
    """The acting staff id ($SOP_USER, else `git config sop.user`) and the commit author for them."""
    chosen = staff_id or environment_user()
    repo = git.find_repo(ws)
    if not chosen and repo is not None:
        chosen = git.run_git(repo.top, ["config", "--get", "sop.user"], check=False).stdout.strip() or None
    if not chosen:
        return None, None
    from sop_cli.loading.catalog import load_catalog

    try:
        name = load_catalog(ws).staff_name(chosen)
    except SopError:
        name = chosen
    return chosen, git.author_for(ws, chosen, name)


# --- sop sync ---------------------------------------------------------------------------------


@dataclass
class SyncReport:
    """What `sop sync` did."""

    committed: int = 0  # files sop wrote that this sync committed
    received: int = 0  # commits brought in from the office
    sent: int = 0  # commits sent to the office
    offline: str | None = None  # why the server could not be reached; None when it could
    no_remote: bool = False  # the repository has no office server
    repaired: bool = False  # an interrupted sync was repaired first
    checked: bool = False  # `sop check` ran on the result
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unsent: int = 0  # commits still not on the server at the end


def _status(repo: Repo, *pathspec: str) -> list[tuple[str, str]]:
    done = git.run_git(repo.top, ["status", "--porcelain", "-z", "-uall", "--no-renames", "--", *pathspec])
    return [(entry[:2], entry[3:]) for entry in done.stdout.split("\0") if len(entry) > 3]


def _sop_folders(repo: Repo) -> list[str]:
    return [repo.rel(name) for name in git.SOP_FOLDERS]


def pending_files(repo: Repo) -> tuple[list[str], list[str]]:
    """Files under records/, register/ and documents/ not committed yet: (new ones, changed or deleted ones)."""
    if git.rev(repo, "HEAD") is not None:
        # A command killed between its commit and its index update leaves the index behind: realign it.
        git.run_git(repo.top, ["reset", "-q", "--", *_sop_folders(repo)], check=False)
    new, changed = [], []
    for code, path in _status(repo, *_sop_folders(repo)):
        if code == "??" or code[0] == "A":
            new.append(path)
        else:
            changed.append(path)
    return new, changed


def _damaged_message(paths: Sequence[str], repo: Repo) -> str:
    shown = ", ".join(p.removeprefix(repo.prefix) for p in paths[:3])
    more = _(" and {count} more").format(count=len(paths) - 3) if len(paths) > 3 else ""
    return _(
        "{files}{more} changed after sop recorded them; records are never edited, so sop will not send this: "
        "run `sop sync --restore` to put them back as recorded (nothing else is touched)"
    ).format(files=shown, more=more)


def _outgoing_damage(repo: Repo, tip: str | None, head: str) -> list[str]:
    base = tip or EMPTY_TREE
    folders = [repo.rel("records"), repo.rel("register")]
    return [path for status, path in git.changed_paths(repo, base, head, *folders) if status != "A"]


def sync(ws: Workspace, now: dt.datetime, verify: Verify) -> SyncReport:
    """Commit what sop wrote, bring in the office's commits, replay this copy's on top, check, and send."""
    from sop_cli.storage.records import records_lock

    repo = _repo(ws)
    with records_lock(ws):
        from sop_cli.journal import finish_unfinished

        finish_unfinished(ws)  # a command killed half way on this computer: never commit part of it
        report = SyncReport(repaired=git.repair_interrupted_sync(repo))
        # Noted before this sync's first git command: a git killed under it leaves its locks, which
        # the next sync then knows are stale. Kept when the sync fails on git, so that one repairs.
        started = str(time.time())
        git.write_marker(repo, {"started": started, "old": None, "new": None})
        try:
            _sync_locked(ws, repo, report, verify, now, started)
        except (GitConflictError, SyncStoppedError):
            git.clear_marker(repo)  # the person's situation, said in one sentence: nothing to repair
            raise
        git.clear_marker(repo)
        return report


def _sync_locked(ws: Workspace, repo: Repo, report: SyncReport, verify: Verify, now: dt.datetime, started: str) -> None:
    """What `sync` does under the records lock, after the repair."""
    state = git.git_state(ws)
    if state.problems():
        raise GitConflictError(state.problems()[0])
    report.warnings = state.warnings()
    new, changed = pending_files(repo)
    if changed:
        raise SyncStoppedError(_damaged_message(changed, repo))
    if new:
        _staff_id, author = person_of(ws)
        name = author.name if author else _("someone")
        message = git.commit_message(name, "sync", detail="\n".join(p.removeprefix(repo.prefix) for p in new))
        git.commit_paths(ws, [repo.top / p for p in new], message, author)
        report.committed = len(new)
    git.crash_point("after-commit")
    up = git.upstream_of(repo)
    if up is None:
        report.no_remote = True
        return
    git.write_marker(repo, {"started": started, "old": git.rev(repo, "HEAD"), "new": None})
    _exchange(ws, repo, up, report, verify, now, started)


def _exchange(
    ws: Workspace, repo: Repo, up: Upstream, report: SyncReport, verify: Verify, now: dt.datetime, started: str
) -> None:
    for _attempt in range(MAX_ATTEMPTS):
        try:
            tip = git.fetch(repo, up)
        except git.OfflineError as exc:
            report.offline = str(exc)
            report.unsent = _unsent(repo, up)
            return
        git.crash_point("after-fetch")
        head = git.rev(repo, "HEAD")
        if head is None:
            if tip is not None:
                git.move_to(repo, tip)
                report.received += int(git.run_git(repo.top, ["rev-list", "--count", tip]).stdout)
            git.record_sync(repo, now)
            return
        ahead, behind = git.ahead_behind(repo, head, tip) if tip else (_count(repo, head), 0)
        if behind and tip is not None:
            try:
                new = tip if ahead == 0 else git.replay(repo, tip, git.local_commits(repo, tip, head))
            except git.ReplayConflictError as exc:
                raise SyncStoppedError(_rescue(ws, repo, up, head, exc.paths, now)) from None
            git.write_marker(repo, {"started": started, "old": head, "new": new})
            git.crash_point("before-move")
            try:
                git.move_to(repo, new)
            except git.LocalChangesError as exc:
                raise SyncStoppedError(
                    _(
                        "sync stopped: your unsaved changes to {files} stand in the way of the office's changes to "
                        "the same files; nothing was changed or lost; ask {helper} to help you keep both"
                    ).format(files=", ".join(exc.paths), helper=_helper())
                ) from None
            git.crash_point("after-move")
            report.received += behind
            head = new
            ahead, _behind = git.ahead_behind(repo, head, tip) if tip else (_count(repo, head), 0)
        if report.received or ahead or report.committed:
            report.problems = verify(ws)
            report.checked = True
        git.crash_point("after-check")
        if ahead == 0:
            git.record_sync(repo, now)
            return
        damaged = _outgoing_damage(repo, tip, head)
        if damaged:
            raise SyncStoppedError(_damaged_message(damaged, repo))
        pushed = git.push(repo, up, head)
        git.crash_point("after-push")
        if pushed.outcome is git.PushOutcome.SENT:
            report.sent += ahead
            git.record_sync(repo, now)
            return
        if pushed.outcome is git.PushOutcome.OFFLINE:
            report.offline = pushed.detail
            report.unsent = ahead
            return
        if pushed.outcome is git.PushOutcome.REFUSED:
            raise SyncStoppedError(
                _(
                    "the office's server refused your changes ({reason}); nothing was lost, they stay here: "
                    "ask {helper}"
                ).format(reason=pushed.detail.replace("\n", " "), helper=_helper())
            )
        # Someone sent first: fetch again and replay on top of theirs.
    raise SyncStoppedError(
        _("the office's server kept changing while sop was sending; nothing was lost: run `sop sync` again")
    )


def _count(repo: Repo, head: str) -> int:
    return int(git.run_git(repo.top, ["rev-list", "--count", head]).stdout)


def _unsent(repo: Repo, up: Upstream) -> int:
    head = git.rev(repo, "HEAD")
    if head is None:
        return 0
    tip = git.rev(repo, up.tracking)
    return git.ahead_behind(repo, head, tip)[0] if tip else _count(repo, head)


def _rescue(ws: Workspace, repo: Repo, up: Upstream, head: str, paths: list[str], now: dt.datetime) -> str:
    """Keep this copy's commits on a new branch (here and, if it can, on the server); say what happened."""
    staff_id, _author = person_of(ws)
    name = f"{RESCUE_PREFIX}{staff_id or 'copy'}-{now:%Y%m%d-%H%M%S}"
    git.run_git(repo.top, ["branch", name, head])
    sent = git.push(repo, up, head, ref=f"refs/heads/{name}")
    where = _("here and on the server") if sent.outcome is git.PushOutcome.SENT else _("here")
    return _(
        "sync stopped: {files} changed both here and in the office, differently; everything is back as it was "
        "and nothing is lost (your work is also kept on branch {branch}, {where}): ask {helper} to combine them"
    ).format(files=", ".join(p.removeprefix(repo.prefix) for p in paths), branch=name, where=where, helper=_helper())


def abort(ws: Workspace) -> list[str]:
    """Put the repository back as it was before an unfinished merge, rebase or sync; say what was undone."""
    from sop_cli.storage.records import records_lock

    repo = _repo(ws)
    done = []
    with records_lock(ws):
        if git.repair_interrupted_sync(repo):
            done.append(_("repaired an interrupted sop sync"))
        operation = git.operation_in_progress(repo)
        if operation is not None:
            git.run_git(repo.top, [operation, "--abort"])
            done.append(_("stopped the unfinished git {operation}: back to before it").format(operation=operation))
        unmerged = git.run_git(repo.top, ["ls-files", "-u", "-z"]).stdout
        paths = sorted({e.split("\t", 1)[1] for e in unmerged.split("\0") if "\t" in e})
        if paths:
            # Left by a failed `git stash pop` (the stash keeps the other side): take this copy's side.
            git.run_git(repo.top, ["--literal-pathspecs", "checkout", "HEAD", "--", *paths])
            done.append(_("took this copy's side of {files}").format(files=", ".join(paths)))
    return done


def restore(ws: Workspace) -> list[str]:
    """Put changed or deleted records back as they were recorded (and sent); return the files restored."""
    from sop_cli.storage.records import records_lock

    repo = _repo(ws)
    with records_lock(ws):
        _new, changed = pending_files(repo)
        if changed:
            git.run_git(repo.top, ["--literal-pathspecs", "checkout", "HEAD", "--", *changed])
        head = git.rev(repo, "HEAD")
        up = git.upstream_of(repo)
        tip = git.rev(repo, up.tracking) if up else None
        sent = _outgoing_damage(repo, tip, head) if head and tip else []
        if sent:
            assert tip is not None
            git.run_git(repo.top, ["--literal-pathspecs", "checkout", tip, "--", *sent])
            _staff, author = person_of(ws)
            name = author.name if author else _("someone")
            git.commit_paths(ws, [repo.top / p for p in sent], git.commit_message(name, "restore"), author)
        return sorted({p.removeprefix(repo.prefix) for p in changed + sent})


def untrack(ws: Workspace) -> list[str]:
    """Stop sharing local folders git tracks by mistake (.sop-cache, .venv, …) and ignore them from now on."""
    from sop_cli.storage.records import records_lock

    repo = _repo(ws)
    with records_lock(ws):
        folders = list(git.git_state(ws).tracked_local)
        if not folders:
            return []
        ignore = ws.root / ".gitignore"
        text = ignore.read_text(encoding="utf-8") if ignore.is_file() else ""
        missing = [f"{name}/" for name in folders if f"{name}/" not in text.splitlines()]
        if missing:
            from sop_cli.storage.atomic import write_text_atomic

            sep = "" if text.endswith("\n") or not text else "\n"
            write_text_atomic(ignore, text + sep + "\n".join(missing) + "\n")
        _staff, author = person_of(ws)
        name = author.name if author else _("someone")
        message = git.commit_message(name, "หยุดแชร์โฟลเดอร์เฉพาะเครื่อง", detail=", ".join(folders))
        git.untrack_paths(ws, [repo.rel(f) for f in folders], [ignore], message, author)
        return folders


# --- sop init, sop join -----------------------------------------------------------------------


@dataclass
class Setup:
    """What `sop init` or `sop join` set up."""

    root: Path
    user: str | None = None
    server: str | None = None
    warnings: list[str] = field(default_factory=list)


LOCAL_SETTINGS = {"core.autocrlf": "false", "core.quotepath": "off", "pull.rebase": "true"}


def _source_workspace(given: Path | None, target: Path) -> Path:
    if given is not None:
        if not (given / "sops").is_dir():
            raise SopError(_("{path} has no sops/ folder to start the office's repository from").format(path=given))
        return given.resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "sops").is_dir() and folder != target:
            return folder
    installed = Path(__file__).resolve().parents[2]
    if (installed / "sops").is_dir() and installed != target:
        return installed
    raise SopError(_("where are the procedures? pass --from PATH, a folder with sops/, calendar/ and sop.toml"))


def _ensure_ignore_rules(root: Path, into: Path) -> None:
    wanted = [line for line in office_file("gitignore").splitlines() if line and not line.startswith("#")]
    present = set()
    for candidate in (root / ".gitignore", into):
        if candidate.is_file():
            present |= {line.strip() for line in candidate.read_text(encoding="utf-8").splitlines()}
    missing = [line for line in wanted if line not in present]
    if missing:
        into.parent.mkdir(parents=True, exist_ok=True)
        old = into.read_text(encoding="utf-8") if into.is_file() else ""
        sep = "" if not old or old.endswith("\n") else "\n"
        into.write_text(old + sep + "\n".join(missing) + "\n", encoding="utf-8")


def _configure(root: Path, staff_id: str | None, name: str | None) -> None:
    for key, value in LOCAL_SETTINGS.items():
        git.run_git(root, ["config", key, value])
    if staff_id:
        git.run_git(root, ["config", "sop.user", staff_id])
    if name and not git.run_git(root, ["config", "--get", "user.name"], check=False).stdout.strip():
        git.run_git(root, ["config", "user.name", name])
    if staff_id and not git.run_git(root, ["config", "--get", "user.email"], check=False).stdout.strip():
        git.run_git(root, ["config", "user.email", f"{staff_id}@users.sop.invalid"])


def _staff(root: Path) -> list[tuple[str, str]]:
    from sop_cli.loading.catalog import load_catalog

    return [(m.id, m.display_name) for m in load_catalog(Workspace(root)).roster.staff]


def _check_user(root: Path, staff_id: str) -> str:
    staff = dict(_staff(root))
    if staff_id not in staff:
        raise SopError(
            _("'{id}' is not in the staff roster (sops/staff.yaml); known ids: {ids}").format(
                id=staff_id, ids=", ".join(staff)
            )
        )
    return staff[staff_id]


def _is_local_path(server: str) -> bool:
    if "://" in server:
        return server.startswith("file://")
    if re.match(r"^[A-Za-z]:[\\/]", server) or server.startswith(("\\\\", "/", ".", "~")):
        return True
    return not re.match(r"^[^/\\]+:", server)  # user@host:path is ssh


def _empty_or_missing(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def init_office(target: Path, source: Path | None, staff_id: str | None, server: str | None, now: dt.datetime) -> Setup:
    """Make `target` the office's repository (with procedures, calendar, settings), its first commit, and a server."""
    target = target.resolve()
    if (target / ".git").exists():
        raise SopError(
            _("{path} is already a git repository; to work with the office's, use `sop join URL`").format(path=target)
        )
    existing = (target / "sops").is_dir()
    if not existing and not _empty_or_missing(target):
        raise SopError(_("{path} is neither empty nor a sop workspace: choose a new folder").format(path=target))
    origin = target if existing else _source_workspace(source, target)
    name = _check_user(origin, staff_id) if staff_id else None
    if not existing:
        target.mkdir(parents=True, exist_ok=True)
        copy_office_files(origin, target, OFFICE_FILES)
    (target / "records").mkdir(exist_ok=True)
    _ensure_ignore_rules(target, target / ".gitignore")
    if not (target / ".gitattributes").exists():
        (target / ".gitattributes").write_text(office_file("gitattributes"), encoding="utf-8")
    git.run_git(target, ["init", "-q"])
    git.run_git(target, ["symbolic-ref", "HEAD", "refs/heads/main"])
    _configure(target, staff_id, name)
    author = git.author_for(Workspace(target), staff_id, name) if staff_id and name else None
    git.run_git(target, ["add", "-A"])
    message = git.commit_message(name or _("the office"), "init")
    env = git.identity_env(author or _fallback_identity(target))
    git.run_git(target, ["commit", "-q", "-F", "-"], input=message, env=env)
    setup = Setup(target, staff_id)
    if server:
        setup.server = _connect_server(target, server)
    repo = git.find_repo(Workspace(target))
    if repo is not None:
        git.record_sync(repo, now)
    return setup


def _fallback_identity(root: Path) -> Author | None:
    # `git var` fails when git knows no name or e-mail: a first commit still needs one.
    if git.run_git(root, ["var", "GIT_AUTHOR_IDENT"], check=False).returncode == 0:
        return None
    return Author("sop", "sop@users.sop.invalid")


def _connect_server(root: Path, server: str) -> str:
    if _is_local_path(server):
        bare = Path(server.removeprefix("file://")).expanduser().resolve()
        if _empty_or_missing(bare):
            bare.mkdir(parents=True, exist_ok=True)
            git.run_git(bare, ["init", "-q", "--bare"])
            git.run_git(bare, ["symbolic-ref", "HEAD", "refs/heads/main"])
            install_hook(bare, force=False)
        server = str(bare)
    git.run_git(root, ["remote", "add", "origin", server])
    done = git.run_git(
        root, ["push", "-q", "-u", "origin", "main"], timeout=git.NETWORK_TIMEOUT_S, check=False, env=_hook_env()
    )
    if done.returncode != 0:
        raise SopError(
            _("the office's repository is ready here, but sending it to {server} failed: {detail}").format(
                server=server, detail=git.remote_says(done.stderr)
            )
        )
    return server


def _hook_env() -> dict[str, str]:
    return {"SOP_PYTHON": sys.executable}


def _folder_name(url: str) -> str:
    tail = re.split(r"[/\\:]", url.rstrip("/\\"))[-1]
    return tail.removesuffix(".git") or "office"


def join_office(
    url: str,
    target: Path | None,
    staff_id: str | None,
    ask: Callable[[list[tuple[str, str]]], str] | None,
    now: dt.datetime,
) -> Setup:
    """Copy the office's repository and set this person up: who they are, git's settings, the ignore rules."""
    folder = (target or Path.cwd() / _folder_name(url)).resolve()
    if not _empty_or_missing(folder):
        raise SopError(_("{path} already exists and is not empty: choose another folder").format(path=folder))
    created = not folder.exists()
    folder.parent.mkdir(parents=True, exist_ok=True)
    settings = [arg for key, value in LOCAL_SETTINGS.items() for arg in ("-c", f"{key}={value}")]
    done = git.run_git(
        folder.parent if created else folder,
        ["clone", "-q", *settings, url, str(folder)],
        timeout=git.NETWORK_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        remove_copy(folder, created)
        raise SopError(
            _("could not copy the office's repository from {url}: {detail}").format(
                url=url, detail=git.first_reason(done.stderr)
            )
        )
    try:
        if not (folder / "sops").is_dir():
            raise SopError(_("{url} is not an office repository of sop (it has no sops/ folder)").format(url=url))
        if staff_id is None and ask is not None:
            staff_id = ask(_staff(folder))
        if not staff_id:
            raise SopError(_("who are you? pass --user ID (the ids are in sops/staff.yaml)"))
        name = _check_user(folder, staff_id)
    except BaseException:  # a wrong id, or Ctrl-C at the question
        remove_copy(folder, created)  # a half set-up copy would only be in the way of the next try
        raise
    _configure(folder, staff_id, name)
    ws = Workspace(folder)
    repo = git.find_repo(ws)
    assert repo is not None
    _ensure_ignore_rules(folder, repo.git_dir / "info" / "exclude")
    setup = Setup(folder, staff_id, url, git.git_state(ws).warnings())
    git.record_sync(repo, now)
    return setup


# --- the server's guard: the pre-receive hook, CI ------------------------------------------------


def install_hook(bare: Path, force: bool) -> Path:
    """Install sop's pre-receive hook in the office's bare repository; refuse history rewrites and deletions."""
    bare = bare.resolve()
    done = git.run_git(bare, ["rev-parse", "--is-bare-repository"], check=False) if bare.is_dir() else None
    if done is None or done.stdout.strip() != "true":
        raise SopError(
            _("{path} is not a bare git repository (the office's server copy, such as office.git)").format(path=bare)
        )
    hook = bare / "hooks" / "pre-receive"
    if hook.exists() and HOOK_MARK not in hook.read_text(encoding="utf-8", errors="replace") and not force:
        raise SopError(
            _("{path} already has a pre-receive hook of its own; pass --force to replace it").format(path=hook)
        )
    hook.parent.mkdir(exist_ok=True)
    python = Path(sys.executable).as_posix()
    hook.write_text(office_file("pre-receive").replace("@PYTHON@", python), encoding="utf-8", newline="\n")
    hook.chmod(0o755)
    # Plain git refuses these even before the hook runs.
    git.run_git(bare, ["config", "receive.denyNonFastForwards", "true"])
    git.run_git(bare, ["config", "receive.denyDeletes", "true"])
    return hook


@dataclass
class PushVerdict:
    """The hook's answer: reasons to refuse (empty: accepted), and notes for the person who pushed."""

    refused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


SHARED_DATA = ("records/", "register/", "documents/")


def check_push(git_dir: Path, updates: list[tuple[str, str, str]], verify: Verify) -> PushVerdict:
    """Judge a push to the office's repository: refuse any that would damage the records.

    Refused: deleting or rewriting the branch; changing or deleting a file under records/ or
    register/; adding a record that does not load; a change to sops/, calendar/, sop.toml or
    templates/ after which `sop check` finds a problem in that file. Other `sop check` problems
    (two people who did the same step offline) are repaired with sop's commands: they are sent
    back as notes, and the push is taken.
    """
    repo = Repo(git_dir, git_dir, "")
    verdict = PushVerdict()
    for old, new, ref in updates:
        if not ref.startswith("refs/heads/") or ref.startswith(f"refs/heads/{RESCUE_PREFIX}"):
            continue  # tags, and rescue branches that keep someone's work aside
        branch = ref.removeprefix("refs/heads/")
        if new == git.ZERO_COMMIT:
            verdict.refused.append(_("deleting the branch {branch} is not allowed").format(branch=branch))
            continue
        if old != git.ZERO_COMMIT:
            ancestor = git.run_git(git_dir, ["merge-base", "--is-ancestor", old, new], check=False)
            if ancestor.returncode != 0:
                verdict.refused.append(
                    _("the push rewrites the office's history on {branch}; sop never does that").format(branch=branch)
                )
                continue
        changes = git.changed_paths(repo, old if old != git.ZERO_COMMIT else EMPTY_TREE, new)
        for status, path in changes:
            if status == "D" and path.startswith(("records/", "register/")):
                verdict.refused.append(_("{file} was deleted: records are never deleted").format(file=path))
            elif status != "A" and path.startswith(("records/", "register/")):
                verdict.refused.append(_("{file} was changed: records are never edited").format(file=path))
        added = [p for s, p in changes if s == "A" and p.startswith(("records/", "register/")) and p.endswith(".yaml")]
        for problem in _broken_records(repo, new, added):
            verdict.refused.append(_("{problem} (a broken record)").format(problem=problem))
        definitions = {p for s, p in changes if s != "D" and not p.startswith(SHARED_DATA)}
        if definitions:
            for problem in _check_tree(git_dir, new, verify):
                if problem.path.replace("\\", "/") in definitions:
                    verdict.refused.append(_("{problem} (it would stop sop for everyone)").format(problem=problem))
                else:
                    verdict.notes.append(_("sop check: {problem}").format(problem=problem))
    return verdict


def _broken_records(repo: Repo, commit: str, paths: list[str]) -> list[Problem]:
    """Problems of the event and register files a push adds, each read on its own (no checkout)."""
    from sop_cli.storage.records import fiscal_years, load_events
    from sop_cli.storage.register import load_register

    if not paths:
        return []
    blobs = git.read_blobs(repo, commit, paths)
    with scratch_files(blobs) as scratch:
        ws = Workspace(scratch)
        problems = [p for fy in fiscal_years(ws) for p in load_events(ws, fy)[1]]
        problems += load_register(ws)[1] if (ws.root / "register").is_dir() else []
    return [p for p in problems if p.path.replace("\\", "/") in blobs]


def _check_tree(git_dir: Path, commit: str, verify: Verify) -> list[Problem]:
    """Check out `commit` into a temporary folder and run `sop check` on it."""
    with checked_out(git_dir, commit) as tree:
        return verify(Workspace(tree)) if (tree / "sops").is_dir() else []


def write_ci(ws: Workspace, forge: str, package: str | None, force: bool) -> Path:
    """Write (and commit) the forge's CI file that runs `sop check` on every push and publishes the status page."""
    if forge not in CI_FILES:
        raise SopError(_("unknown forge {forge}: choose forgejo or gitlab").format(forge=forge))
    if package is None:
        if not (ws.root / "pyproject.toml").is_file():
            raise SopError(_("say where CI installs sop from: --package SPEC (for example git+https://server/sop.git)"))
        package = "."
    path = ws.root / CI_FILES[forge]
    if path.exists() and not force:
        raise SopError(_("{path} already exists; pass --force to replace it").format(path=ws.relative(path)))
    from sop_cli.storage.atomic import write_text_atomic

    write_text_atomic(path, office_file(CI_TEMPLATES[forge]).replace("@PACKAGE@", package))
    _staff, author = person_of(ws)
    name = author.name if author else _("someone")
    git.commit_paths(ws, [path], git.commit_message(name, "เพิ่มการตรวจด้วย sop check ที่เซิร์ฟเวอร์", detail=forge), author)
    return path
