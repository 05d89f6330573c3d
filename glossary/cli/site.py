"""Site commands: `glossary serve` previews build/site on the loopback interface."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import click

from glossary.cli.app import EXIT_USAGE, Context, main, shown, user_errors

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

        def log_message(self, format: str, *args: object) -> None:
            if not quiet:
                click.echo(f"{self.address_string()} {format % args}", err=True)

    return ThreadingHTTPServer((HOST, port), functools.partial(Handler, directory=str(root)))


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
        click.echo(f"Error: no site in {root} (run `glossary build` first)", err=True)
        raise SystemExit(EXIT_USAGE)
    try:
        server = make_server(root, port)
    except OSError as exc:
        click.echo(f"Error: cannot listen on {HOST}:{port}: {exc.strerror or exc} "
                   "(choose another --port)", err=True)
        raise SystemExit(EXIT_USAGE) from exc
    click.echo(f"serving {shown(root, settings.root)} at http://{HOST}:{server.server_address[1]}/ "
               "(Ctrl-C to stop)")
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
