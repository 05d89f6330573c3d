"""Site commands: `glossary serve` previews build/site on the loopback interface."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from glossary.cli.app import EXIT_USAGE, Context, echo, main, shown, user_errors

if TYPE_CHECKING:
    from http.server import ThreadingHTTPServer

HOST = "127.0.0.1"  # loopback only: the preview is never reachable from another machine


def make_server(root: Path, port: int, *, quiet: bool = False) -> ThreadingHTTPServer:
    """An HTTP server for ``root`` bound to 127.0.0.1 (raises OSError if the port is taken)."""
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        def send_error(self, code: int, message: str | None = None,
                       explain: str | None = None) -> None:
            """A missing page gets the site's own 404 page (km/404.html under km/)."""
            page = root / ("km/404.html" if self.path.startswith("/km/") else "404.html")
            if code != 404 or not page.is_file():
                super().send_error(code, message, explain)
                return
            body = page.read_bytes()
            self.send_response(404, message)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def list_directory(self, path: str | os.PathLike[str]) -> None:
            """A folder without an index page (``concepts/``) is not listed: a static host
            would not list it either, so the preview answers with the 404 page."""
            self.send_error(404, "Not found")

        def log_message(self, format: str, *args: object) -> None:
            if not quiet:  # echo escapes ESC, OSC, RLO… that a request line may carry
                echo(f"{self.address_string()} {format % args}", err=True)

        def send_head(self) -> Any:
            """A path the file system cannot take (``%00``, bad UTF-8) is a 400, never a
            traceback on the server."""
            from urllib.parse import unquote

            raw = self.path.split("?", 1)[0].split("#", 1)[0]
            try:
                path = unquote(raw, errors="strict")
            except UnicodeDecodeError:
                path = "\0"
            if "\0" in path or "\\" in path:
                self.send_error(400, "Bad request path")
                return None
            try:
                return super().send_head()
            except (ValueError, UnicodeError):
                self.send_error(400, "Bad request path")
                return None

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            """One line (a client that hung up early, …), never a traceback."""
            import sys

            if not quiet:
                echo(f"{client_address[0]} request failed: {sys.exc_info()[1]!r}", err=True)

    return Server((HOST, port), functools.partial(Handler, directory=str(root)))


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--build/--no-build", "rebuild", default=False,
              help="Build the site first (glossary build --only site).")
@click.pass_obj
def serve(obj: Context, port: int, rebuild: bool) -> None:
    """Serve build/site on http://127.0.0.1:PORT/ with Python's own web server.

    Only this machine can reach it. Stop it with Ctrl-C. The site also works without
    a server: open build/site/index.html in a browser.

    \b
    Example:
      $ glossary serve --port 8000
      serving build/site at http://127.0.0.1:8000/ (Ctrl-C to stop)
    """
    with user_errors():
        settings = obj.settings()
        if rebuild:
            from glossary import pipeline

            pipeline.build(settings, ("site",))
    root: Path = settings.build_dir / "site"
    if not (root / "index.html").is_file():
        echo(f"Error: no site in {root} (run `glossary build` first)", err=True)
        raise SystemExit(EXIT_USAGE)
    try:
        server = make_server(root, port)
    except OSError as exc:
        echo(f"Error: cannot listen on {HOST}:{port}: {exc.strerror or exc} "
                   "(choose another --port)", err=True)
        raise SystemExit(EXIT_USAGE) from exc
    echo(f"serving {shown(root, settings.root)} at http://{HOST}:{server.server_address[1]}/ "
               "(Ctrl-C to stop)")
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            echo("stopped", err=True)
