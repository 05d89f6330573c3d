"""The package follows the layers of design §1 (checked with ast)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "glossary"

# lower number = lower layer; a module may import only from its own layer or below
LAYERS = {
    "glossary.errors": 0, "glossary.model": 0, "glossary.khmer": 0, "glossary.config": 0,
    "glossary.search": 0,
    "glossary.problems": 0, "glossary.bulk": 0, "glossary.forked": 0, "glossary.packing": 0, "glossary.loading": 1, "glossary.store_write": 1, "glossary.dbstream": 1, "glossary.source_lines": 1, "glossary.incoming": 0, "glossary.textfile": 0,
    "glossary.catalog": 1, "glossary.translation": 1,
    "glossary.source": 1, "glossary.source_edit": 1, "glossary.source_new": 1, "glossary.source_reader": 1,
    "glossary.validate": 1, "glossary.store": 1, "glossary.stats": 1, "glossary.formats": 1,
    "glossary.site": 1, "glossary.lock": 1, "glossary.table": 1,
    # comparing two versions reads only source/formats/model, and the site's changes
    # page (glossary.site.changes_page) needs it: a peer of site, not above it
    "glossary.changes": 1,
    "glossary.pipeline": 2, "glossary.review": 2, "glossary.qa": 2, "glossary.diff": 2,
    "glossary.interchange": 2, "glossary.import_report": 2, "glossary.exchange": 2,
    "glossary.cli": 3,
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(name: str) -> int | None:
    if name == "glossary":  # the package itself holds only its version
        return 0
    best = None
    for prefix, layer in LAYERS.items():
        if (name == prefix or name.startswith(prefix + ".")) and (
            best is None or len(prefix) > len(best[0])
        ):
            best = (prefix, layer)
    return None if best is None else best[1]


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    for path in modules():
        assert layer_of(module_name(path)) is not None, module_name(path)


def test_imports_point_down() -> None:
    for path in modules():
        name = module_name(path)
        own = layer_of(name)
        for imported in imports(path):
            if not imported.startswith("glossary.") or imported.count(".") > 3:
                continue
            target = layer_of(imported)
            if target is None or imported.startswith(name):
                continue
            assert target <= own, f"{name} (layer {own}) imports {imported} (layer {target})"


def test_formats_do_not_import_each_other_store_or_site() -> None:
    for path in (PACKAGE / "formats").glob("*.py"):
        name = module_name(path)
        for imported in imports(path):
            if imported.startswith(("glossary.formats.", "glossary.store", "glossary.site")):
                assert imported.startswith(name), f"{name} imports {imported}"


def test_only_cli_imports_click_and_prints() -> None:
    for path in modules():
        name = module_name(path)
        if name.startswith("glossary.cli"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert "click" not in {i.split(".")[0] for i in imports(path)}, name
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"print", "exit", "quit"}, f"{name} calls {node.func.id}"
            if isinstance(node, ast.Attribute) and node.attr == "exit":
                assert not (isinstance(node.value, ast.Name) and node.value.id == "sys"), name


def test_cli_imports_heavy_libraries_lazily() -> None:
    heavy = {"jinja2", "sqlite_utils", "lxml", "babel", "polib", "openpyxl", "docx", "tomlkit"}
    for path in (PACKAGE / "cli").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                    node.module or ""]
                for n in names:
                    assert n.split(".")[0] not in heavy, f"{path.name} imports {n} at top level"
                    assert n not in {"glossary.pipeline", "glossary.store", "glossary.site"}, (
                        f"{path.name} imports {n} at top level")
