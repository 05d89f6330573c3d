"""The click group, shared options, and the error handling every command shares."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from glossary import __version__
from glossary.errors import GlossaryError, ValidationFailed

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class Context:
    def __init__(self, terms: Path | None, build: Path | None, locale: Path | None) -> None:
        self.terms, self.build, self.locale = terms, build, locale

    def settings(self) -> Any:
        from glossary.config import load_settings

        return load_settings(terms_dir=self.terms, build_dir=self.build, locale_dir=self.locale)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn GlossaryError into `Error: ...` on stderr and exit 2 — never a traceback."""
    try:
        yield
    except ValidationFailed as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(EXIT_PROBLEMS)
    except GlossaryError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def shown(path: Path, root: Path) -> str:
    """``path`` relative to the project root when it is inside it (for messages)."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def format_option(*choices: str) -> Callable[[Any], Any]:
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0],
                        show_default=True, help="Output format.")


class Progress:
    """A click progress bar on a terminal; nothing when output is piped."""

    def __init__(self, label: str, length: int | None = None) -> None:
        self.enabled = sys.stderr.isatty()
        self.label, self.length = label, length
        self._bar: Any = None

    def __enter__(self) -> Callable[[int], None] | None:
        if not self.enabled:
            return None
        self._bar = click.progressbar(length=self.length, label=self.label, file=sys.stderr)
        self._bar.__enter__()
        return self._bar.update

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
