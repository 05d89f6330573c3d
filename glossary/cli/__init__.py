"""The ``glossary`` command line. The only package that imports click, prints or exits.

Commands are thin: parse options, call one function of the library, print the result.
Each command's module is imported only when the command runs (``app.COMMANDS``), and
heavy libraries (sqlite-utils, jinja2, lxml, babel) only inside the commands that need
them, so ``glossary --help`` starts fast.
"""

from __future__ import annotations

from glossary import collector
from glossary.cli.app import load_commands, main

__all__ = ["load_commands", "main", "run"]


def run() -> None:
    """The ``glossary`` program (the console script): one command, then exit, so the
    glossary it loads is kept out of the garbage collector's way until the end
    (:func:`glossary.collector.whole_process`)."""
    collector.whole_process()
    main()
