"""Item 1 of issue 18: the site writer deletes and replaces only inside build/site/.

The manifest the writer reads back is data: a path in it that leads outside the site
(``..``, an absolute path, a folder that is a symbolic link) is never deleted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import pipeline
from glossary.site import manifest as site_manifest
from glossary.site.writer import MANIFEST, SiteError, SiteWriter, safe_relative


def _tamper(manifest: Path, *names: str) -> None:
    """Add ``names`` to the manifest, its digest made again (a forged manifest)."""
    old = site_manifest.load(manifest)
    assert old.lines
    manifest.write_bytes(site_manifest.dump(
        [*old.lines, *(name + "\tk\td" for name in names)], old.generation, old.folders))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_tampered_manifest_deletes_nothing_outside_the_site(project, settings, tmp_path_factory
                                                               ) -> None:
    pipeline.build(settings, ["site"])
    site = settings.build_dir / "site"
    outside = tmp_path_factory.mktemp("outside") / "victim.txt"
    outside.write_text("keep me", encoding="utf-8")
    (project / "elsewhere").mkdir()
    (project / "elsewhere" / "page.html").write_text("keep me too", encoding="utf-8")
    (site / "linked").symlink_to(project / "elsewhere", target_is_directory=True)
    terms_before = _snapshot(project / "terms")
    _tamper(settings.build_dir / MANIFEST, "../../terms/transparency.toml", str(outside),
            "concepts/../../../terms/hallucination.toml", "linked/page.html",
            "a\\..\\..\\x", "", ".", "bad\0name")
    report = pipeline.build(settings, ["site"])
    assert report.concepts > 0
    assert _snapshot(project / "terms") == terms_before
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert (project / "elsewhere" / "page.html").read_text(encoding="utf-8") == "keep me too"
    # the rewritten manifest names only what this build wrote
    lines = site_manifest.load(settings.build_dir / MANIFEST).lines
    assert lines and all(safe_relative(site_manifest.path_of(line)) for line in lines)


def test_a_stale_page_inside_the_site_is_still_deleted(project, settings) -> None:
    pipeline.build(settings, ["site"])
    site = settings.build_dir / "site"
    stale = site / "concepts" / "gone.html"
    stale.write_text("old page", encoding="utf-8")
    _tamper(settings.build_dir / MANIFEST, "concepts/gone.html")
    pipeline.build(settings, ["site"])
    assert not stale.exists()


def test_the_writer_refuses_a_folder_that_links_outside(tmp_path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (tmp_path / "terms").mkdir()
    (root / "concepts").symlink_to(tmp_path / "terms", target_is_directory=True)
    writer = SiteWriter(root)
    with pytest.raises(SiteError, match="leads outside the site"):
        writer.write("concepts/x.html", "<p>x</p>")
    assert list((tmp_path / "terms").iterdir()) == []


@pytest.mark.parametrize("rel", ["../x", "/etc/x", "a/../../x", "a\\b", "", "a//b", "./x",
                                 "a\nb.html"])
def test_unsafe_relative_paths(rel: str) -> None:
    assert not safe_relative(rel)


def test_safe_relative_paths() -> None:
    assert safe_relative("index.html") and safe_relative("km/concepts/bias.html")


def test_serve_answers_malformed_paths_with_400_and_escapes_its_log(project, settings, capsys
                                                                     ) -> None:
    import http.client
    import threading

    from glossary.cli.site import make_server

    pipeline.build(settings, ["site"])
    server = make_server(settings.build_dir / "site", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        for path in ("/index.html%00", "/%ff%fe.html", "/a%5c..%5cpyproject.toml"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path)
            assert conn.getresponse().status == 400, path
            conn.close()
        import socket  # a raw request line with ESC, BEL and RLO (clients refuse to send it)

        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall("GET /\x1b]0;owned\x07\u202e.html HTTP/1.0\r\n\r\n".encode())
            reply = b""
            while chunk := raw.recv(65536):
                reply += chunk
            assert reply.split(b" ")[1] in (b"400", b"404")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/index.html%00")
        assert conn.getresponse().status == 400
        conn.close()
    finally:
        server.shutdown()
        server.server_close()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "\x1b" not in err and "\u202e" not in err
    assert "\\u001b" in err


def test_the_manifest_is_read_back_as_written(tmp_path: Path) -> None:
    lines = ["concepts/ai.html\tk1\td1", "km/index.html\t\td2", "static/site.css\tk3\tcopy:k3"]
    path = tmp_path / MANIFEST
    path.write_bytes(site_manifest.dump(reversed(lines), "g", {"concepts": [1, 2, 3]}))
    found = site_manifest.load(path)
    assert (found.lines, found.generation, found.folders) == (lines, "g", {"concepts": [1, 2, 3]})
    assert found.get("km/index.html") == ("", "d2") and found.get("km") is None
    assert found.span("concepts") == (0, 1)
    path.write_bytes(site_manifest.dump(["a\tb"], "g", {}))  # a line of two fields
    assert site_manifest.load(path).lines == []
