"""Item 2 of issue 18: ``-o`` and build outputs, whatever is at the path.

The rule (README, "Output files"): a regular file is replaced atomically; a symbolic
link keeps being a link and its target is replaced; a device or FIFO is written
through; a directory is refused; every OSError is ``Error: cannot write PATH: reason
(what to do)``, exit 2, and the old file is left as it was. Never the system's own
device nodes: /dev/full is reached through a symlink in a temporary folder, and a full
or read-only file system is a tmpfs mounted in a private mount namespace
(``unshare -rm``), which vanishes with the child process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from glossary import output
from glossary.output import OutputError


def _tree(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".lock")}


def test_o_directory_is_a_clean_error(project: Path, cli) -> None:
    (project / "out").mkdir()
    for fmt in ("tbx", "csv", "xlsx", "json"):
        result = cli("export", fmt, "-o", "out")
        assert result.exit_code == 2, fmt
        assert ("Error: cannot write out: it is a directory (give a file name, e.g. -o "
                f"out/glossary.{fmt})") in result.stderr
    assert list((project / "out").iterdir()) == []


def test_a_file_name_of_another_format_is_noted(project: Path, cli) -> None:
    """`export tbx -o terms.csv` (meaning `export csv`?) writes TBX, and says so."""
    result = cli("export", "tbx", "-o", "terms.csv")
    assert result.exit_code == 0
    assert "note: terms.csv does not end in .tbx; it holds tbx all the same" in result.stderr
    assert (project / "terms.csv").read_bytes().startswith(b"<?xml")
    assert "note:" not in cli("export", "tbx", "-o", "terms.TBX").stderr


def test_o_symlink_updates_its_target_and_stays_a_link(project: Path, cli) -> None:
    (project / "target.csv").write_text("old", encoding="utf-8")
    (project / "link.csv").symlink_to("target.csv")
    assert cli("export", "csv", "-o", "link.csv").exit_code == 0
    assert (project / "link.csv").is_symlink()
    assert (project / "target.csv").read_bytes().startswith(b"\xef\xbb\xbfconcept_id,")


def test_o_dangling_symlink_creates_its_target(project: Path, cli) -> None:
    (project / "link.tbx").symlink_to("made.tbx")
    assert cli("export", "tbx", "-o", "link.tbx").exit_code == 0
    assert (project / "link.tbx").is_symlink() and (project / "made.tbx").stat().st_size > 0


def test_o_fifo_is_written_through(project: Path, cli) -> None:
    fifo = project / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = cli("export", "csv", "-o", "pipe")
    reader.join(timeout=30)
    assert result.exit_code == 0
    assert got and got[0].startswith(b"\xef\xbb\xbfconcept_id,")
    assert fifo.is_fifo()  # not replaced by a regular file


def test_o_dev_full_through_a_symlink_is_disk_full(project: Path, cli) -> None:
    if not Path("/dev/full").is_char_device():
        pytest.skip("no /dev/full")
    (project / "full").symlink_to("/dev/full")
    for fmt in ("tbx", "csv", "json", "xlsx"):
        result = cli("export", fmt, "-o", "full")
        assert result.exit_code == 2, fmt
        assert "Error: cannot write full: no space left on device (the disk is full" \
            in result.stderr, fmt
        assert "wrote" not in result.stderr
    assert (project / "full").is_symlink()


def test_o_dash_is_standard_output(project: Path, cli) -> None:
    result = cli("export", "csv", "-o", "-")
    assert result.exit_code == 0 and result.stdout.startswith("\ufeffconcept_id,")
    assert not (project / "-").exists()


def test_a_regular_file_is_replaced_atomically_and_kept_on_error(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), output.writer(target) as handle:
        handle.write(b"half")
        raise RuntimeError("the exporter failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary left
    output.write_bytes(target, b"new")
    assert target.read_bytes() == b"new"


def test_block_devices_and_sockets_are_refused(tmp_path: Path) -> None:
    import socket

    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        with pytest.raises(OutputError, match="it is a socket"):
            output.write_bytes(sock_path, b"x")
    finally:
        server.close()


def test_every_write_errno_has_advice(tmp_path: Path) -> None:
    import errno

    error = output.from_os_error(OSError(errno.EROFS, "Read-only file system"), "x.tbx")
    assert str(error) == ("cannot write x.tbx: read-only file system (the file system is "
                          "read-only; write elsewhere with -o)")


# ----------------------------------------------------------------- full and read-only disks

def _namespaced(project: Path, mount: str, script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) in ``project`` with a tmpfs mounted at ``mount`` in a private
    mount namespace; skip when this machine cannot make one."""
    if not shutil.which("unshare"):
        pytest.skip("no unshare")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("no user/mount namespaces here")
    glossary = f"{sys.executable} -c 'from glossary.cli import main; main()'"
    body = f"mount -t tmpfs {mount} && cd {project} && " + script.replace("GLOSSARY", glossary)
    return subprocess.run(["unshare", "-rm", "sh", "-c", body], capture_output=True,
                          text=True, timeout=300)


def test_export_to_a_full_disk_keeps_the_old_file(project: Path) -> None:
    (project / "small").mkdir()
    terms = _tree(project / "terms")
    done = _namespaced(
        project, f"-o size=8k tmpfs {project}/small",
        "echo old > small/g.tbx && GLOSSARY export tbx -o small/g.tbx; echo rc=$?; "
        "cat small/g.tbx; ls -a small")
    assert "rc=2" in done.stdout, done.stderr
    assert "Error: cannot write small/g.tbx: no space left on device (the disk is full" \
        in done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == "old"  # the old file is intact …
    assert sorted(lines[2:]) == [".", "..", "g.tbx"]  # … and no temporary is left
    assert _tree(project / "terms") == terms


def test_export_to_a_read_only_file_system(project: Path) -> None:
    (project / "ro").mkdir()
    done = _namespaced(project, f"-o ro,size=8k tmpfs {project}/ro",
                       "GLOSSARY export csv -o ro/g.csv; echo rc=$?")
    assert "rc=2" in done.stdout, done.stderr
    assert "Error: cannot write ro/g.csv: read-only file system (the file system is " \
           "read-only; write elsewhere with -o)" in done.stderr
    assert "Traceback" not in done.stderr


def test_build_on_a_full_disk_is_a_clean_error(project: Path) -> None:
    (project / "build").mkdir()
    terms = _tree(project / "terms")
    done = _namespaced(project, f"-o size=48k tmpfs {project}/build",
                       "GLOSSARY build; echo rc=$?")
    assert "rc=2" in done.stdout, done.stdout + done.stderr
    assert "Error: cannot write " in done.stderr and "Traceback" not in done.stderr
    assert "(free some space" in done.stderr or "(the disk is full" in done.stderr
    assert _tree(project / "terms") == terms


def test_build_on_a_read_only_build_dir_is_a_clean_error(project: Path) -> None:
    (project / "build").mkdir()
    done = _namespaced(project, f"-o ro tmpfs {project}/build", "GLOSSARY build; echo rc=$?")
    assert "rc=2" in done.stdout, done.stdout + done.stderr
    assert "Error: cannot write " in done.stderr
    assert "read-only file system (the file system is read-only" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "renamed"])
def test_a_derived_file_is_replaced_whole_whatever_is_there(tmp_path: Path, monkeypatch,
                                                            exchange: bool) -> None:
    """``replace_derived`` (build outputs, caches, site pages) leaves the new file in
    place and nothing else: over a file (a hard link to the old one keeps the old
    bytes, as with a rename), over nothing, over a symbolic link (replaced, its target
    untouched); a folder in the way is an error that leaves the folder and the new
    file as they were. The same with the exchange and with a plain rename."""
    if not exchange:
        monkeypatch.setattr(output, "_exchange", lambda: None)
    elif output._exchange() is None:
        pytest.skip("no renameat2 here")
    used: list[bytes] = []  # the names the exchange did exchange
    real = output._exchange()
    if real is not None:
        def spy(first: bytes, second: bytes) -> bool:
            done = real(first, second)
            if done:
                used.append(second)
            return done

        monkeypatch.setattr(output, "_exchange", lambda: spy)

    def fresh(name: str, data: bytes) -> Path:
        tmp = tmp_path / f".{name}.tmp"
        tmp.write_bytes(data)
        return tmp

    old = tmp_path / "out.tbx"
    old.write_bytes(b"old")
    (tmp_path / "site-copy").hardlink_to(old)
    output.replace_derived(fresh("out.tbx", b"new"), old)
    assert old.read_bytes() == b"new"
    assert (tmp_path / "site-copy").read_bytes() == b"old"
    assert used == ([bytes(old)] if exchange else [])

    output.replace_derived(fresh("none.tbx", b"first"), tmp_path / "none.tbx")
    assert (tmp_path / "none.tbx").read_bytes() == b"first"

    target = tmp_path / "target"
    target.write_bytes(b"kept")
    link = tmp_path / "link"
    link.symlink_to(target)
    output.replace_derived(fresh("link", b"file"), link)
    assert not link.is_symlink() and link.read_bytes() == b"file"
    assert target.read_bytes() == b"kept"

    folder = tmp_path / "folder"
    (folder / "inside").mkdir(parents=True)
    tmp = fresh("folder", b"data")
    with pytest.raises(OSError):
        output.replace_derived(tmp, folder)
    assert (folder / "inside").is_dir() and tmp.read_bytes() == b"data"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == [
        ".folder.tmp"]
