"""glossary diff: two git revisions of terms/, two JSON exports, or two directories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from glossary import loader
from glossary.formats import jsonfmt
from tests.gettext.po_helpers import json_text


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@e.x",
                    *args], check=True, capture_output=True)


def release(root: Path, tag: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", tag, "--allow-empty")
    git(root, "tag", tag)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def change_glossary(run, root: Path) -> None:
    run("review", "approve", "fairness", "--by", "Sok Dara")
    edit(root / "terms/ai-model.toml", 'text = "គំរូ"', 'text = "គំរូគណិត"')
    edit(root / "terms/bias.toml", "Systematic error", "A systematic error")
    edit(root / "terms/large-language-model.toml", 'id = "large-language-model"',
         'id = "large-language-model"\nstatus = "retired"')
    (root / "terms/confabulation.toml").unlink()
    run("new", "synthetic-data", "--en", "synthetic data", "--km", "ទិន្នន័យសំយោគ",
        "--source", "asean-guide-2024:B.2", "--domain", "ethics")


EXPECTED = [
    ("ai-model", "term-changed"), ("bias", "definition-changed"),
    ("confabulation", "concept-removed"), ("fairness", "review-changed"),
    ("large-language-model", "concept-retired"), ("synthetic-data", "concept-added"),
]


def test_diff_two_git_revisions(run, po_project):
    git(po_project, "init", "-q")
    release(po_project, "v1.0")
    change_glossary(run, po_project)
    release(po_project, "v1.1")
    result = run("diff", "v1.0", "v1.1", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(c["concept"], c["kind"]) for c in data["changes"]] == EXPECTED
    fair = data["changes"][3]
    assert (fair["old"], fair["new"]) == ("proposed", "approved by Sok Dara")
    text = run("diff", "v1.0", "v1.1").output
    assert "ai-model km[1]: term changed: 'គំរូ' → 'គំរូគណិត'" in text
    assert "synthetic-data: concept added: 'synthetic data'" in text
    assert "1 concept-added, 1 concept-removed, 1 concept-retired" in text
    assert "no changes" in run("diff", "v1.1", "HEAD").output


def test_diff_two_json_exports(run, po_project):
    assert run("export", "json", "-o", "old.json").exit_code == 0
    change_glossary(run, po_project)
    run("export", "json", "-o", "new.json")
    data = json.loads(run("diff", "old.json", "new.json", "--format", "json").output)
    assert [(c["concept"], c["kind"]) for c in data["changes"]] == EXPECTED
    # a directory works too (the current terms/)
    data = json.loads(run("diff", "old.json", "terms", "--format", "json").output)
    assert [(c["concept"], c["kind"]) for c in data["changes"]] == EXPECTED


def test_diff_against_the_working_tree(run, po_project):
    """Without NEW, or with the project folder (`.`), the diff runs to terms/ as it is on
    disk, edits not yet committed included: what a reviewer asks before a release."""
    git(po_project, "init", "-q")
    release(po_project, "v1.0")
    change_glossary(run, po_project)
    for args in (("v1.0",), ("v1.0", "."), ("v1.0", str(po_project))):
        data = json.loads(run("diff", *args, "--format", "json").output)
        assert [(c["concept"], c["kind"]) for c in data["changes"]] == EXPECTED, args
    release(po_project, "v1.1")
    assert run("diff", "v1.1").output == "no changes between v1.1 and terms/\n"


def test_diff_refuses_a_folder_it_cannot_read_whole(run, po_project, tmp_path):
    """A folder that is not a terms folder, or one with a file that does not parse, is
    refused with its location: a concept it could not read would show as removed."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    result = run("diff", "terms", str(other))
    assert result.exit_code == 2
    assert f"{other}: not a terms folder (it has no _sources.toml)" in result.output
    edit(po_project / "terms/bias.toml", 'id = "bias"', 'id = "bias')
    result = run("diff", "terms", "terms")
    assert result.exit_code == 2
    assert "terms/bias.toml:2: toml-syntax" in result.output and "glossary check" in result.output


def test_diff_errors(run, po_project):
    result = run("diff", "nope.json", "terms")
    assert result.exit_code == 2 and "file not found" in result.output
    git(po_project, "init", "-q")
    release(po_project, "v1")
    result = run("diff", "v9", "HEAD")  # git says nothing of a revision it does not know
    assert result.exit_code == 2
    assert "Error: 'v9' is not a commit, tag or branch of the git repository" in result.output
    assert "git log --oneline" in result.output
    (po_project / "bad.json").write_text('{"concepts": [', encoding="utf-8")
    result = run("diff", "bad.json", "terms")
    assert result.exit_code == 2 and "bad.json:1:" in result.output


def test_json_read_inverts_write(po_settings):
    loaded = loader.load(po_settings)
    text = json_text(loaded.glossary, loaded.revision)
    glossary, revision = jsonfmt.loads(text)
    assert revision == loaded.revision
    assert glossary.concepts == loaded.glossary.concepts
    assert json_text(glossary, revision) == text


def test_diff_names_the_other_parts_that_changed(run, po_project):
    """A concept whose file changed outside its terms, definitions and review states
    (domains, sources, see also, a term's rationale, a reviewer's note) is not shown as
    unchanged: one line names the parts. The site's changes page leaves it out."""
    assert run("export", "json", "-o", "old.json").exit_code == 0
    bias = po_project / "terms/bias.toml"
    edit(bias, 'domains = ["ethics"]', 'domains = ["ethics"]\nsee_also = ["fairness"]')
    edit(bias, "page = 13", "page = 14")
    edit(bias, 'text = "ភាពលម្អៀង"\n', 'text = "ភាពលម្អៀង"\nrationale = "ភាព + លម្អៀង"\n')
    edit(bias, 'approved_on = 2026-01-15', 'approved_on = 2026-01-15\nreview_note = "ok"')
    data = json.loads(run("diff", "old.json", "terms", "--format", "json").output)
    assert [(c["concept"], c["kind"], c["detail"]) for c in data["changes"]] == [
        ("bias", "details-changed",
         "sources; see also; km[0] rationale; km[0] review record")]
    text = run("diff", "old.json", "terms").output
    assert "bias: details changed (sources; see also; km[0] rationale; km[0] review record)" \
        in text and "1 details-changed" in text
    # a decision is a review change of its own (its date and history are not listed
    # again as a changed record)
    result = run("review", "approve", "bias", "--lang", "en", "--by", "Chan Sophea",
                 "--note", "checked")
    assert result.exit_code == 0, result.output
    data = json.loads(run("diff", "old.json", "terms", "--format", "json").output)
    assert [(c["concept"], c["kind"], c["detail"]) for c in data["changes"]] == [
        ("bias", "review-changed", "bias"),
        ("bias", "details-changed",
         "sources; see also; km[0] rationale; km[0] review record")]
