"""`python -m glossary.cli.app_main` runs the CLI (used by subprocess tests)."""

from glossary.cli import run

if __name__ == "__main__":
    run()
