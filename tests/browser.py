"""Open a local page in headless Chromium: screenshot, console errors, network requests, values.

    python tests/browser.py PAGE.html SHOT.png [--width 1280] [--height 900] [--mobile]

Drives Debian's `chromium` over the DevTools protocol on a pipe (`--remote-debugging-pipe`: the
browser reads commands on fd 3 and answers on fd 4, one JSON message per NUL-terminated chunk), so
it needs nothing beyond the standard library. Every wait is bounded by one deadline. Set
$SOP_CHROMIUM to use another binary.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_ENV = "SOP_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",  # as root (CI, containers) Chromium refuses to start with its sandbox
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)
INSTALL_HINT = "install it with `apt-get install -y chromium` (Debian) or set SOP_CHROMIUM to a Chrome binary"


class BrowserError(RuntimeError):
    """Chromium is missing, failed, or did not answer in time."""


def find_chromium() -> str | None:
    """The Chromium binary: $SOP_CHROMIUM, else the first of the usual names on PATH."""
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        return chosen if Path(chosen).is_file() else shutil.which(chosen)
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageCheck:
    """What the browser saw of a page."""

    screenshot: bytes  # PNG of the whole page
    errors: list[str] = field(default_factory=list)  # console errors, exceptions, failed loads
    warnings: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # URLs asked for, besides the page itself
    values: dict[str, Any] = field(default_factory=dict)  # the evaluated expressions


class _DevTools:
    """Commands and events over the pipe, every wait bounded by `deadline`."""

    def __init__(self, proc: subprocess.Popen[bytes], deadline: float) -> None:
        self.proc, self.deadline = proc, deadline
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.events: list[dict[str, Any]] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        pending = b""
        fd = self.proc.stdout.fileno()
        while chunk := os.read(fd, 1 << 16):
            pending += chunk
            *messages, pending = pending.split(b"\0")
            for message in messages:
                self.inbox.put(json.loads(message))
        self.inbox.put(None)

    def _next(self, what: str) -> dict[str, Any]:
        left = self.deadline - time.monotonic()
        try:
            message = self.inbox.get(timeout=max(left, 0.01))
        except queue.Empty:
            raise BrowserError(f"Chromium did not answer in time (waiting for {what})") from None
        if message is None:
            raise BrowserError(f"Chromium closed the pipe while waiting for {what}")
        return message

    def send(self, method: str, params: Mapping[str, Any] | None = None, session: str | None = None) -> Any:
        """Send one command and return its result; events received meanwhile are kept."""
        self.next_id += 1
        command: dict[str, Any] = {"id": self.next_id, "method": method, "params": dict(params or {})}
        if session:
            command["sessionId"] = session
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command).encode() + b"\0")
        self.proc.stdin.flush()
        while True:
            message = self._next(method)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise BrowserError(f"{method} failed: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str) -> dict[str, Any]:
        """Wait for an event (perhaps already received) and return it."""
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            message = self._next(method)
            self.events.append(message)
            if message.get("method") == method:
                return message


def _console_text(params: Mapping[str, Any]) -> str:
    parts = [str(a.get("value", a.get("description", ""))) for a in params.get("args", [])]
    return " ".join(parts)


def _collect(events: list[dict[str, Any]], page_url: str, check: PageCheck) -> None:
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            if params.get("type") in ("error", "assert"):
                check.errors.append(f"console.{params['type']}: {_console_text(params)}")
            elif params.get("type") == "warning":
                check.warnings.append(f"console.warn: {_console_text(params)}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            check.errors.append(f"exception: {details.get('exception', {}).get('description', details.get('text'))}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            line = f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip()
            if entry.get("level") == "error":
                check.errors.append(line)
            elif entry.get("level") == "warning":
                check.warnings.append(line)
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if url != page_url and not url.startswith("data:"):
                check.requests.append(url)
        elif method == "Network.loadingFailed":
            check.errors.append(f"load failed: {params.get('errorText')}")


def check_page(
    page: Path,
    *,
    width: int = 1280,
    height: int = 900,
    mobile: bool = False,
    evaluate: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> PageCheck:
    """Open `page` at the given viewport, let it load, evaluate expressions, screenshot the whole page."""
    binary = find_chromium()
    if binary is None:
        raise BrowserError(f"Chromium was not found: {INSTALL_HINT}")
    deadline = time.monotonic() + timeout
    page_url = page.resolve().as_uri()
    profile_dir = tempfile.TemporaryDirectory(prefix="sop-chromium-", ignore_cleanup_errors=True)
    with profile_dir as profile, tempfile.TemporaryFile() as log:
        # The shell hands our pipes to Chromium as fds 3 (commands) and 4 (answers).
        args = [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"]
        shell = 'exec "$@" 3<&0 4>&1 0</dev/null 1>&2'
        # Its own process group: on failure the browser and its helpers (renderer, GPU) end together.
        proc = subprocess.Popen(
            ["sh", "-c", shell, "sh", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            start_new_session=True,
        )
        try:
            tools = _DevTools(proc, deadline)
            target = tools.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = tools.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                tools.send(f"{domain}.enable", session=session)
            metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
            tools.send("Emulation.setDeviceMetricsOverride", metrics, session)
            navigated = tools.send("Page.navigate", {"url": page_url}, session)
            if navigated.get("errorText"):
                raise BrowserError(f"Chromium could not open {page_url}: {navigated['errorText']}")
            tools.wait_for("Page.loadEventFired")
            tools.send(
                "Runtime.evaluate", {"expression": "document.fonts.ready.then(() => 1)", "awaitPromise": True}, session
            )
            check = PageCheck(b"")
            for name, expression in (evaluate or {}).items():
                answer = tools.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
                if "exceptionDetails" in answer:
                    raise BrowserError(f"evaluating {name} failed: {answer['exceptionDetails']}")
                check.values[name] = answer["result"].get("value")
            size = tools.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
            clip = {"x": 0, "y": 0, "width": width, "height": min(size["height"], 16_000), "scale": 1}
            shot = tools.send(
                "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}, session
            )
            check.screenshot = base64.b64decode(shot["data"])
            _collect(tools.events, page_url, check)
            with contextlib.suppress(BrowserError, OSError):
                tools.send("Browser.close")
            proc.wait(timeout=max(deadline - time.monotonic(), 1))
            return check
        except BrowserError as exc:
            log.seek(0)
            tail = log.read()[-2000:].decode("utf-8", "replace")
            raise BrowserError(f"{exc}\nChromium's last words:\n{tail}") from None
        finally:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def main() -> int:
    """Check a page by hand: write the screenshot, print errors, warnings and requests."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("shot", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--mobile", action="store_true", help="Emulate a phone (the viewport meta applies).")
    options = parser.parse_args()
    try:
        check = check_page(options.page, width=options.width, height=options.height, mobile=options.mobile)
    except BrowserError as exc:
        print(exc, file=sys.stderr)
        return 1
    options.shot.write_bytes(check.screenshot)
    print(f"wrote {options.shot} ({len(check.screenshot)} bytes)")
    for line in check.errors:
        print(f"error: {line}")
    for line in check.warnings:
        print(f"warning: {line}")
    for url in check.requests:
        print(f"request: {url}")
    return 1 if check.errors or check.requests else 0


if __name__ == "__main__":
    sys.exit(main())
