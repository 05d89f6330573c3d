"""The ``glossary`` command line. The only package that imports click, prints or exits.

Commands are thin: parse options, call one function of the library, print the result.
Heavy libraries (sqlite-utils, jinja2, lxml, babel) are imported inside the commands
that need them, so ``glossary --help`` starts fast.
"""

from __future__ import annotations

from glossary.cli import core as _core  # noqa: F401  (registers commands)
from glossary.cli import gettext as _gettext  # noqa: F401  (export po|mo, import po, review, diff)
from glossary.cli import interchange as _interchange  # noqa: F401  (registers commands)
from glossary.cli import qa as _qa  # noqa: F401  (registers `glossary qa`)
from glossary.cli import site as _site  # noqa: F401  (registers `serve`)
from glossary.cli.app import main

__all__ = ["main"]
