"""Talk to git for the office's shared repository: exact commits, states, replay, claims, the status line.

Every call is `git` with an argument list (no shell, the same on Git for Windows), with
`core.quotepath=off` (Thai file names stay readable) and `core.autocrlf=false` (a record keeps its
bytes, and so its hash, on Windows), a timeout, and no prompt: a git that wants a password fails
instead of waiting for an answer nobody sees.

Replaying local commits on top of the office's is done with plumbing (a temporary index,
`commit-tree`, `update-ref`), not `git rebase`: nothing is written in the working folder until the
result is complete, so a sync killed at any moment never leaves a rebase half done. Records are
append-only files, so the replay works file by file and needs no merge of lines.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sop_cli.errors import SopError
from sop_cli.i18n import _, ngettext
from sop_cli.thai_calendar import format_short
from sop_cli.workspace import Workspace

LOCAL_TIMEOUT_S = 60.0
NETWORK_TIMEOUT_S = 120.0
# Folders whose files sop writes, and `sop sync` commits.
SOP_FOLDERS = ("records", "register", "documents")
# Folders and files sop reads: a git conflict in one of them stops every write.
READ_FOLDERS = ("sops", "calendar", "templates", "records", "register")
READ_FILES = ("sop.toml",)
# Local things that must never be shared: a tracked one is warned about.
LOCAL_ONLY = (".sop", ".sop-cache", ".venv", "exports", "reports")
# Files sop keeps about this copy, inside the git folder (never in the repository).
LAST_SYNC_FILE = "sop-last-sync"
SYNC_MARKER_FILE = "sop-sync.json"
TEMP_INDEX_PREFIX = "sop-index-"
# A test sets this to the name of a point of `sop sync`: the process kills itself there.
CRASH_ENV = "SOP_TEST_CRASH_AT"
ZERO_COMMIT = "0" * 40
_CONFLICT_MARKERS = re.compile(rb"^<{7}(?: |$).*?^>{7}(?: |$)", re.MULTILINE | re.DOTALL)


class GitError(SopError):
    """git failed in a way the user can act on."""


class GitMissingError(GitError):
    """git is not installed, or not on the PATH."""


class GitConflictError(SopError):
    """The repository is in the middle of a merge or rebase, or a file sop reads has conflict markers."""


class OfflineError(GitError):
    """The office's server could not be reached."""


@dataclass(frozen=True)
class Author:
    """Who a commit is by: the staff member's name as the office writes it, and an e-mail address."""

    name: str
    email: str


@dataclass(frozen=True)
class Repo:
    """Where the workspace's repository is: its top folder, its git folder, the workspace inside it."""

    top: Path
    git_dir: Path
    prefix: str  # the workspace's folder inside the repository, "" or "sub/"

    def rel(self, name: str) -> str:
        """`name` (relative to the workspace) as a path relative to the repository's top."""
        return self.prefix + name


@dataclass(frozen=True)
class Upstream:
    """The office's branch this copy sends to: the local branch, the remote and its branch."""

    branch: str
    remote: str
    remote_ref: str  # refs/heads/main on the server

    @property
    def tracking(self) -> str:
        """The local copy of the server's branch: refs/remotes/origin/main."""
        return f"refs/remotes/{self.remote}/{self.remote_ref.removeprefix('refs/heads/')}"


# --- running git ------------------------------------------------------------------------------


def _environment(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    # Plain English messages from git (sop explains them itself), and never a hidden prompt.
    env.update({"LC_ALL": "C", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"})
    if extra:
        env.update(extra)
    return env


def run_git(
    cwd: Path,
    args: Sequence[str],
    *,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = LOCAL_TIMEOUT_S,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `git ARGS` in `cwd` and return what it printed; raise a `GitError` when it fails and `check`."""
    command = ["git", "-c", "core.quotepath=off", "-c", "core.autocrlf=false", *args]
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            input=input,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            env=_environment(env),
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise GitMissingError(
            _("git is not installed (or not on the PATH): install Git (Git for Windows on Windows) and try again")
        ) from None
    except subprocess.TimeoutExpired:
        raise GitError(
            _("git {command} did not answer within {seconds} s").format(command=args[0], seconds=int(timeout))
        ) from None
    if check and done.returncode != 0:
        raise GitError(
            _("git {command} failed: {detail}").format(command=" ".join(args[:2]), detail=last_line(done.stderr))
        )
    return done


def last_line(text: str) -> str:
    """The last non-empty line of git's output, the one that says what went wrong."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no message)"


def remote_says(text: str) -> str:
    """What the server's hook sent back (git's `remote:` lines), or the first line of git's own complaint."""
    said = [line.removeprefix("remote:").strip() for line in text.splitlines() if line.startswith("remote:")]
    said = [line for line in said if line]
    return " ".join(said) if said else first_reason(text)


def first_reason(text: str) -> str:
    """The first line of git's complaint, without its `fatal:` or `error:`: the cause, before the advice."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("hint:", "remote:")):
            return line.removeprefix("fatal: ").removeprefix("error: ").strip()
    return "(no message)"


def _out(repo: Repo, *args: str, env: Mapping[str, str] | None = None, input: str | None = None) -> str:
    return run_git(repo.top, args, env=env, input=input).stdout.strip()


def crash_point(name: str) -> None:
    """Kill this process here when a test asked for it (`SOP_TEST_CRASH_AT=name`): crash-safety tests."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


# --- the repository -------------------------------------------------------------------------------


def find_repo(ws: Workspace) -> Repo | None:
    """The repository holding the workspace, found as git does (a `.git` folder or file above), or None."""
    root = ws.root.resolve()
    for folder in (root, *root.parents):
        dotgit = folder / ".git"
        if dotgit.is_dir():
            git_dir = dotgit
        elif dotgit.is_file():
            # A linked worktree or submodule: `.git` is a file that names the real git folder.
            text = dotgit.read_text(encoding="utf-8", errors="replace").strip()
            if not text.startswith("gitdir:"):
                continue
            git_dir = (folder / text.removeprefix("gitdir:").strip()).resolve()
        else:
            continue
        inside = root.relative_to(folder).as_posix()
        return Repo(folder, git_dir, "" if inside == "." else inside + "/")
    return None


def is_repository(ws: Workspace) -> bool:
    """Whether the workspace is inside a git repository."""
    return find_repo(ws) is not None


def _remotes(repo: Repo) -> list[str]:
    return _out(repo, "remote").split()


def has_remote(ws: Workspace) -> bool:
    """Whether the workspace's repository knows an office server (a git remote)."""
    repo = find_repo(ws)
    return repo is not None and bool(_remotes(repo))


def rev(repo: Repo, name: str) -> str | None:
    """The commit `name` points to, or None when it does not exist (an unborn branch)."""
    done = run_git(repo.top, ["rev-parse", "-q", "--verify", f"{name}^{{commit}}"], check=False)
    return done.stdout.strip() or None


def upstream_of(repo: Repo) -> Upstream | None:
    """The server's branch of the current branch: its configured upstream, else the same name on `origin`."""
    head = run_git(repo.top, ["symbolic-ref", "-q", "HEAD"], check=False).stdout.strip()
    if not head.startswith("refs/heads/"):
        raise GitError(
            _("this copy is not on a branch (git says HEAD is detached): run `sop sync --abort`, then `sop sync`")
        )
    branch = head.removeprefix("refs/heads/")
    found = _out(repo, "for-each-ref", "--format=%(upstream:remotename)%00%(upstream:remoteref)", head)
    remote, _sep, remote_ref = found.partition("\0")
    if remote and remote_ref:
        return Upstream(branch, remote, remote_ref)
    remotes = _remotes(repo)
    if not remotes:
        return None
    return Upstream(branch, "origin" if "origin" in remotes else remotes[0], head)


def workspace_paths(repo: Repo, paths: Iterable[Path]) -> list[str]:
    """`paths` (absolute, or relative to the repository's top) as sorted posix paths relative to the top."""
    top = repo.top.resolve()
    found = set()
    for path in paths:
        full = path if path.is_absolute() else top / path
        # Resolve the folder only: the file itself may already be deleted.
        full = full.parent.resolve() / full.name
        try:
            found.add(full.relative_to(top).as_posix())
        except ValueError:
            raise GitError(
                _("{path} is outside the repository {top}: it cannot be committed").format(path=path, top=top)
            ) from None
    return sorted(found)


def author_for(ws: Workspace, staff_id: str, name: str) -> Author:
    """The commit author for a staff member: their name, and git's e-mail address or a clearly invalid one."""
    repo = find_repo(ws)
    email = ""
    if repo is not None:
        with contextlib.suppress(GitMissingError):
            email = run_git(repo.top, ["config", "--get", "user.email"], check=False).stdout.strip()
    # `.invalid` is reserved (RFC 2606): an address that is plainly not one, never someone else's.
    return Author(name, email or f"{staff_id}@users.sop.invalid")


def identity_env(author: Author | None) -> dict[str, str]:
    """Environment variables that make `author` the author and committer of git's next commit."""
    if author is None:
        return {}
    # The person acting is both author and committer: sop commits on their behalf, on their computer.
    return {
        "GIT_AUTHOR_NAME": author.name,
        "GIT_AUTHOR_EMAIL": author.email,
        "GIT_COMMITTER_NAME": author.name,
        "GIT_COMMITTER_EMAIL": author.email,
    }


# --- commits of exactly the files a command wrote ---------------------------------------------


_EVENT_WORDS = {
    "started": "เริ่มงาน",
    "step_completed": "ทำขั้นตอนเสร็จ",
    "decision": "บันทึกผลการพิจารณา",
    "approved": "เห็นชอบ",
    "rejected": "ไม่เห็นชอบ",
    "note": "บันทึกเพิ่มเติม",
    "evidence_added": "แนบหลักฐาน",
    "hours_logged": "ลงชั่วโมงทำงาน",
    "scheduled": "กำหนดวัน",
    "standard_met": "บันทึกว่าได้ตามมาตรฐาน",
    "count": "รายงานจำนวน",
    "cancelled": "ยกเลิกงาน",
    "voided": "ยกเลิกเหตุการณ์",
    "assigned": "มอบหมายงาน",
    "leave": "บันทึกการลา",
    "leave_cancelled": "ยกเลิกการลา",
    "memo": "ออกบันทึกข้อความ",
    "external_letter": "ออกหนังสือภายนอก",
    "letter": "ออกหนังสือภายนอก",
    "order": "ออกคำสั่ง",
    "claim": "จองเลขทะเบียนหนังสือ",
    "received": "ลงทะเบียนหนังสือรับ",
    "withdrawn": "ยกเลิกเลขทะเบียนหนังสือ",
    "holidays": "ปรับปรุงวันหยุดราชการ",
    "sync": "บันทึกงานที่ยังไม่ได้ส่ง",
    "restore": "คืนไฟล์บันทึกตามที่ส่งแล้ว",
    "init": "เริ่มคลังงานของสำนักงาน",
}


def commit_message(
    person: str, event: str, procedure: int | None = None, step: int | None = None, detail: str | None = None
) -> str:
    """A Thai commit message naming the person, the event, the procedure and the step.

    `event` is an event type (`step_completed`, `voided`, `memo`, …) or Thai words of your own;
    `detail` (a note, a document number, a reason) goes on the lines after the subject.
    """
    words = _EVENT_WORDS.get(event, event)
    where = ""
    if procedure is not None:
        where += f" งานที่ {procedure}"
    if step is not None:
        where += f" ขั้นตอนที่ {step}"
    subject = f"{person}: {words}{where}"
    return f"{subject}\n\n{detail.strip()}\n" if detail and detail.strip() else subject + "\n"


def _commit_tree(repo: Repo, tree: str, parent: str | None, message: str, env: Mapping[str, str]) -> str:
    args = ["commit-tree", tree, "-F", "-"]
    if parent:
        args += ["-p", parent]
    done = run_git(repo.top, args, env=env, input=message, check=False)
    if done.returncode == 0:
        return done.stdout.strip()
    if "who you are" in done.stderr or "auto-detect" in done.stderr or "empty ident" in done.stderr:
        raise GitError(
            _(
                "who is acting? git knows no name for this copy: set your staff id with `git config sop.user ID` "
                "or SOP_USER=ID (the ids are in sops/staff.yaml), then try again"
            )
        )
    raise GitError(_("git commit-tree failed: {detail}").format(detail=first_reason(done.stderr)))


@contextlib.contextmanager
def _temporary_index(repo: Repo) -> Iterator[Path]:
    # A private index: the person's own staged changes in the real index are never touched.
    index = repo.git_dir / f"{TEMP_INDEX_PREFIX}{secrets.token_hex(6)}"
    try:
        yield index
    finally:
        with contextlib.suppress(OSError):
            index.unlink()


COMMIT_MARKER_FILE = "sop-commit.json"


@contextlib.contextmanager
def _committing(repo: Repo) -> Iterator[None]:
    """Note, for the time of a commit, that sop is writing with git (the caller holds the records lock).

    A git command killed while it holds `index.lock` or a ref's lock leaves the file behind, and
    every later commit, fetch or rebase of this copy would stop on it; the next command finds the
    note and removes the locks made since (`repair_interrupted_commit`).
    """
    from sop_cli.storage.atomic import write_text_atomic

    repair_interrupted_commit(repo)
    marker = repo.git_dir / COMMIT_MARKER_FILE
    write_text_atomic(marker, json.dumps({"started": time.time()}), durable=False)
    yield
    with contextlib.suppress(OSError):
        marker.unlink()


def repair_interrupted_commit(repo: Repo) -> bool:
    """Remove the locks a killed commit of sop left behind; return whether one had been killed."""
    marker = repo.git_dir / COMMIT_MARKER_FILE
    try:
        started = float(json.loads(marker.read_text(encoding="utf-8"))["started"])
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError):
        started = marker.stat().st_mtime if marker.exists() else time.time()
    for lock in _stale_locks(repo, started):
        with contextlib.suppress(OSError):
            lock.unlink()
    with contextlib.suppress(OSError):
        marker.unlink()
    return True


def commit_paths(ws: Workspace, paths: Iterable[Path], message: str, author: Author | None = None) -> str | None:
    """Commit exactly `paths` (new, changed or deleted files) and nothing else; return the commit, or None.

    Whatever else is staged or changed in the working folder stays as it was, staged or not. None
    when the workspace is not in git, or when the files are already committed as they are.
    """
    repo = find_repo(ws)
    if repo is None:
        return None
    # Never a half-written file of an interrupted write, whoever names it: the next command removes it.
    rels = [rel for rel in workspace_paths(repo, paths) if not rel.rpartition("/")[2].startswith(".tmp-")]
    if not rels:
        return None
    with _committing(repo):
        return _commit_listed(repo, rels, message, author)


def _commit_listed(repo: Repo, rels: list[str], message: str, author: Author | None) -> str | None:
    listed = "\0".join(rels) + "\0"
    with _temporary_index(repo) as index:
        env = {"GIT_INDEX_FILE": str(index), **identity_env(author)}
        for _attempt in range(5):
            parent = rev(repo, "HEAD")
            run_git(repo.top, ["read-tree", parent or "--empty"], env=env)
            run_git(repo.top, ["update-index", "--add", "--remove", "-z", "--stdin"], env=env, input=listed)
            tree = _out(repo, "write-tree", env=env)
            if parent and tree == _out(repo, "rev-parse", f"{parent}^{{tree}}"):
                return None
            commit = _commit_tree(repo, tree, parent, message, env)
            subject = message.splitlines()[0] if message.strip() else "sop"
            moved = run_git(
                repo.top, ["update-ref", "-m", f"sop: {subject}", "HEAD", commit, parent or ""], check=False
            )
            if moved.returncode == 0:
                break
            # Another process committed in between: build again on top of its commit.
        else:
            raise GitError(_("could not commit: the branch kept moving under sop; try again"))
    # The real index now agrees with the commit for these paths (and only these).
    run_git(repo.top, ["update-index", "--add", "--remove", "-z", "--stdin"], input=listed)
    return commit


def untrack_paths(
    ws: Workspace, folders: Sequence[str], files: Iterable[Path], message: str, author: Author | None = None
) -> str | None:
    """Commit the removal of `folders` from git (their files stay on disk) with `files`; nothing else."""
    repo = find_repo(ws)
    if repo is None:
        return None
    rels = workspace_paths(repo, files)
    listed = "\0".join(rels) + "\0" if rels else ""
    removal = ["rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", *folders]
    with _temporary_index(repo) as index:
        env = {"GIT_INDEX_FILE": str(index), **identity_env(author)}
        parent = rev(repo, "HEAD")
        run_git(repo.top, ["read-tree", parent or "--empty"], env=env)
        run_git(repo.top, removal, env=env)
        if listed:
            run_git(repo.top, ["update-index", "--add", "--remove", "-z", "--stdin"], env=env, input=listed)
        tree = _out(repo, "write-tree", env=env)
        commit = _commit_tree(repo, tree, parent, message, env)
        run_git(repo.top, ["update-ref", "HEAD", commit, parent or ""])
    run_git(repo.top, removal)
    if listed:
        run_git(repo.top, ["update-index", "--add", "--remove", "-z", "--stdin"], input=listed)
    return commit


# --- states: merges, rebases, conflict markers, tracked local files ------------------------------


_OPERATIONS = (
    ("rebase-merge", "rebase"),
    ("rebase-apply", "rebase"),
    ("MERGE_HEAD", "merge"),
    ("CHERRY_PICK_HEAD", "cherry-pick"),
    ("REVERT_HEAD", "revert"),
)


@dataclass(frozen=True)
class GitState:
    """What git is in the middle of, and what is wrong, in the workspace's repository."""

    operation: str | None = None  # "merge", "rebase", "cherry-pick", "revert"
    conflicted: tuple[str, ...] = ()  # files sop reads that hold a git conflict (relative to the workspace)
    tracked_local: tuple[str, ...] = ()  # local-only folders that git tracks (.sop-cache, .venv, …)
    interrupted_sync: bool = False  # a `sop sync` was killed: the next one repairs it
    git_missing: bool = False  # a repository, but no git on this computer: sop works, nothing is shared

    @property
    def ok(self) -> bool:
        """No merge or rebase in progress and no conflict in a file sop reads."""
        return self.operation is None and not self.conflicted

    def problems(self) -> list[str]:
        """One sentence per reason that stops sop from writing, with the command that resolves it."""
        found = []
        if self.operation:
            found.append(
                _(
                    "git is in the middle of a {operation} (a git conflict): run `sop sync --abort` to put "
                    "everything back as it was before it, then `sop sync`"
                ).format(operation=self.operation)
            )
        for name in self.conflicted:
            found.append(
                _(
                    "{file} has a git conflict (lines between <<<<<<< and >>>>>>>): run `sop sync --abort` if "
                    "a merge is in progress; otherwise open the file, keep the side you want and delete the "
                    "marker lines, then run `sop check`"
                ).format(file=name)
            )
        return found

    def warnings(self) -> list[str]:
        """One sentence per local folder that git tracks but must not share, and when git is missing."""
        found = [
            _(
                "{folder}/ is tracked by git, but it belongs to this computer only: run `sop sync --untrack` "
                "to stop sharing it (nothing in it is deleted from this computer)"
            ).format(folder=name)
            for name in self.tracked_local
        ]
        if self.git_missing:
            found.append(_("this folder is a git repository but git is not installed: nothing is committed or shared"))
        return found


def operation_in_progress(repo: Repo) -> str | None:
    """The git operation left unfinished in this copy (merge, rebase, …), or None."""
    for name, operation in _OPERATIONS:
        if (repo.git_dir / name).exists():
            return operation
    return None


def has_conflict_markers(data: bytes) -> bool:
    """Whether `data` holds a block of git conflict markers (<<<<<<< … >>>>>>> at the start of lines)."""
    return b"<<<<<<<" in data and _CONFLICT_MARKERS.search(data) is not None


def _files_sop_reads(ws: Workspace) -> list[Path]:
    # The few hand-edited files; records are checked through git's unmerged entries and the loader.
    found = [ws.root / name for name in READ_FILES]
    for folder in ("sops", "calendar", "templates"):
        base = ws.root / folder
        if base.is_dir():
            found += sorted(p for p in base.rglob("*") if p.is_file())
    return found


def git_state(ws: Workspace) -> GitState:
    """What stands in the way of writing: a merge or rebase in progress, conflicts, tracked local folders."""
    repo = find_repo(ws)
    if repo is None:
        return GitState()
    operation = operation_in_progress(repo)
    shown: set[str] = set()
    for path in _files_sop_reads(ws):
        with contextlib.suppress(OSError):
            if path.stat().st_size < 5 * 1024 * 1024 and has_conflict_markers(path.read_bytes()):
                shown.add(ws.relative(path).replace("\\", "/"))
    interrupted = (repo.git_dir / SYNC_MARKER_FILE).exists()
    try:
        read = [repo.rel(f) for f in READ_FOLDERS + READ_FILES]
        unmerged = run_git(repo.top, ["ls-files", "-u", "-z", "--", *read]).stdout
        tracked = run_git(repo.top, ["ls-files", "-z", "--", *(repo.rel(f) for f in LOCAL_ONLY)]).stdout
    except GitMissingError:
        return GitState(operation, tuple(sorted(shown)), (), interrupted, git_missing=True)
    shown |= {e.split("\t", 1)[1].removeprefix(repo.prefix) for e in unmerged.split("\0") if "\t" in e}
    local = sorted({p.removeprefix(repo.prefix).split("/", 1)[0] for p in tracked.split("\0") if p})
    return GitState(operation, tuple(sorted(shown)), tuple(local), interrupted)


def require_clean_git_state(ws: Workspace) -> list[str]:
    """Refuse to write during a merge or rebase or with a conflict in a file sop reads; return warnings."""
    state = git_state(ws)
    problems = state.problems()
    if problems:
        raise GitConflictError(problems[0])
    return state.warnings()


# --- the office's server: fetch, push --------------------------------------------------------


class PushOutcome(StrEnum):
    """What the server said to a push."""

    SENT = "sent"
    BEHIND = "behind"  # someone else sent first: fetch and replay, then try again
    REFUSED = "refused"  # the server's hook refused it (the reason is in `detail`)
    OFFLINE = "offline"


@dataclass(frozen=True)
class Pushed:
    """The outcome of a push and git's words about it."""

    outcome: PushOutcome
    detail: str = ""


def _network_env() -> dict[str, str]:
    # A hook on a server reached by path runs on this computer: it finds sop's Python through this.
    import sys

    return {"SOP_PYTHON": sys.executable}


def fetch(repo: Repo, up: Upstream) -> str | None:
    """Bring the server's branch into the tracking ref; return its commit (None: the server's branch is empty)."""
    try:
        done = run_git(
            repo.top,
            ["fetch", "--quiet", "--no-tags", up.remote, f"{up.remote_ref}:{up.tracking}"],
            timeout=NETWORK_TIMEOUT_S,
            check=False,
            env=_network_env(),
        )
    except GitMissingError:
        raise
    except GitError as exc:
        raise OfflineError(str(exc)) from None
    if done.returncode != 0:
        text = done.stderr
        if "couldn't find remote ref" in text:
            return None  # a new, empty server
        if "non-fast-forward" in text or "rejected" in text:
            raise GitError(
                _(
                    "the office's history on the server was rewritten ({detail}); sop never sends over it: ask "
                    "the person who set up the office's server"
                ).format(detail=last_line(text))
            )
        raise OfflineError(first_reason(text))
    return rev(repo, up.tracking)


# What a server answers when another push updated its branch while this one was received.
_LOST_RACE = ("cannot lock ref", "failed to update ref", "failed to lock")


def push(repo: Repo, up: Upstream, commit: str, ref: str | None = None) -> Pushed:
    """Send `commit` to the server's branch (or `ref`), never forcing; say whether it was taken."""
    target = ref or up.remote_ref
    try:
        done = run_git(
            repo.top,
            ["push", "--porcelain", "--quiet", up.remote, f"{commit}:{target}"],
            timeout=NETWORK_TIMEOUT_S,
            check=False,
            env=_network_env(),
        )
    except GitMissingError:
        raise
    except GitError as exc:
        return Pushed(PushOutcome.OFFLINE, str(exc))
    if done.returncode == 0:
        if ref is None:
            # Record what the server now has, as a fetch would (push updates it only for configured refspecs).
            run_git(repo.top, ["update-ref", up.tracking, commit], check=False)
        return Pushed(PushOutcome.SENT)
    status = [line for line in done.stdout.splitlines() if line.startswith("!")]
    remote = "\n".join(
        line.removeprefix("remote:").strip() for line in done.stderr.splitlines() if line.startswith("remote:")
    ).strip()
    if status and "[remote rejected]" in status[0]:
        if any(words in status[0] for words in _LOST_RACE):
            # Another push updated the branch while this one was received: behind, not refused.
            return Pushed(PushOutcome.BEHIND, status[0])
        return Pushed(PushOutcome.REFUSED, remote or status[0])
    if status and "[rejected]" in status[0]:
        return Pushed(PushOutcome.BEHIND, status[0])
    return Pushed(PushOutcome.OFFLINE, first_reason(done.stderr))


# --- replay: local commits on top of the office's ---------------------------------------------


class ReplayConflictError(GitError):
    """A local commit changes a file the office changed differently."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        super().__init__(_("{files} changed both here and on the server").format(files=", ".join(paths)))


class LocalChangesError(GitError):
    """Uncommitted changes in the working folder stand in the way of the office's changes."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        super().__init__(
            _("your unsaved changes to {files} stand in the way of the office's changes").format(files=", ".join(paths))
        )


Entry = tuple[str, str] | None  # (mode, blob) of a path in a tree, or None when absent


@dataclass
class _Change:
    old: Entry
    new: Entry
    path: str


def _changes_by_commit(repo: Repo, commits: list[str]) -> dict[str, list[_Change]]:
    listed = "\n".join(commits) + "\n"
    done = run_git(repo.top, ["diff-tree", "-z", "-r", "--root", "--no-renames", "--stdin"], input=listed)
    tokens = done.stdout.split("\0")
    found: dict[str, list[_Change]] = {c: [] for c in commits}
    current = ""
    i = 0
    while i < len(tokens):
        token = tokens[i].strip("\n")
        if token.startswith(":") and i + 1 < len(tokens):
            old_mode, new_mode, old_sha, new_sha, status = token[1:].split(" ")
            old = None if status.startswith("A") else (old_mode, old_sha)
            new = None if status.startswith("D") else (new_mode, new_sha)
            found.setdefault(current, []).append(_Change(old, new, tokens[i + 1]))
            i += 2
            continue
        if token:
            current = token
        i += 1
    return found


@dataclass(frozen=True)
class _Meta:
    name: str
    email: str
    date: str
    message: str


def _metadata(repo: Repo, commits: list[str]) -> dict[str, _Meta]:
    done = run_git(
        repo.top,
        ["log", "--stdin", "-z", "--no-walk=unsorted", "--date=raw", "--format=%H%x00%an%x00%ae%x00%ad%x00%B"],
        input="\n".join(commits) + "\n",
    )
    fields = done.stdout.split("\0")
    found = {}
    for i in range(0, len(fields) - 4, 5):
        sha = fields[i].strip("\n")
        found[sha] = _Meta(fields[i + 1], fields[i + 2], fields[i + 3], fields[i + 4])
    return found


def _tree_entries(repo: Repo, commit: str) -> dict[str, tuple[str, str]]:
    done = run_git(repo.top, ["ls-tree", "-r", "-z", "--full-tree", commit])
    entries = {}
    for line in done.stdout.split("\0"):
        if "\t" in line:
            info, path = line.split("\t", 1)
            mode, _kind, sha = info.split(" ")
            entries[path] = (mode, sha)
    return entries


def replay(repo: Repo, onto: str, commits: list[str]) -> str:
    """Replay `commits` (oldest first) on top of `onto` without touching the working folder; return the tip.

    A commit whose changes the office already has is dropped; a change to a file the office
    changed differently raises `ReplayConflictError` and creates nothing that matters.
    """
    changes = _changes_by_commit(repo, commits)
    meta = _metadata(repo, commits)
    current: dict[str, Entry] = dict(_tree_entries(repo, onto))
    parent = onto
    with _temporary_index(repo) as index:
        env = {"GIT_INDEX_FILE": str(index)}
        run_git(repo.top, ["read-tree", onto], env=env)
        for commit in commits:
            updates: list[str] = []
            conflicts: list[str] = []
            for change in changes.get(commit, []):
                here = current.get(change.path)
                if here == change.new:
                    continue  # the office has it already
                if here != change.old:
                    conflicts.append(change.path)
                    continue
                current[change.path] = change.new
                mode, sha = change.new if change.new else ("0", ZERO_COMMIT)
                updates.append(f"{mode} {sha}\t{change.path}")
            if conflicts:
                raise ReplayConflictError(sorted(conflicts))
            if not updates:
                continue
            run_git(repo.top, ["update-index", "-z", "--index-info"], env=env, input="\0".join(updates) + "\0")
            tree = _out(repo, "write-tree", env=env)
            m = meta[commit]
            author = {"GIT_AUTHOR_NAME": m.name, "GIT_AUTHOR_EMAIL": m.email, "GIT_AUTHOR_DATE": m.date}
            parent = _commit_tree(repo, tree, parent, m.message, {**env, **author})
    return parent


def read_blobs(repo: Repo, commit: str, paths: Sequence[str]) -> dict[str, bytes]:
    """The bytes of `paths` as they are in `commit`, read in one `git cat-file --batch`."""
    if not paths:
        return {}
    request = "".join(f"{commit}:{path}\n" for path in paths).encode("utf-8", "surrogateescape")
    try:
        done = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=repo.top,
            input=request,
            capture_output=True,
            env=_environment(None),
            timeout=LOCAL_TIMEOUT_S,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(_("git cat-file failed: {detail}").format(detail=exc)) from None
    found, data, at = {}, done.stdout, 0
    for path in paths:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[path] = data[at : at + size]
            at += size + 1
    return found


def ahead_behind(repo: Repo, local: str, remote: str) -> tuple[int, int]:
    """How many commits `local` has that `remote` lacks, and the other way round."""
    out = _out(repo, "rev-list", "--left-right", "--count", f"{local}...{remote}")
    ahead, behind = out.split()
    return int(ahead), int(behind)


def local_commits(repo: Repo, base: str, head: str) -> list[str]:
    """The commits of `head` that `base` lacks, oldest first; merges are left out (their changes are in the others)."""
    out = _out(repo, "rev-list", "--reverse", "--topo-order", "--no-merges", f"{base}..{head}")
    return out.split()


def changed_paths(repo: Repo, old: str, new: str, *pathspec: str) -> list[tuple[str, str]]:
    """(status letter, path) of every file that differs between two commits (A, M, D, T), under `pathspec`."""
    args = ["diff-tree", "-r", "-z", "--no-renames", "--name-status", old, new]
    if pathspec:
        args += ["--", *pathspec]
    tokens = run_git(repo.top, args).stdout.split("\0")
    return [(tokens[i][:1], tokens[i + 1]) for i in range(0, len(tokens) - 1, 2) if tokens[i]]


def move_to(repo: Repo, new: str) -> None:
    """Move the branch and the working folder to `new`, keeping uncommitted changes; refuse if one is in the way."""
    done = run_git(repo.top, ["reset", "-q", "--keep", new], check=False)
    if done.returncode == 0:
        return
    head = rev(repo, "HEAD") or new
    touched = {path for _s, path in changed_paths(repo, head, new)}
    status = run_git(repo.top, ["status", "--porcelain", "-z", "-uall", "--no-renames"]).stdout
    mine = sorted(e[3:] for e in status.split("\0") if len(e) > 3 and e[3:] in touched)
    if not mine:
        raise GitError(_("could not bring in the office's changes: {detail}").format(detail=last_line(done.stderr)))
    raise LocalChangesError([p.removeprefix(repo.prefix) for p in mine])


# --- a sync interrupted: the marker and its repair -----------------------------------------------


def write_marker(repo: Repo, data: Mapping[str, str | None]) -> None:
    """Note what a sync is about to do, so that the next one can repair it if this one is killed."""
    from sop_cli.storage.atomic import write_text_atomic

    write_text_atomic(repo.git_dir / SYNC_MARKER_FILE, json.dumps(dict(data)))


def read_marker(repo: Repo) -> dict[str, str | None] | None:
    """What an interrupted sync noted, or None when the last sync finished."""
    try:
        data = json.loads((repo.git_dir / SYNC_MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def clear_marker(repo: Repo) -> None:
    """Forget the notes of a sync: it finished, or its repair is done."""
    with contextlib.suppress(FileNotFoundError):
        (repo.git_dir / SYNC_MARKER_FILE).unlink()


def _stale_locks(repo: Repo, since: float) -> list[Path]:
    common = repo.git_dir
    commondir = repo.git_dir / "commondir"
    if commondir.is_file():
        common = (repo.git_dir / commondir.read_text(encoding="utf-8").strip()).resolve()
    found = [repo.git_dir / "index.lock", repo.git_dir / "HEAD.lock", common / "packed-refs.lock"]
    refs = common / "refs"
    if refs.is_dir():
        found += list(refs.rglob("*.lock"))
    return [p for p in found if p.is_file() and p.stat().st_mtime >= since - 2]


def repair_interrupted_sync(repo: Repo) -> bool:
    """Undo what a killed `sop sync` left half done; return whether there was anything to repair.

    The caller holds the records lock, so no other sop process is at work in this copy: the
    locks git left behind since the killed sync started are stale, and a working folder half
    moved to the office's commits is put back, file by file, to the commit the branch still names.
    """
    repair_interrupted_commit(repo)
    marker = read_marker(repo)
    for leftover in repo.git_dir.glob(f"{TEMP_INDEX_PREFIX}*"):
        with contextlib.suppress(OSError):
            leftover.unlink()
    if marker is None:
        return False
    started = float(marker.get("started") or 0)
    for lock in _stale_locks(repo, started):
        with contextlib.suppress(OSError):
            lock.unlink()
    old, new = marker.get("old"), marker.get("new")
    head = rev(repo, "HEAD")
    if old and new and head == old and new != old:
        _undo_half_move(repo, old, new)
    clear_marker(repo)
    return True


def _hashes(repo: Repo, paths: list[str]) -> dict[str, str]:
    present = [p for p in paths if (repo.top / p).is_file()]
    if not present:
        return {}
    out = _out(repo, "hash-object", "--stdin-paths", input="\n".join(present) + "\n")
    return dict(zip(present, out.split(), strict=True))


def _undo_half_move(repo: Repo, old: str, new: str) -> None:
    # The branch still names `old`: every file of the move that already holds `new`'s content goes back.
    touched = [path for _s, path in changed_paths(repo, old, new)]
    before = _tree_entries(repo, old)
    after = _tree_entries(repo, new)
    on_disk = _hashes(repo, touched)
    back: list[str] = []
    gone: list[str] = []
    for path in touched:
        here = on_disk.get(path)
        if here is None:
            if path in before and path not in after:
                back.append(path)  # the move had deleted it
            continue
        if path in before and here == before[path][1]:
            continue
        if path in after and here == after[path][1]:
            (back if path in before else gone).append(path)
        elif path not in before and path.removeprefix(repo.prefix).startswith(tuple(f"{f}/" for f in SOP_FOLDERS)):
            gone.append(path)  # an office record git had begun to write: its name is the office's, not ours
    for path in gone:
        (repo.top / path).unlink()
    if back:
        run_git(repo.top, ["--literal-pathspecs", "checkout", old, "--", *back])
    if back or gone:
        run_git(repo.top, ["--literal-pathspecs", "reset", "-q", old, "--", *back, *gone], check=False)
    run_git(repo.top, ["update-index", "-q", "--refresh"], check=False)


# --- this copy: what is not sent yet, the last sync -------------------------------------------


def record_sync(repo: Repo, moment: dt.datetime) -> None:
    """Remember when this copy was last in step with the office (in the git folder, not shared)."""
    from sop_cli.storage.atomic import write_text_atomic

    write_text_atomic(repo.git_dir / LAST_SYNC_FILE, moment.isoformat(timespec="seconds") + "\n")


def last_sync(repo: Repo) -> dt.datetime | None:
    """When this copy was last in step with the office, or None."""
    try:
        return dt.datetime.fromisoformat((repo.git_dir / LAST_SYNC_FILE).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Unsent:
    """What this copy has that the office's server does not, and when it last synced."""

    commits: int  # commits not on the server
    files: int  # files sop wrote that are not committed yet
    last_sync: dt.datetime | None
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Changes not sent: commits, and files not committed yet."""
        return self.commits + self.files


def unsent_changes(ws: Workspace) -> Unsent | None:
    """What is not sent to the office yet (one quick `git status`), or None without git or a server."""
    repo = find_repo(ws)
    if repo is None:
        return None
    try:
        done = run_git(
            repo.top,
            ["status", "--porcelain=v2", "--branch", "-z", "-uall", "--no-renames", "--", *map(repo.rel, SOP_FOLDERS)],
            check=False,
        )
    except GitError:
        return None
    if done.returncode != 0:
        return None
    commits, files, upstream, counted = 0, 0, False, False
    for entry in done.stdout.split("\0"):
        if entry.startswith("# branch.upstream"):
            upstream = True
        elif entry.startswith("# branch.ab "):
            commits, counted = int(entry.split()[2].lstrip("+")), True
        elif entry and not entry.startswith("#") and entry[0] in "12?u":
            files += 1
    if not upstream and not _remotes(repo):
        return None
    if not counted:
        # No copy of the server's branch yet (a new server, or never fetched): every commit is unsent.
        head = rev(repo, "HEAD")
        commits = int(_out(repo, "rev-list", "--count", head)) if head else 0
    return Unsent(commits, files, last_sync(repo))


def describe_unsent(unsent: Unsent) -> str:
    """The line `sop status` ends with: how many changes are not sent yet, and when the last sync was."""
    when = (
        _("last sync {date} {time}").format(
            date=format_short(unsent.last_sync.date()), time=unsent.last_sync.strftime("%H:%M")
        )
        if unsent.last_sync
        else _("never synced")
    )
    if unsent.total == 0:
        return _("everything is sent to the office · {when}").format(when=when)
    return ngettext(
        "{count} change not sent yet · {when} (run `sop sync`)",
        "{count} changes not sent yet · {when} (run `sop sync`)",
        unsent.total,
    ).format(count=unsent.total, when=when)


# --- a claim: one commit pushed at once, or given back --------------------------------------------


class ClaimOutcome(StrEnum):
    """What became of a claim."""

    CLAIMED = "claimed"  # on the office's server: the number is ours
    TAKEN = "taken"  # the server had moved on; this copy now has its changes: take the next free number
    OFFLINE = "offline"  # the server could not be reached: nothing was committed
    LOCAL = "local"  # no office server (or no git): committed here only (None without git)


@dataclass(frozen=True)
class Claim:
    """The outcome of `push_claim`, the commit when there is one, and git's words."""

    outcome: ClaimOutcome
    commit: str | None = None
    detail: str = ""


def push_claim(ws: Workspace, paths: Iterable[Path], message: str, author: Author | None = None) -> Claim:
    """Commit `paths` and send the commit to the office's server at once: the claim holds only if it arrives.

    CLAIMED: the server has it. TAKEN: someone sent first; the commit was taken back (the files stay
    in the folder, uncommitted), the office's changes are now here, so recompute the number and
    claim again. OFFLINE: the server could not be reached; the commit was taken back. LOCAL: the
    workspace has no server (the commit stays) or no git (nothing committed).
    """
    repo = find_repo(ws)
    if repo is None:
        return Claim(ClaimOutcome.LOCAL)
    wanted = list(paths)
    up = upstream_of(repo)
    if up is None:
        return Claim(ClaimOutcome.LOCAL, commit_paths(ws, wanted, message, author))
    before = rev(repo, "HEAD")
    commit = commit_paths(ws, wanted, message, author)
    if commit is None:
        raise GitError(_("nothing to claim: the files are already committed as they are"))
    sent = push(repo, up, commit)
    if sent.outcome is PushOutcome.SENT:
        return Claim(ClaimOutcome.CLAIMED, commit)
    _take_back(repo, commit, before, workspace_paths(repo, wanted))
    if sent.outcome is PushOutcome.OFFLINE:
        return Claim(ClaimOutcome.OFFLINE, None, sent.detail)
    if sent.outcome is PushOutcome.REFUSED:
        raise GitError(_("the office's server refused the claim: {reason}").format(reason=sent.detail))
    tip = fetch(repo, up)
    if tip is not None:
        bring_in(repo, tip)
    return Claim(ClaimOutcome.TAKEN, None, sent.detail)


def _take_back(repo: Repo, commit: str, before: str | None, rels: list[str]) -> None:
    # Never sent, so taking it back rewrites nothing anyone else has.
    if before is None:
        run_git(repo.top, ["update-ref", "-d", "HEAD", commit])
    else:
        run_git(repo.top, ["update-ref", "HEAD", before, commit])
    run_git(repo.top, ["--literal-pathspecs", "reset", "-q", "--", *rels], check=False)


def bring_in(repo: Repo, tip: str) -> str:
    """Put this copy's unsent commits on top of the office's `tip` and move the working folder there; return HEAD."""
    head = rev(repo, "HEAD")
    if head is None:
        move_to(repo, tip)
        return tip
    ahead, behind = ahead_behind(repo, head, tip)
    if behind == 0:
        return head
    new = tip if ahead == 0 else replay(repo, tip, local_commits(repo, tip, head))
    if new != head:
        # The same notes as `sop sync`: if this is killed half way, the next sync puts it right.
        write_marker(repo, {"started": str(time.time()), "old": head, "new": new})
        move_to(repo, new)
        clear_marker(repo)
    return new
