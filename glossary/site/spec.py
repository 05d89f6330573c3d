"""What the site builder takes: the build context, and the description of one page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from glossary.config import Settings
from glossary.model import Glossary


class BuildContext(Protocol):
    """What a renderer gets from the pipeline (``glossary.pipeline.RenderContext``)."""

    @property
    def glossary(self) -> Glossary: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def revision(self) -> str:
        """A content hash of terms/ (``pipeline.revision_of``): pages whose content
        depends on the whole glossary may use it in their fingerprint."""
        ...


@dataclass(frozen=True)
class PageSpec:
    """A page to write: its template, language-neutral path, navigation item and view."""

    template: str
    path: str
    view: Any
    nav: str = ""
    view_km: Any = None  # when the Khmer page needs a view of its own (e.g. sorted in Khmer)
    #: ``view`` and ``view_km`` may be functions, called only when the page has to be
    #: looked at: with a fingerprint (bytes standing for everything the page shows), only
    #: when it has to be rendered.
    fingerprint: bytes | None = None
    #: An *index page*: it shows only what every page shares and the concepts' index
    #: data (terms, statuses, domains, cited sections: :mod:`glossary.site.state`), so it
    #: is left alone, unlooked at, when no concept's index data changed.
    index: bool = False
    #: A print page (``print.html``, ``approved.html``): which concepts it lists, "all"
    #: or "approved" (:mod:`glossary.site.print_rows` may make it from the last one).
    listing: str = ""

    def view_for(self, lang: str) -> Any:
        view = self.view_km if lang == "km" and self.view_km is not None else self.view
        return view() if callable(view) else view
