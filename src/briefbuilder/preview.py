"""``briefbuilder preview``: serve one edition on localhost and rebuild it on every edit.

A watcher (watchfiles) follows the publication folder, its citation store, the house styles
and the publication's own styles and catalogues; each change rebuilds the edition through the
same incremental build as ``briefbuilder build`` (only what changed renders again), in this
process, so the renderer stays loaded. The open page polls a tiny status address and reloads
when a build finishes. A build that fails leaves the server running and shows its
``file:line`` messages in the page instead of a stale render.
"""

from __future__ import annotations

import html
import json
import logging
import mimetypes
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import BriefbuilderError
from .house_styles import HOUSE_STYLES

log = logging.getLogger(__name__)

STATUS_PATH = "/__briefbuilder/status"
RELOAD_SCRIPT = (
    """<script>
(function () {
  var seen = null;
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.version !== seen) { location.reload(); }
      seen = s.version;
    }).catch(function () {}).finally(function () { setTimeout(poll, 400); });
  }
  poll();
})();
</script>"""
).replace("%s", STATUS_PATH)


@dataclass
class PreviewState:
    """What the server shows: the newest build's output, or its problems."""

    version: int = 0
    output: Path | None = None
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def finished(self, output: Path | None, problems: list[str]) -> None:
        with self.lock:
            self.version += 1
            self.output = output
            self.problems = problems


class Preview:
    def __init__(self, root: Path, edition: str | None, lang: str | None, out_dir: Path):
        self.root = root
        self.edition = edition
        self.lang = lang
        self.out_dir = out_dir
        self.state = PreviewState()

    def rebuild(self) -> None:
        """Build the edition; any problem is kept for the page, never raised."""
        from .pipeline import load_all, plan_builds
        from .runner import build_outputs

        try:
            publications = load_all([self.root])
            editions = [self.edition] if self.edition else []
            plans = list(plan_builds(publications, editions, [self.lang] if self.lang else []))[:1]
            outcomes = build_outputs(plans, self.out_dir, jobs=1)
            problems = [str(p) for o in outcomes for p in o.problems]
            output = next((o.result.path for o in outcomes if o.result is not None), None)
            self.state.finished(None if problems else output, problems)
        except BriefbuilderError as exc:
            self.state.finished(None, _messages(exc))
        except Exception as exc:  # noqa: BLE001 - the server keeps running whatever happens
            log.debug("preview build failed", exc_info=True)
            self.state.finished(None, [f"internal error: {type(exc).__name__}: {exc}"])

    def watched(self) -> list[Path]:
        from .pipeline import load_all

        paths = {self.root.resolve(), HOUSE_STYLES}
        try:
            for publication in load_all([self.root]):
                paths.update(p.parent for p in publication.config.bibliography)
        except BriefbuilderError:
            pass  # broken now: the publication folder itself is still watched
        out = self.out_dir.resolve()
        return sorted(p for p in paths if p.exists() and not out.is_relative_to(p))

    def watch(self, stop: threading.Event, ready: threading.Event) -> None:
        from watchfiles import watch

        out = self.out_dir.resolve()
        # An empty set every 200 ms: the first one says the watcher is in place, so that the
        # server is announced only when no edit can be missed.
        for changes in watch(
            *self.watched(), stop_event=stop, debounce=150, step=50, rust_timeout=200, yield_on_timeout=True
        ):
            if not ready.is_set():
                ready.set()
                self.rebuild()  # an edit made while the watcher started; cheap when there was none
            elif any(not Path(path).resolve().is_relative_to(out) for _, path in changes):
                self.rebuild()


def _messages(exc: BriefbuilderError) -> list[str]:
    problems = getattr(exc, "problems", None)
    return [str(p) for p in problems] if problems else [exc.format_message()]


def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    state = preview.state

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
            log.debug("preview: " + format, *args)

        def do_GET(self) -> None:  # noqa: N802 - the base's name
            path = unquote(urlparse(self.path).path)
            with state.lock:
                version, output, problems = state.version, state.output, list(state.problems)
            if path == STATUS_PATH:
                body = json.dumps({"version": version, "ok": not problems}).encode()
                return self._send(HTTPStatus.OK, "application/json", body)
            if problems or output is None:
                return self._send(HTTPStatus.OK, "text/html; charset=utf-8", _problem_page(problems))
            if output.is_dir():
                return self._serve_site(output, path)
            if path in ("/", "/index.html"):
                name = html.escape(output.name)
                page = (
                    f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>'
                    "<style>html,body,iframe{margin:0;height:100%;width:100%;border:0}</style></head>"
                    f'<body><iframe title="{name}" src="/{name}?v={version}"></iframe>'
                    f"{RELOAD_SCRIPT}</body></html>"
                )
                return self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode())
            if path == f"/{output.name}":
                return self._send(HTTPStatus.OK, "application/pdf", output.read_bytes())
            return self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found")

        def _serve_site(self, site: Path, path: str) -> None:
            relative = path.lstrip("/") or "index.html"
            target = (site / relative).resolve()
            if not target.is_relative_to(site.resolve()) or not target.is_file():
                return self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found")
            data = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html":
                data = data.replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)
                kind = "text/html; charset=utf-8"
            return self._send(HTTPStatus.OK, kind, data)

        def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _problem_page(problems: list[str]) -> bytes:
    items = "".join(f"<li><pre>{html.escape(p)}</pre></li>" for p in problems) or "<li>building…</li>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>briefbuilder: problems</title>'
        "<style>body{font-family:sans-serif;margin:2rem;color:#1d1d1b}pre{white-space:pre-wrap;"
        "background:#fbeee5;border-left:4px solid #a84c19;padding:.75rem}</style></head><body>"
        f'<h1>The last build stopped</h1><ul class="problems">{items}</ul>{RELOAD_SCRIPT}</body></html>'
    ).encode()


def serve(
    root: Path, edition: str | None, lang: str | None, out_dir: Path, port: int
) -> tuple[ThreadingHTTPServer, threading.Event]:
    """Build once, start watching, and return the (not yet serving) server and its stop flag.

    Only the loopback address is bound: a preview is for the author at this machine.
    """
    preview = Preview(root, edition, lang, out_dir)
    preview.rebuild()
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(preview))
    stop, ready = threading.Event(), threading.Event()
    threading.Thread(target=preview.watch, args=(stop, ready), daemon=True).start()
    ready.wait(timeout=10)
    return server, stop
