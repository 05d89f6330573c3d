"""The click group, shared options, and the error handling every command shares."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from glossary import __version__
from glossary.errors import GlossaryError, ValidationFailed

EXIT_PROBLEMS, EXIT_USAGE = 1, 2


class Context:
    def __init__(self, terms: Path | None, build: Path | None, locale: Path | None) -> None:
        self.terms, self.build, self.locale = terms, build, locale

    def settings(self) -> Any:
        from glossary.config import load_settings

        return load_settings(terms_dir=self.terms, build_dir=self.build, locale_dir=self.locale)


#: Where each command is defined (the module of glossary.cli whose import registers
#: it), and its one-line summary. ``glossary --help`` lists the commands from this
#: table, and a command's module is imported only when that command runs, so start-up
#: does not pay for every command. A test checks the summaries against the commands.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("core", "Validate terms/ and write everything in build/."),
    "check": ("core", "Validate terms/ and list every problem as path:line: CODE: message (hint)."),
    "diff": ("review",
             "What changed between two versions: git revisions of terms/, or JSON exports."),
    "export": ("exporting", "Write the glossary in an interchange format."),
    "import": ("importing",
               "Read terms back from an interchange file and report (or apply) the changes."),
    "new": ("core", "Create terms/ID.toml for a new concept from a template."),
    "qa": ("qa", "Check PO catalogs, text/Markdown files and Word .docx documents against "
                 "the glossary."),
    "review": ("review", "Approve or reject terms and definitions, and list what awaits review."),
    "search": ("core", "Find concepts, documents and sections by English or Khmer term."),
    "serve": ("site", "Serve build/site on http://127.0.0.1:PORT/ with Python's own web server."),
    "stats": ("core", "Concepts, terms per language and review state, the Khmer terms' "
                      "review per domain, and coverage per document section."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when first used (see :data:`COMMANDS`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:  # its module, even when another one registered it
            load_commands(cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(map(len, COMMANDS))
        rows = [(name, click.Command(name, help=summary).get_short_help_str(limit))
                for name, (_, summary) in sorted(COMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def load_commands(*names: str) -> None:
    """Import the modules that define the commands ``names`` (all when none given)."""
    for name in names or tuple(COMMANDS):
        importlib.import_module(f"glossary.cli.{COMMANDS[name][0]}")


@click.group(cls=LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="glossary")
@click.option("--terms", "terms", type=click.Path(path_type=Path), default=None,
              help="The terms/ directory (default: from [tool.glossary] in pyproject.toml).")
@click.option("--build-dir", "build", type=click.Path(path_type=Path), default=None,
              help="Where derived files go (default: build/).")
@click.option("--locale-dir", "locale", type=click.Path(path_type=Path), default=None,
              help="The gettext catalogs (default: locale/).")
@click.pass_context
def main(ctx: click.Context, terms: Path | None, build: Path | None, locale: Path | None) -> None:
    """Khmer–English glossary of AI governance terms.

    The source of truth is terms/, one TOML file per concept. Everything in build/ is
    derived from it. Run `glossary COMMAND --help` for an example of each command.
    """
    ctx.obj = Context(terms, build, locale)


#: Characters that would act on a terminal rather than show: C0 and C1 controls
#: (ESC starts colour, title and OSC-52 clipboard sequences; CR overwrites a line),
#: bidirectional overrides and isolates (which reorder what follows), line and
#: paragraph separators. Newline and tab are kept.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                     "\u2028\u2029\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every character of :data:`_UNSAFE` written as ``\\uXXXX`` (valid
    inside a JSON string too), so text from a file cannot drive the terminal."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` for anything that may hold text from a file: reports, errors,
    logs. Data a command writes to standard output on purpose does not go through it.
    ``color=True``: click would otherwise look for ANSI codes to strip when the output
    is not a terminal, and :func:`terminal_safe` has already escaped every ESC (a
    100,000-concept import report: 30 MB scanned again for nothing)."""
    click.echo(terminal_safe(str(message)), err=err, nl=nl, color=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn GlossaryError into `Error: ...` on stderr and exit 2 — never a traceback.
    An OSError no layer below turned into a GlossaryError is reported the same way."""
    from glossary import lock

    lock.notify = lambda message: echo(message, err=True)
    try:
        yield
    except ValidationFailed as exc:
        echo(f"Error: {exc.message}", err=True)
        sys.exit(EXIT_PROBLEMS)
    except GlossaryError as exc:
        echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except MemoryError:
        echo("Error: out of memory (the input is too large for this machine; see "
             "\"Limits\" in the README)", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as exc:
        from glossary.output import ADVICE

        where = f"{exc.filename}: " if exc.filename else ""
        reason = exc.strerror or str(exc)
        echo(f"Error: {where}{reason} ({ADVICE.get(exc.errno or 0, 'check the path')})",
             err=True)
        sys.exit(EXIT_USAGE)


def shown(path: Path, root: Path) -> str:
    """``path`` relative to the project root when it is inside it (for messages)."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def emit_json(data: Any) -> None:
    """:func:`json_pieces` of ``data`` on standard output, written a piece at a time
    (about a million characters each): a report of 100,000 changes is 30 million
    characters, and made whole it was copied some eight times (encoded, cut, joined,
    padded, a line break added, encoded to UTF-8), each copy in new memory: the report
    of a 100,000-concept ``import tbx`` took 0.58 s and 116,000 page faults that way,
    0.30 s and 3,300 in pieces (measured)."""
    buffered: list[str] = []
    size = 0
    for piece in json_pieces(data):
        buffered.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            echo("".join(buffered), nl=False)
            buffered, size = [], 0
    echo("".join(buffered))


_BATCH = 2000  # the items of a long list encoded in one call (_one_per_line)


def json_pieces(data: Any, depth: int = 2) -> Iterator[str]:
    """JSON laid out for people as well as programs, in pieces (none longer than a batch
    of a long list's lines): the members of objects and the objects of lists one per
    line down to ``depth`` levels; anything deeper, and a list of plain values, on one
    line (a report of 100,000 changes is 100,000 lines, one change each, encoded by
    json's C encoder rather than its much slower indenting one)."""
    one_line = _one_line_encoder()

    def encode(value: Any, level: int) -> Iterator[str]:
        if (level >= depth or not isinstance(value, (dict, list)) or not value
                or (isinstance(value, list)
                    and not any(isinstance(v, (dict, list)) for v in value))):
            yield one_line(value)
            return
        pad = "  " * (level + 1)
        between = "{\n"
        if isinstance(value, dict):
            for k, v in value.items():
                yield f"{between}{pad}{one_line(str(k))}: "
                yield from encode(v, level + 1)
                between = ",\n"
            yield "\n" + "  " * level + "}"
            return
        between = "[\n"
        if level + 1 >= depth:  # the commonest case: a long list of small objects
            for start in range(0, len(value), _BATCH):
                yield between
                yield _one_per_line(value[start:start + _BATCH], one_line, pad)
                between = ",\n"
        else:
            for v in value:
                yield between + pad
                yield from encode(v, level + 1)
                between = ",\n"
        yield "\n" + "  " * level + "]"

    return encode(data, 0)


#: Put between the items of a list encoded in one call, to cut it where they meet: a
#: string with NUL characters, which JSON writes escaped, so its encoding, between two
#: ", ", can only come from this marker (or from data holding this very string).
_BETWEEN = "\x00glossary: the next item\x00"


def _one_per_line(items: list[Any], one_line: Callable[[Any], str], pad: str) -> str:
    """``",\n".join(pad + one_line(item) for item in items)``, made by one call of the
    encoder over the items with a marker between them, whose encodings are
    then replaced by the line breaks: each call makes the C encoder anew (~3 us), and a
    report of 100,000 changes made 100,000 of them (5-6% of a 100,000-concept
    ``import tbx``). Item by item when the data itself holds the marker (there are then
    more markers than gaps between items)."""
    spaced: list[Any] = [_BETWEEN] * (2 * len(items) - 1)
    spaced[0::2] = items
    text = one_line(spaced)[1:-1]
    between = f", {one_line(_BETWEEN)}, "
    if text.count(between) == len(items) - 1:
        return pad + text.replace(between, ",\n" + pad)
    return ",\n".join([pad + one_line(item) for item in items])


def _one_line_encoder() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False)``: one JSON value on one line."""
    import json

    return json.JSONEncoder(ensure_ascii=False).encode


def format_option(*choices: str) -> Callable[[Any], Any]:
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0],
                        show_default=True, help="Output format.")


@contextmanager
def progress_bar(label: str, length: Callable[[], int]) -> Iterator[Callable[[int], None] | None]:
    """A click progress bar on a terminal (its ``update``); None when output is piped.
    ``length`` counts the bar's length, called only when there is a bar (counting 10,000
    concept files costs a listing of terms/)."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=length(), label=label, file=sys.stderr) as bar:
        yield bar.update


def review_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--approved-only``, ``--min-review approved|proposed`` and ``--domain``: which
    concepts and Khmer terms an export carries (the same rule in every format:
    glossary.selection)."""
    func = click.option(
        "--domain", "domains", multiple=True, metavar="DOMAIN",
        help="Only the concepts of this domain (repeatable; ids as in "
             "terms/_domains.toml).")(func)
    func = click.option(
        "--min-review", "min_review", type=click.Choice(["approved", "proposed"]),
        default=None,
        help="Only Khmer terms reviewed at least this far (proposed: proposed or approved; "
             "drafts and rejected terms left out), and only concepts that have one.")(func)
    return click.option(
        "--approved-only", "approved_only", is_flag=True,
        help="Only approved Khmer terms (the same as --min-review approved).")(func)


def warn_if_empty(km_terms: int, approved_only: bool, min_review: str | None,
                  what: str) -> None:
    """The warning an export with a review level and no Khmer term gets (stderr)."""
    from glossary import selection

    chosen = selection.level(approved_only, min_review)
    if chosen is not None and km_terms == 0:
        click.echo(selection.empty_warning(what, chosen), err=True)
