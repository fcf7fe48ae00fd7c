"""Read the language a workspace asks for (`[ui] lang` in `sop.toml`) before anything heavy is imported."""

from __future__ import annotations

from pathlib import Path

SETTINGS_FILE = "sop.toml"


def workspace_language(root: Path) -> str | None:
    """The `[ui] lang` value of the workspace at `root`, or None when it sets none or cannot be read.

    The language is needed before the first word is printed, so this reads the file without the
    settings model (pydantic costs every command tens of milliseconds); a wrong value is reported
    by `sop check`, with its line, like every other key of the file.
    """
    path = root / SETTINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if "lang" not in text:  # most files set no language: skip the TOML parser
        return None
    import tomllib

    try:
        ui = tomllib.loads(text).get("ui", {})
    except tomllib.TOMLDecodeError:
        return None
    value = ui.get("lang") if isinstance(ui, dict) else None
    return value if isinstance(value, str) else None


def find_root(start: Path | None, override: str | None) -> Path | None:
    """The workspace folder `--root`/`$SOP_ROOT` names, else the nearest folder above `start` with sops/."""
    if override:
        return Path(override).expanduser()
    if start is None:
        return None
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "sops").is_dir():
            return folder
    return None
