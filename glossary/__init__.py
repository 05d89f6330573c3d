"""glossary — the Khmer–English glossary of AI governance terms and its tooling.

The Python API (see the README, "Python API")::

    import glossary
    g = glossary.load("terms")            # concepts, through the parse cache
    g.find("transparency")                # the concept with that term
    g.search("ទិ")                        # what `glossary search` finds
    for concept in g: ...
    glossary.export(g, "tbx", "approved.tbx", approved_only=True)  # once one is approved

The functions are imported on first use, so ``import glossary`` (and the CLI's start-up)
stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from glossary.api import Terms, export, load

__all__ = ["Terms", "__version__", "export", "load"]


def __getattr__(name: str) -> Any:
    if name in ("load", "export", "Terms"):
        from glossary import api

        return getattr(api, name)
    raise AttributeError(f"module 'glossary' has no attribute {name!r}")
