"""The git layer: exact commits, Thai messages, states, claims on the server, the status line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from sop_cli.loading.yaml_files import load_model
from sop_cli.models.register import RegisterEntry, Series
from sop_cli.models.settings import Settings
from sop_cli.storage import git as g
from sop_cli.storage.git import Author, ClaimOutcome
from sop_cli.storage.register import entry_yaml, next_number
from sop_cli.thai_calendar import BANGKOK
from sop_cli.workspace import Workspace
from tests.sharing.conftest import Office, git, head, ok, sop_in

ME = Author("นันทนา จันทร์ฝั้น", "nanthana@users.sop.invalid")


@pytest.fixture
def repo(tmp_path: Path) -> Workspace:
    """A workspace folder that is a git repository with one commit (sops/ and a README)."""
    root = tmp_path / "ws"
    (root / "sops").mkdir(parents=True)
    (root / "sops" / "staff.yaml").write_text("x: 1\n", encoding="utf-8")
    (root / "README.md").write_text("hello\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    return Workspace(root)


def committed_files(root: Path, rev: str = "HEAD") -> list[str]:
    """The files a commit changed."""
    return git(root, "show", "--name-only", "--format=", rev).split()


def test_commit_paths_commits_exactly_the_files_given(repo: Workspace) -> None:
    """Only the named files are committed: someone's staged change stays staged, their edit stays unstaged."""
    root = repo.root
    (root / "README.md").write_text("staged by hand\n", encoding="utf-8")
    git(root, "add", "README.md")
    (root / "sops" / "staff.yaml").write_text("x: 2\n", encoding="utf-8")  # changed, not staged
    event = root / "records" / "2570" / "01-abcd" / "events" / "e1-นันทนา.yaml"
    event.parent.mkdir(parents=True)
    event.write_text("type: note\n", encoding="utf-8")
    (root / "stray.txt").write_text("untracked\n", encoding="utf-8")

    commit = g.commit_paths(repo, [event], "นันทนา: บันทึก\n", ME)

    assert commit == head(root)
    assert committed_files(root) == ["records/2570/01-abcd/events/e1-นันทนา.yaml"]
    assert git(root, "log", "-1", "--format=%an <%ae>|%cn|%s") == f"{ME.name} <{ME.email}>|{ME.name}|นันทนา: บันทึก\n"
    status = git(root, "status", "--porcelain", "-uall").splitlines()
    assert status == ["M  README.md", " M sops/staff.yaml", "?? stray.txt"]
    assert git(root, "diff", "--cached", "README.md").count("+staged by hand") == 1


def test_commit_paths_commits_a_deletion_and_says_none_when_nothing_changed(repo: Workspace) -> None:
    """A deleted file is committed as deleted; committing files already committed as they are gives None."""
    root = repo.root
    (root / "README.md").unlink()
    assert g.commit_paths(repo, [root / "README.md"], "ลบ\n", ME) is not None
    assert git(root, "show", "--name-status", "--format=", "HEAD").split() == ["D", "README.md"]
    assert g.commit_paths(repo, [root / "README.md"], "ลบอีก\n", ME) is None
    assert git(root, "status", "--porcelain") == ""


def test_without_git_nothing_is_committed_and_nothing_fails(tmp_path: Path) -> None:
    """A workspace outside git: no commit, no claim, no status line, no state to refuse."""
    ws = Workspace(tmp_path)
    (tmp_path / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    assert not g.is_repository(ws)
    assert g.commit_paths(ws, [tmp_path / "a.yaml"], "x\n", ME) is None
    assert g.push_claim(ws, [tmp_path / "a.yaml"], "x\n", ME).outcome is ClaimOutcome.LOCAL
    assert g.unsent_changes(ws) is None
    assert g.require_clean_git_state(ws) == []


def test_commit_message_names_person_event_procedure_and_step() -> None:
    """The Thai message says who did what, in which procedure and step, with the detail below."""
    message = g.commit_message("นันทนา จันทร์ฝั้น", "step_completed", 2, 6, "ประชุมแล้ว")
    assert message == "นันทนา จันทร์ฝั้น: ทำขั้นตอนเสร็จ งานที่ 2 ขั้นตอนที่ 6\n\nประชุมแล้ว\n"
    assert g.commit_message("เสาวลักษณ์", "voided", 3) == "เสาวลักษณ์: ยกเลิกเหตุการณ์ งานที่ 3\n"
    assert g.commit_message("ก", "ออกเลขพิเศษ") == "ก: ออกเลขพิเศษ\n"


def test_a_merge_in_progress_stops_writes_and_names_the_file_and_the_command(repo: Workspace) -> None:
    """Two branches change sop.toml differently; during their merge every write is refused with the way out."""
    root = repo.root
    (root / "sop.toml").write_text("[evidence]\nmax_mb = 50\n", encoding="utf-8")
    git(root, "add", "sop.toml")
    git(root, "commit", "-qm", "settings")
    git(root, "checkout", "-qb", "other")
    (root / "sop.toml").write_text("[evidence]\nmax_mb = 20\n", encoding="utf-8")
    git(root, "commit", "-qam", "other")
    git(root, "checkout", "-q", "main")
    (root / "sop.toml").write_text("[evidence]\nmax_mb = 30\n", encoding="utf-8")
    git(root, "commit", "-qam", "mine")
    git(root, "merge", "other", check=False)

    state = g.git_state(repo)
    assert state.operation == "merge"
    assert state.conflicted == ("sop.toml",)
    with pytest.raises(g.GitConflictError, match=r"merge \(a git conflict\): run `sop sync --abort`"):
        g.require_clean_git_state(repo)
    assert any("sop.toml has a git conflict" in p for p in state.problems())


def test_committed_conflict_markers_are_named_without_a_merge(repo: Workspace) -> None:
    """Markers committed by mistake in a file sop reads are found even when no merge is in progress."""
    markers = "a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> other\n"
    (repo.root / "sops" / "staff.yaml").write_text(markers, encoding="utf-8")
    state = g.git_state(repo)
    assert state.operation is None
    assert state.conflicted == ("sops/staff.yaml",)
    with pytest.raises(g.GitConflictError, match=r"sops/staff\.yaml has a git conflict"):
        g.require_clean_git_state(repo)


def test_the_yaml_loader_says_a_conflict_is_a_git_conflict(tmp_path: Path) -> None:
    """A YAML file with merge markers is reported as a git conflict at the marker's line, with the command."""
    path = tmp_path / "holidays.yaml"
    path.write_text("schema_version: 1\n<<<<<<< HEAD\nx: 1\n=======\nx: 2\n>>>>>>> theirs\n", encoding="utf-8")
    model, problems = load_model(Settings, path, "calendar/holidays.yaml")
    assert model is None
    assert [str(p) for p in problems] == [
        "calendar/holidays.yaml:2:1: git conflict: the file still holds the marker lines of a merge (<<<<<<<, "
        "=======, >>>>>>>); run `sop sync --abort` to go back to before the merge, or keep one side and delete "
        "the marker lines"
    ]


def test_a_tracked_cache_or_venv_is_warned_about(repo: Workspace) -> None:
    """A tracked .sop-cache/ or .venv/ gives a warning naming the folder and the command; nothing is refused."""
    for name in (".sop-cache/catalog.pickle", ".venv/pyvenv.cfg", "exports/2570/a.csv"):
        path = repo.root / name
        path.parent.mkdir(parents=True)
        path.write_text("x", encoding="utf-8")
    git(repo.root, "add", "-f", ".sop-cache", ".venv")
    warnings = g.require_clean_git_state(repo)
    assert warnings == [
        ".sop-cache/ is tracked by git, but it belongs to this computer only: run `sop sync --untrack` to stop "
        "sharing it (nothing in it is deleted from this computer)",
        ".venv/ is tracked by git, but it belongs to this computer only: run `sop sync --untrack` to stop "
        "sharing it (nothing in it is deleted from this computer)",
    ]


def register_file(clone: Path, number: int, tag: str) -> Path:
    """Write the register entry of outgoing number `number` as `sop memo` does, named with `tag`."""
    entry = RegisterEntry(
        schema_version=1,
        series=Series.outgoing,
        year=2569,
        number=number,
        printed=f"ศธ ๐๒๘๘/{number}",
        kind="memo",
        subject="ทดสอบ",
        issued=dt.date(2026, 11, 25),
        at=dt.datetime(2026, 11, 25, 9, 0, tzinfo=BANGKOK),
        by="nanthana",
        procedure=3,
        document=str(clone.parent / "outside.docx"),  # outside the workspace: no file to check
        sha256="0" * 64,
        size=0,
    )
    path = clone / "register" / "2569" / f"out-{number:04d}-{tag}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(entry_yaml(entry), encoding="utf-8")
    return path


def next_free(clone: Path) -> int:
    """The next outgoing number this clone can see."""
    return next_number(Workspace(clone), Series.outgoing, 2569)


def test_a_claim_holds_only_once_it_is_on_the_server(office: Office) -> None:
    """Two clones claim number 1: the first gets it; the second is told 'taken', sees it, and claims 2."""
    a, b = Workspace(office.join("nanthana")), Workspace(office.join("saowalak"))

    first = g.push_claim(a, [register_file(a.root, next_free(a.root), "aaaa")], "จอง 1\n", ME)
    assert first.outcome is ClaimOutcome.CLAIMED
    assert git(office.server, "rev-parse", "main").strip() == first.commit

    before = head(b.root)
    mine = register_file(b.root, next_free(b.root), "bbbb")
    assert mine.name == "out-0001-bbbb.yaml"
    second = g.push_claim(b, [mine], "จอง 1\n", ME)
    assert second.outcome is ClaimOutcome.TAKEN
    assert head(b.root) == first.commit != before  # the office's claim is here now, ours was taken back
    assert (b.root / "register" / "2569" / "out-0001-aaaa.yaml").is_file()
    assert git(b.root, "status", "--porcelain", "-uall") == "?? register/2569/out-0001-bbbb.yaml\n"

    mine.unlink()
    third = g.push_claim(b, [register_file(b.root, next_free(b.root), "bbbb")], "จอง 2\n", ME)
    assert third.outcome is ClaimOutcome.CLAIMED
    assert git(office.server, "ls-tree", "-r", "--name-only", "main", "register").split() == [
        "register/2569/out-0001-aaaa.yaml",
        "register/2569/out-0002-bbbb.yaml",
    ]


def test_a_claim_offline_commits_nothing(office: Office) -> None:
    """When the server cannot be reached the claim says so and leaves no commit behind."""
    a = Workspace(office.join("nanthana"))
    before = head(a.root)
    office.server.rename(office.server.with_name("away.git"))
    claim = g.push_claim(a, [register_file(a.root, 1, "aaaa")], "จอง\n", ME)
    assert claim.outcome is ClaimOutcome.OFFLINE
    assert head(a.root) == before
    assert git(a.root, "status", "--porcelain", "-uall") == "?? register/2569/out-0001-aaaa.yaml\n"


def test_a_claim_carries_earlier_unsent_commits_along(office: Office) -> None:
    """Work recorded offline is replayed under the office's newest commit before the claim is sent again."""
    a, b = Workspace(office.join("nanthana")), Workspace(office.join("saowalak"))
    ok(sop_in(b.root, "saowalak", "start", "2"))  # committed by sop, not sent
    started = git(b.root, "log", "-1", "--format=%s").strip()
    assert g.push_claim(a, [register_file(a.root, 1, "aaaa")], "จอง 1\n", ME).outcome is ClaimOutcome.CLAIMED
    assert g.push_claim(b, [register_file(b.root, 1, "bbbb")], "จอง 1\n", ME).outcome is ClaimOutcome.TAKEN
    (b.root / "register" / "2569" / "out-0001-bbbb.yaml").unlink()
    assert g.push_claim(b, [register_file(b.root, 2, "bbbb")], "จอง 2\n", ME).outcome is ClaimOutcome.CLAIMED
    on_server = git(office.server, "log", "--format=%s", "main").splitlines()
    assert on_server[:3] == ["จอง 2", started, "จอง 1"]
    assert git(office.server, "rev-list", "--merges", "--count", "main").strip() == "0"


def test_the_status_line_counts_what_is_not_sent_and_says_when_the_last_sync_was(office: Office) -> None:
    """Commits not on the server and files not committed are counted; the last sync shows in Buddhist Era."""
    a = Workspace(office.join("nanthana"))
    unsent = g.unsent_changes(a)
    assert unsent is not None and unsent.total == 0
    assert g.describe_unsent(unsent) == "everything is sent to the office · last sync 25 พ.ย. 2569 09:00"
    ok(sop_in(a.root, "nanthana", "start", "1"))
    ok(sop_in(a.root, "nanthana", "note", "1", "โทรประสานแล้ว"))
    unsent = g.unsent_changes(a)
    assert unsent is not None and (unsent.commits, unsent.files) == (2, 0)  # each command committed
    (a.root / "documents").mkdir(exist_ok=True)
    (a.root / "documents" / "scan.pdf").write_bytes(b"%PDF-1.4 by hand")  # a file nobody committed
    unsent = g.unsent_changes(a)
    assert unsent is not None and (unsent.commits, unsent.files) == (2, 1)
    repo = g.find_repo(a)
    assert repo is not None
    g.record_sync(repo, dt.datetime(2026, 12, 1, 14, 5, tzinfo=BANGKOK))
    assert g.describe_unsent(g.unsent_changes(a) or unsent) == (
        "3 changes not sent yet · last sync 1 ธ.ค. 2569 14:05 (run `sop sync`)"
    )


def test_the_status_line_is_silent_without_a_server(repo: Workspace) -> None:
    """A repository with no remote has nothing to send: no line."""
    assert g.unsent_changes(repo) is None
    assert not g.has_remote(repo)


def test_without_git_installed_sop_still_writes_and_a_commit_says_to_install_git(
    repo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repository on a computer without git: writes are not blocked (a warning says so); a commit asks for Git."""
    monkeypatch.setenv("PATH", str(repo.root / "nowhere"))
    assert shutil.which("git") is None
    assert g.require_clean_git_state(repo) == [
        "this folder is a git repository but git is not installed: nothing is committed or shared"
    ]
    with pytest.raises(g.GitMissingError, match=r"install Git \(Git for Windows on Windows\)"):
        g.commit_paths(repo, [repo.root / "README.md"], "x\n", ME)
