"""TBX (ISO 30042): write TBX-Basic (DCA style; :mod:`.writer`), read TBX v3 (DCA, DCT)
and TBX v2 (:mod:`.reader`, through the safe stream of :mod:`.safe_xml`).

What TBX-Basic has no data category for (review state, origin, do-not-translate, a
review note, a retired concept, who approved) travels in ``<note>`` elements of the form
``glossary:KEY=VALUE``; proposal and approval are ``transacGrp`` records
(origination / modification, responsibility = the person, date).
"""

from __future__ import annotations

from typing import Any

from glossary.formats.tbx.common import GENERATOR, NS, concept_id, xml_id
from glossary.formats.tbx.writer import TbxPieces, pieces, write

__all__ = ["GENERATOR", "NS", "TbxPieces", "concept_id", "pieces", "read", "write", "xml_id"]


def __getattr__(name: str) -> Any:
    """``read``, imported when it is first asked for: the reader needs lxml (~6 ms to
    import), which writing TBX (every ``glossary build``) does not."""
    if name == "read":
        from glossary.formats.tbx.reader import read

        return read
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
