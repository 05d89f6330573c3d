"""The ``glossary`` command line. The only package that imports click, prints or exits.

Commands are thin: parse options, call one function of the library, print the result.
Each command's module is imported only when the command runs (``app.COMMANDS``), and
heavy libraries (sqlite-utils, jinja2, lxml, babel) only inside the commands that need
them, so ``glossary --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from glossary import collector
from glossary.cli.app import load_commands, main

__all__ = ["load_commands", "main", "run"]


def run() -> NoReturn:
    """The ``glossary`` program (the console script): one command, then exit, so the
    glossary it loads is kept out of the garbage collector's way until the end
    (:func:`glossary.collector.whole_process`), and the process ends without tearing
    the interpreter down (:func:`_exit`)."""
    collector.whole_process()
    try:
        main()  # click's standalone mode: it ends with SystemExit, whatever happened
    except SystemExit as stop:
        _exit(stop.code)
    _exit(0)


def _exit(code: object) -> NoReturn:
    """End the process with ``code`` (as :func:`sys.exit` takes it) once standard output
    and error are flushed, without the interpreter's teardown: freeing every object and
    module one by one took ~30 ms of a 1.1 s one-edit build at 10,000 concepts, to give
    back memory the operating system takes back at once. Nothing is left to finish:
    every file is written and closed inside its command, and the tool registers no
    ``atexit`` handler. A flush that fails (the reader of a pipe went away) exits 120,
    as Python does."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message on stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is None or stream.closed:  # closed on purpose (a broken pipe, handled)
            continue
        try:
            stream.flush()
        except OSError:
            status = status or 120
    os._exit(status & 0xFF)
