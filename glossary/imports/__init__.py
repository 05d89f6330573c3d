"""Imports: an incoming file → records → a plan against the glossary → a report → apply.

* :mod:`~glossary.imports.records` — the format-neutral records every reader produces;
* :mod:`~glossary.imports.plan` — compare records with the glossary (:mod:`~glossary.imports.trust`:
  the review record an incoming row gets);
* :mod:`~glossary.imports.apply` — write a plan to terms/;
* :mod:`~glossary.imports.report` — what a plan reports, in words;
* :mod:`~glossary.imports.run` — one import from a file name to a plan (and its apply).
"""
