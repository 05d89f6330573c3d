"""glossary — the Khmer–English glossary of AI governance terms and its tooling."""

__version__ = "0.1.0"
