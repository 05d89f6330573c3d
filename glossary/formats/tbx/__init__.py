"""TBX (ISO 30042): write TBX-Basic (DCA style), read TBX v3 (DCA, DCT) and TBX v2.

Writing streams the file a few entries at a time: each ``conceptEntry`` is serialized
by a small escaping writer (six times faster than building lxml elements for
``xmlfile``; the tests validate its output with RELAX NG and read it back). What
TBX-Basic has no data category for (review state, origin, do-not-translate, a review
note, a retired concept, who approved) travels in ``<note>`` elements of the form
``glossary:KEY=VALUE``; proposal and approval are ``transacGrp`` records
(origination / modification, responsibility = the person, date). Reading is a
streaming ``iterparse`` that clears each finished entry, and it is safe: no DTD
loading, no network, no entity expansion, and a document type declaration that
declares entities (billion laughs, external entities) is refused.
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
