"""The package follows the layers of design §1 (checked with ast)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "glossary"

# Rules by package prefix (the longest prefix wins). Lower number = lower layer; a
# module may import only from its own layer or below (design §1).
LAYERS = {
    # 0: the vocabulary every layer shares
    "glossary.errors": 0, "glossary.model": 0, "glossary.khmer": 0, "glossary.config": 0,
    "glossary.khmer_collation": 0, "glossary.english_order": 0,
    "glossary.problems": 0, "glossary.textfile": 0, "glossary.output": 0, "glossary.lock": 0,
    "glossary.unsafe": 0, "glossary.limits": 0, "glossary.collector": 0,
    "glossary.pairs": 0, "glossary.selection": 0,
    "glossary.imports.records": 0,  # what every format reader produces
    "glossary.outputs_state": 0,  # which build outputs are up to date
    # 1: one job each over the model
    "glossary.source": 1, "glossary.validate": 1, "glossary.store": 1, "glossary.formats": 1,
    "glossary.site": 1, "glossary.stats": 1, "glossary.versions": 1, "glossary.search": 1,
    # 2: the project's checked glossary (parse cache + validation)
    "glossary.loader": 2, "glossary.piece_store": 2, "glossary.piece_pack": 2,
    "glossary.kept_blocks": 2,
    # 3: what a command does
    "glossary.pipeline": 3, "glossary.review": 3, "glossary.imports": 3, "glossary.qa": 3,
    "glossary.exporting": 3, "glossary.locale_catalogs": 3, "glossary.api": 3,
    # 4: the command line
    "glossary.cli": 4,
}

# What a format module may import from the package (design §1: formats know the model,
# errors, Khmer text and the import records, and nothing of each other).
FORMAT_ALLOWED = ("glossary.model", "glossary.errors", "glossary.khmer",
                  "glossary.khmer_collation", "glossary.english_order",
                  "glossary.imports.records", "glossary.textfile", "glossary.output",
                  "glossary.unsafe", "glossary.limits", "glossary.pairs",
                  "glossary.formats.sheet_layout", "glossary.formats.bilingual_sheet",
                  "glossary.formats.gettext_header",
                  "glossary.formats.options", "glossary.formats.pieces", "glossary.selection",
                  "glossary.formats.zipped")


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(name: str) -> int | None:
    if name == "glossary":  # the package itself: its version and the Python API
        return 3
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


def test_formats_import_only_the_model_errors_khmer_and_records() -> None:
    for path in (PACKAGE / "formats").rglob("*.py"):
        name = module_name(path)
        own = ".".join(name.split(".")[:3])  # glossary.formats.X: its own subpackage
        for imported in imports(path):
            if not imported.startswith("glossary.") or imported == "glossary.formats":
                continue
            assert imported.startswith((own, *FORMAT_ALLOWED)), f"{name} imports {imported}"


def test_the_site_never_reads_terms_the_database_or_git_itself() -> None:
    for path in (PACKAGE / "site").rglob("*.py"):
        name = module_name(path)
        for imported in imports(path):
            assert not imported.startswith(("glossary.source", "glossary.store", "subprocess",
                                            "sqlite3", "glossary.loader")), (
                f"{name} imports {imported}")


def test_the_layer_table_names_only_modules_that_exist() -> None:
    names = {module_name(p) for p in modules()}
    for prefix in LAYERS:
        assert any(n == prefix or n.startswith(prefix + ".") for n in names), prefix


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
