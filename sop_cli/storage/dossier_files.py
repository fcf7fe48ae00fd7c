"""The dossier's files: its manifest, the folder built beside its target and renamed, its zip, and reading them back.

Reading is bounded: only regular files are opened (a link, FIFO or device in a dossier is a
problem, never followed), a file is hashed in chunks, the manifest is read up to a cap, and a
zip entry's declared size and compression ratio are checked before a byte of it is inflated.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.storage.paths import UnreadableFile, read_regular

MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
SSH_SIGNATURE = "manifest.json.sig"
GPG_SIGNATURE = "manifest.json.asc"
# Files about the manifest, written after it: not listed in it.
ABOUT_MANIFEST = (MANIFEST, MANIFEST_HASH, SSH_SIGNATURE, GPG_SIGNATURE)
FILES = "files"
DOSSIER_KIND = "sop-dossier"
DOSSIER_SCHEMA_VERSION = 1  # of manifest.json
_CHUNK = 1 << 20
# A manifest lists a few hundred files (about 200 bytes each): 32 MB is far beyond any real one.
MAX_MANIFEST_BYTES = 32 << 20
MAX_SMALL_BYTES = 64 << 10  # manifest.sha256 and the signatures
# The largest evidence file sop.toml allows is 2 GB; a zip entry declaring more is not sop's.
MAX_ENTRY_BYTES = 2 << 30
# Deflate packs at most about 1000:1; documents and PDFs far less. An entry of some size that
# claims more than this is a zip bomb, not evidence.
MAX_RATIO, RATIO_FROM = 200, 16 << 20
MAX_ENTRIES = 100_000

Found = dict[str, tuple[int, str]]  # path in the dossier -> (size, SHA-256)


def canonical(data: dict[str, Any]) -> bytes:
    """The manifest's canonical JSON (sorted keys, no spaces): what `self_sha256` is the hash of."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest(stream: IO[bytes]) -> tuple[str, int]:
    """SHA-256 and size of a stream, read in chunks."""
    sha, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


def _open_regular(path: Path) -> IO[bytes]:
    # Without waiting (a FIFO), then only if the opened file is a regular one (no race with a swap).
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    stream = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
        stream.close()
        raise UnreadableFile(_("not a regular file"))
    return stream


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return _("a symbolic link")
    if stat.S_ISFIFO(mode):
        return _("a pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


@dataclass
class FolderContents:
    """What a dossier folder holds: regular files hashed, everything else named as a problem."""

    found: Found = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)
    odd: list[str] = field(default_factory=list)  # "name: a symbolic link", one line each


def folder_contents(folder: Path, *, hash_files: bool = True) -> FolderContents:
    """Walk `folder` without following links: hash each regular file, name everything else."""
    contents = FolderContents()
    pending = [folder]
    while pending:
        current = pending.pop()
        with os.scandir(current) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                path = Path(entry.path)
                name = path.relative_to(folder).as_posix()
                mode = entry.stat(follow_symlinks=False).st_mode
                if stat.S_ISDIR(mode):
                    contents.folders.add(name)
                    pending.append(path)
                elif not stat.S_ISREG(mode):
                    contents.odd.append(_("{name}: {kind}, not a regular file").format(name=name, kind=_kind(mode)))
                elif name in ABOUT_MANIFEST:
                    continue
                elif hash_files:
                    try:
                        with _open_regular(path) as stream:
                            contents.found[name] = digest(stream)[::-1]
                    except (OSError, UnreadableFile) as exc:
                        contents.odd.append(_("{name}: cannot be read ({reason})").format(name=name, reason=exc))
                else:
                    contents.found[name] = (0, "")
    return contents


def read_small(folder: Path, name: str, limit: int) -> bytes | None:
    """A file of the dossier (the manifest, its hash, a signature) read up to `limit`, or None if absent.

    Raises `UnreadableFile` when it is not a regular file or is larger than `limit`.
    """
    path = folder / name
    if not os.path.lexists(path):
        return None
    if path.is_symlink():
        raise UnreadableFile(_("a symbolic link, not a regular file"))
    try:
        return read_regular(path, limit)
    except FileNotFoundError:
        return None


def parse_manifest(data: bytes) -> tuple[dict[str, Any], Found] | None:
    """The manifest and its listed files (path -> (size, SHA-256)), or None when it is not a manifest."""
    try:
        manifest = json.loads(data)
        listed = {str(f["path"]): (int(f["size"]), str(f["sha256"])) for f in manifest["files"]}
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    return (manifest, listed) if isinstance(manifest, dict) else None


def write_manifest(folder: Path, fields: dict[str, Any]) -> str:
    """Write manifest.json (every file of `folder` with size and SHA-256) and manifest.sha256; return its SHA-256."""
    from sop_cli.storage.atomic import write_bytes_atomic

    contents = folder_contents(folder)
    files = [{"path": name, "size": size, "sha256": sha} for name, (size, sha) in sorted(contents.found.items())]
    manifest: dict[str, Any] = {
        "kind": DOSSIER_KIND,
        "schema_version": DOSSIER_SCHEMA_VERSION,
        **fields,
        "files": files,
    }
    manifest["self_sha256"] = hashlib.sha256(canonical(manifest)).hexdigest()
    text = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    write_bytes_atomic(folder / MANIFEST, text)
    sha = hashlib.sha256(text).hexdigest()
    write_bytes_atomic(folder / MANIFEST_HASH, f"{sha}  {MANIFEST}\n".encode())
    return sha


def foreign_content(folder: Path) -> str | None:
    """Why `folder` is not a dossier sop wrote and nothing else (so it must not be replaced), or None.

    Its manifest must say `kind: sop-dossier`, and every file and folder in it must be one the
    manifest lists (or the manifest's own hash and signatures).
    """
    try:
        data = read_small(folder, MANIFEST, MAX_MANIFEST_BYTES)
    except (OSError, UnreadableFile):
        data = None
    parsed = parse_manifest(data) if data is not None else None
    if parsed is None or parsed[0].get("kind") != DOSSIER_KIND:
        return _("it holds no manifest.json of kind {kind}").format(kind=DOSSIER_KIND)
    listed = set(parsed[1])
    contents = folder_contents(folder, hash_files=False)
    if contents.odd:
        return _("it holds {what}").format(what=contents.odd[0])
    parents = {str(p) for name in listed for p in PurePosixPath(name).parents if str(p) != "."}
    extra = sorted((set(contents.found) - listed) | (contents.folders - parents))
    if extra:
        return _("it holds {name}, which its manifest does not list").format(name=extra[0])
    return None


def umask_mode(mode: int) -> int:
    """`mode` less the umask: what a plainly created file or folder would get."""
    # mkdtemp and mkstemp create 0700 folders and 0600 files: colleagues on a shared drive need
    # the permissions the umask gives anything else.
    umask = os.umask(0)
    os.umask(umask)
    return mode & ~umask


@contextlib.contextmanager
def building(out_dir: Path) -> Iterator[Path]:
    """A temporary folder beside `out_dir`, renamed onto it when the block succeeds, removed if not."""
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".tmp-{out_dir.name}-"))
    tmp.chmod(umask_mode(0o777))
    try:
        yield tmp
        old = None
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".old-{out_dir.name}-"))
            out_dir.replace(old / "dossier")
        tmp.replace(out_dir)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def write_zip(folder: Path, archive: Path) -> None:
    """Zip the folder (its files under the folder's name) into a temporary file, then rename it."""
    fd, name = tempfile.mkstemp(dir=archive.parent, prefix=".tmp-", suffix=".zip")
    os.close(fd)
    tmp = Path(name)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    z.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
        tmp.chmod(umask_mode(0o666))
        tmp.replace(archive)
    finally:
        tmp.unlink(missing_ok=True)


# --- a zip of a dossier, read back without extracting --------------------------------------------


@dataclass
class ZipContents:
    """What a dossier's zip holds: entries hashed, the manifest's small files read, and every odd entry named."""

    found: Found = field(default_factory=dict)
    small: dict[str, bytes | str] = field(default_factory=dict)  # the manifest's files, or why they are not read
    odd: list[str] = field(default_factory=list)


def _outside_name(name: str) -> bool:
    return name.startswith("/") or "\\" in name or ".." in PurePosixPath(name).parts or name[1:2] == ":"


def _entry_problem(info: zipfile.ZipInfo, name: str) -> str | None:
    """Why an entry is not read (checked before a byte of it is inflated), or None."""
    mode = info.external_attr >> 16
    if _outside_name(info.filename):
        return _("an entry that points outside the dossier (absolute, \\ or ..)")
    if mode and stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        return _("{kind}, not a regular file").format(kind=_kind(mode))
    limit = MAX_MANIFEST_BYTES if name == MANIFEST else MAX_SMALL_BYTES if name in ABOUT_MANIFEST else MAX_ENTRY_BYTES
    if info.file_size > limit:
        return _("declares {size} bytes, more than a dossier holds; not read").format(size=info.file_size)
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return _("packs {size} bytes into {packed}, as a zip bomb does; not read").format(
            size=info.file_size, packed=info.compress_size
        )
    return None


def zip_contents(archive: Path) -> ZipContents:
    """Read a dossier's zip entry by entry, within the caps; raise `UnreadableFile` when it is no zip at all."""
    contents = ZipContents()
    try:
        z = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableFile(_("the zip is damaged ({reason})").format(reason=exc)) from None
    with z:
        infos = [i for i in z.infolist() if not i.is_dir()]
        if len(infos) > MAX_ENTRIES:
            raise UnreadableFile(_("it holds {count} entries; not a dossier sop wrote").format(count=len(infos)))
        # The dossier's own folder name, when every entry is under one (entries that point
        # outside are reported on their own and do not count).
        plain = [i.filename for i in infos if not _outside_name(i.filename)]
        tops = {name.split("/", 1)[0] for name in plain}
        prefix = f"{tops.pop()}/" if len(tops) == 1 and all("/" in name for name in plain) else ""
        seen: set[str] = set()
        for info in infos:
            name = info.filename.removeprefix(prefix)
            problem = _entry_problem(info, name)
            if name in seen:
                # Extractors disagree on which copy they show: the dossier is ambiguous.
                problem = _("in the zip twice; extractors disagree on which copy they show")
            seen.add(name)
            if problem is not None:
                if name in ABOUT_MANIFEST and name not in contents.small:
                    contents.small[name] = problem  # reported as the manifest's problem, not as "missing"
                else:
                    contents.odd.append(f"{info.filename if _outside_name(info.filename) else name}: {problem}")
                continue
            try:
                with z.open(info) as stream:
                    if name in ABOUT_MANIFEST:
                        contents.small[name] = stream.read(info.file_size + 1)
                    else:
                        contents.found[name] = digest(stream)[::-1]
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
                contents.odd.append(_("{name}: the zip is damaged here ({reason})").format(name=name, reason=exc))
    return contents


Small = dict[str, bytes | str | None]  # the manifest's files: bytes, absent (None), or why unreadable (str)


def dossier_contents(path: Path) -> tuple[Found, list[str], Small]:
    """What a dossier folder or zip holds: its files, the odd entries, and the manifest's small files."""
    if not os.path.lexists(path):
        raise SopError(_("{path} does not exist").format(path=path))
    if path.is_dir():
        contents = folder_contents(path)
        small: Small = {}
        for name, limit in ((MANIFEST, MAX_MANIFEST_BYTES), (MANIFEST_HASH, MAX_SMALL_BYTES)):
            small[name] = _read(path, name, limit)
        for name in (SSH_SIGNATURE, GPG_SIGNATURE):
            small[name] = _read(path, name, MAX_SMALL_BYTES)
        return contents.found, contents.odd, small
    if path.is_file() and zipfile.is_zipfile(path):
        try:
            archive = zip_contents(path)
        except UnreadableFile as exc:
            raise SopError(f"{path}: {exc}") from None
        return archive.found, archive.odd, dict(archive.small)
    raise SopError(_("{path} is neither a dossier folder nor a zip of one").format(path=path))


def _read(folder: Path, name: str, limit: int) -> bytes | str | None:
    try:
        return read_small(folder, name, limit)
    except (OSError, UnreadableFile) as exc:
        return str(exc)
