"""The site's changes page: the glossary being built against the last release tag (v*)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from glossary import loader, pipeline, versions
from glossary.config import load_settings
from glossary.site import build, changes_page
from tests.site_support import DATA, KHMER, Element, build_site, make_project, parse

pytestmark = pytest.mark.usefixtures("no_ambient_git")

# the commit and tag date of the release v1.0: still April 13 in UTC, shown as April 14
WHEN = "2025-04-14T03:30:00+07:00"


def git(root: Path, *args: str, when: str = WHEN) -> str:
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin",
           "HOME": str(root)}
    proc = subprocess.run(["git", "-C", str(root), "-c", "user.name=T", "-c",
                           "user.email=t@example.org", "-c", "commit.gpgsign=false",
                           "-c", "tag.gpgsign=false", *args],
                          check=True, capture_output=True, env=env)
    return proc.stdout.decode().strip()


def commit_all(root: Path, message: str, when: str = WHEN) -> None:
    git(root, "add", "-A", when=when)
    git(root, "commit", "-q", "--allow-empty", "-m", message, when=when)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


OLD_KM = "ការប្រឌិតចម្លើយ"
NEW_KM = "ការប្រឌិតព័ត៌មាន"
REVIEWER = "សុខ ដារ៉ា"


def change_glossary(project: Path) -> None:
    """After the release: a Khmer term changed, a term approved, a definition changed,
    a concept added, one retired, one deleted; and a see-also link added to the changed
    Khmer term's concept, which `glossary diff` lists for reviewers and the page leaves
    out."""
    terms = project / "terms"
    edit(terms / "hallucination.toml", 'see_also = []', 'see_also = ["ai-model"]')
    edit(terms / "hallucination.toml", f'text = "{OLD_KM}"', f'text = "{NEW_KM}"')
    edit(terms / "ai-model.toml",
         'text = "គំរូបញ្ញាសិប្បនិម្មិត"\nadmin_status = "preferred"\ntype = "fullForm"\n'
         'review = "proposed"',
         'text = "គំរូបញ្ញាសិប្បនិម្មិត"\nadmin_status = "preferred"\ntype = "fullForm"\n'
         f'review = "approved"\napproved_by = "{REVIEWER}"\napproved_on = 2025-05-01')
    edit(terms / "artificial-intelligence.toml", 'text = "', 'text = "In short: ')
    shutil.copy(DATA / "changes" / "data-lineage.toml", terms / "data-lineage.toml")
    edit(terms / "transparency.toml", 'id = "transparency"\n',
         'id = "transparency"\nstatus = "retired"\n')


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """The mini glossary committed and tagged v1.0 (annotated), then changed."""
    project = make_project(tmp_path / "p")
    (project / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(project, "init", "-q")
    commit_all(project, "glossary")
    git(project, "tag", "-a", "v1.0", "-m", "release 1.0")
    change_glossary(project)
    return project


def groups(page: Element) -> dict[str, Element]:
    return {el.attrs["id"][2:]: el for el in page.iter()
            if el.tag == "section" and "change-group" in (el.attrs.get("class") or "")}


def entries(group: Element) -> list[Element]:
    return [el for el in group.iter() if el.tag == "li" and
            "change" in (el.attrs.get("class") or "").split()]


def kinds(group: Element) -> list[str]:
    return [e.attrs["class"].split()[1].removeprefix("change-") for e in entries(group)]


def find(root: Element, tag: str) -> list[Element]:
    return [el for el in root.iter() if el.tag == tag]


def text(el: Element) -> str:
    return " ".join(el.text().split())


def main_of(path: Path) -> Element:
    return find(parse(path).root, "main")[0]


def test_changes_since_the_release_tag(released: Path) -> None:
    site = build_site(released)
    commit = git(released, "rev-parse", "v1.0^{commit}")
    main = main_of(site / "changes.html")
    assert f"Changes since the release v1.0, tagged on April 14, 2025 (commit {commit[:12]})." \
        in text(main)
    assert "Concepts added: 1" in text(main) and "Concepts retired: 1" in text(main)
    found = groups(main)
    # grouped by concept, in concept-id order
    assert list(found) == ["ai-model", "artificial-intelligence", "data-lineage",
                           "hallucination", "transparency"]
    for cid, group in found.items():  # each heading links to the concept's page
        link = find(find(group, "h3")[0], "a")[0]
        assert link.attrs["href"] == f"concepts/{cid}.html"
        assert (site / link.attrs["href"]).is_file()
    assert kinds(found["data-lineage"]) == ["concept-added"]
    assert text(entries(found["data-lineage"])[0]) == "New concept."
    assert kinds(found["transparency"]) == ["concept-retired"]
    assert kinds(found["artificial-intelligence"]) == ["definition-changed"]

    # the Khmer term changed: old and new, each marked as Khmer
    (term,) = entries(found["hallucination"])
    assert text(term).startswith("Khmer term changed:")
    (old,) = find(term, "del")
    (new,) = find(term, "ins")
    assert (old.text(), old.lang(), new.text(), new.lang()) == (OLD_KM, "km", NEW_KM, "km")

    # proposed → approved by NAME on DATE, the Khmer name marked as Khmer
    (review,) = entries(found["ai-model"])
    assert kinds(found["ai-model"]) == ["review-changed"]
    assert text(review) == (f"Khmer term review: គំរូបញ្ញាសិប្បនិម្មិត: proposed → approved by "
                            f"{REVIEWER} on May 1, 2025")
    assert [el.lang() for el in review.iter() if el.text() == REVIEWER] == ["km"]

    # every run of Khmer on the English page is marked lang="km"
    for data, element in parse(site / "changes.html").texts:
        if KHMER.search(data):
            assert element.lang() == "km", data


def test_the_khmer_page(released: Path) -> None:
    site = build_site(released)
    tree = parse(site / "km" / "changes.html")
    assert find(tree.root, "html")[0].attrs["lang"] == "km"
    main = find(tree.root, "main")[0]
    assert "ការផ្លាស់ប្តូរតាំងពីការចេញផ្សាយ v1.0" in text(main)
    found = groups(main)
    assert list(found) == ["ai-model", "artificial-intelligence", "data-lineage",
                           "hallucination", "transparency"]
    heading = find(found["data-lineage"], "h3")[0]
    link = find(heading, "a")[0]
    assert (link.text(), link.lang(), link.attrs["href"]) == (
        "ប្រវត្តិទិន្នន័យ", "km", "concepts/data-lineage.html")
    assert (site / "km" / link.attrs["href"]).is_file()
    assert "សញ្ញាណថ្មី។" in text(found["data-lineage"])
    # English text on the Khmer page is marked as English
    (definition,) = entries(found["artificial-intelligence"])
    assert {el.lang() for el in definition.iter() if el.tag in ("del", "ins")} == {"en"}
    for data, element in tree.texts:
        if data.strip() and not KHMER.search(data) and element.tag in ("del", "ins", "a"):
            assert element.lang() == "en", data


def test_a_definition_approved_since_the_release(released: Path) -> None:
    """A reviewer approved a Khmer definition after the release: `glossary diff` and the
    changes page (both languages) say so, as they do for a term."""
    path = released / "terms" / "machine-learning.toml"
    edit(path, 'review = "proposed"\norigin = "machine-assisted"\nproposed_by = "glossary '
         'team"\n\n[[km.terms]]', f'review = "approved"\norigin = "machine-assisted"\n'
         f'proposed_by = "glossary team"\napproved_by = "{REVIEWER}"\n'
         'approved_on = 2025-05-02\n\n[[km.terms]]')
    report = versions.diff(released, released / "terms", "v1.0", str(released / "terms"))
    [change] = [c for c in report.changes if c.concept == "machine-learning"]
    assert change.describe() == (f"machine-learning km: definition review changed: "
                                 f"'proposed' → 'approved by {REVIEWER}'")
    site = build_site(released)
    (entry,) = entries(groups(main_of(site / "changes.html"))["machine-learning"])
    assert kinds(groups(main_of(site / "changes.html"))["machine-learning"]) == [
        "definition-review-changed"]
    assert text(entry) == (f"Khmer definition review: proposed → approved by {REVIEWER} on "
                           "May 2, 2025")
    (km_entry,) = entries(groups(main_of(site / "km" / "changes.html"))["machine-learning"])
    assert text(km_entry).startswith("ការពិនិត្យនិយមន័យខ្មែរ៖")


def test_navigation_shows_changes(released: Path) -> None:
    site = build_site(released)
    for page in ("index.html", "concepts/ai-model.html", "km/index.html"):
        nav = [el for el in parse(site / page).root.iter() if el.tag == "nav"][0]
        hrefs = [a.attrs["href"] for a in find(nav, "a")]
        assert any(h.endswith("changes.html") for h in hrefs), page
    current = [a for a in parse(site / "changes.html").root.iter()
               if a.tag == "a" and a.attrs.get("aria-current") == "page"]
    assert [a.attrs["href"] for a in current] == ["changes.html"]


def test_a_deleted_concept_is_named_without_a_link(released: Path) -> None:
    (released / "terms" / "machine-learning.toml").unlink()
    for name in ("ai-model", "artificial-intelligence"):
        edit(released / "terms" / f"{name}.toml", 'see_also = ["machine-learning"]',
             "see_also = []")
    site = build_site(released)
    group = groups(main_of(site / "changes.html"))["machine-learning"]
    assert kinds(group) == ["concept-removed"]
    assert find(group, "a") == []
    assert "machine learning" in text(group)  # its name at the release


def rebuild(project: Path, monkeypatch: pytest.MonkeyPatch | None = None) -> list[str]:
    """Build the site into the existing build/site; return the files written. With
    ``monkeypatch``, fail if the changes page is rendered."""
    if monkeypatch is not None:
        monkeypatch.setattr(changes_page, "changes_view", None)
    settings = load_settings(cwd=project)
    loaded = loader.load_valid(settings)
    report = build.build_site(pipeline.RenderContext(loaded.glossary, settings,
                                                     loaded.revision))
    if monkeypatch is not None:
        monkeypatch.undo()
    return report.stats.written


def test_a_new_release_tag_refreshes_the_page(released: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert "changes.html" in rebuild(released)
    assert rebuild(released, monkeypatch) == []  # nothing changed: not even rendered
    # the tag moved to another commit (same name, same date): only its commit id differs
    commit_all(released, "release 1.0, again")
    git(released, "tag", "-f", "-a", "v1.0", "-m", "release 1.0")
    assert sorted(rebuild(released)) == ["changes.html", "km/changes.html"]
    assert "No change since this release." in text(
        main_of(released / "build" / "site" / "changes.html"))
    commit_all(released, "release 1.1", when="2025-06-02T10:00:00+07:00")
    git(released, "tag", "v1.1")  # lightweight: dated by its commit
    assert sorted(rebuild(released)) == ["changes.html", "km/changes.html"]
    main = main_of(released / "build" / "site" / "changes.html")
    assert "Changes since the release v1.1, tagged on June 2, 2025" in text(main)
    assert "No change since this release." in text(main)
    assert groups(main) == {}


def test_an_edit_refreshes_the_page(released: Path) -> None:
    rebuild(released)
    edit(released / "terms" / "hallucination.toml", f'text = "{NEW_KM}"', 'text = "ការភាន់ច្រឡំ"')
    assert {"changes.html", "km/changes.html"} <= set(rebuild(released))
    group = groups(main_of(released / "build" / "site" / "changes.html"))["hallucination"]
    assert [el.text() for el in find(group, "ins")] == ["ការភាន់ច្រឡំ"]


def test_same_repository_same_bytes(released: Path, tmp_path: Path) -> None:
    first = build_site(released)
    pages = {p: (first / p).read_bytes() for p in ("changes.html", "km/changes.html")}
    shutil.rmtree(first)
    copy = tmp_path / "copy"
    shutil.copytree(released, copy)  # the same repository state elsewhere
    for project in (released, copy):
        site = build_site(project)
        assert {p: (site / p).read_bytes() for p in pages} == pages


def test_no_git_repository(tmp_path: Path) -> None:
    site = build_site(make_project(tmp_path / "p"))
    assert "this glossary is not in a git repository" in text(main_of(site / "changes.html"))
    assert "ឃ្លាំង git" in text(main_of(site / "km" / "changes.html"))


def test_no_release_tag(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(project, "init", "-q")
    site = build_site(project)  # no commit at all yet
    said = text(main_of(site / "changes.html"))
    assert said.startswith("Changes No release yet: every concept is new.")
    assert "a git tag matching v*" in said and "none was found" in said
    commit_all(project, "glossary")
    git(project, "tag", "release-1")  # not a release tag
    git(project, "tag", "v2.0-on-a-branch", "HEAD")
    git(project, "checkout", "-q", "--orphan", "other")  # v2.0… is not reachable from here
    commit_all(project, "other history")
    site = build_site(project)
    assert "No release yet: every concept is new." in text(main_of(site / "changes.html"))


def test_git_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    site = build_site(project)
    assert "but git is not installed" in text(main_of(site / "changes.html"))
    assert (site / "km" / "changes.html").is_file()


def test_a_release_before_terms_existed(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    git(project, "init", "-q")
    commit_all(project, "empty start")
    git(project, "tag", "v0.1")
    make_project(project)
    group_ids = list(groups(main_of(build_site(project) / "changes.html")))
    assert group_ids == ["ai-model", "artificial-intelligence", "hallucination",
                         "machine-learning", "transparency"]


def test_a_release_that_cannot_be_read(released: Path) -> None:
    """A blob missing from the repository (a damaged or partial clone): the page says
    so; the build goes on, and git fetches nothing."""
    oid = git(released, "rev-parse", "v1.0:terms/hallucination.toml")
    (released / ".git" / "objects" / oid[:2] / oid[2:]).unlink()
    site = build_site(released)
    said = text(main_of(site / "changes.html"))
    assert "The glossary at the release v1.0 could not be read, so no changes are shown:" \
        in said
    assert f"hallucination.toml ({oid}) is not in the repository" in said
    assert (site / "concepts" / "hallucination.html").is_file()


def test_unchanged_files_are_taken_from_the_current_glossary(released: Path) -> None:
    settings = load_settings(cwd=released)
    glossary = loader.load_valid(settings).glossary
    plain = versions.load_git(released, settings.terms_dir, "v1.0")
    reused = versions.load_git(released, settings.terms_dir, "v1.0", current=glossary)
    assert reused == plain
    # machine-learning.toml is the one file unchanged since v1.0
    assert reused.concept("machine-learning") is glossary.concept("machine-learning")
    assert reused.concept("hallucination") is not glossary.concept("hallucination")
    assert reused.concept("hallucination") == plain.concept("hallucination")
    assert reused.concept("data-lineage") is None


def test_last_release_prefers_the_newest_tag(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    git(project, "init", "-q")
    commit_all(project, "one", when="2025-01-01T00:00:00+00:00")
    git(project, "tag", "v1.0")
    commit_all(project, "two", when="2025-02-01T00:00:00+00:00")
    git(project, "tag", "v1.1")
    git(project, "tag", "v1.2")  # the same commit and date: the higher version wins
    baseline = versions.last_release(project)
    assert baseline.state == "release" and baseline.release is not None
    assert (baseline.release.tag, str(baseline.release.tagged_on)) == ("v1.2", "2025-02-01")
    assert baseline.release.commit == git(project, "rev-parse", "HEAD")


def test_changed_text_is_escaped(released: Path) -> None:
    hostile = '<img src=x onerror="window.__xss=1">'
    edit(released / "terms" / "hallucination.toml", 'text = "confabulation"',
         f"text = '{hostile}'")
    site = build_site(released)
    group = groups(main_of(site / "changes.html"))["hallucination"]
    (ins,) = [el for el in find(group, "ins") if el.lang() == "en"]
    assert ins.text() == hostile
    assert find(group, "img") == []
    assert "&lt;img src=x" in (site / "changes.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_changes_page_in_a_browser_fits_and_passes_axe(released: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    site = build_site(released)
    problems = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        try:
            for width in (1280, 390):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                page.on("request", lambda request: requests.append(request.url))
                for rel in ("changes.html", "km/changes.html"):
                    page.goto((site / rel).as_uri())
                    page.wait_for_load_state("load")
                    overflow = page.evaluate("document.documentElement.scrollWidth"
                                             " - document.documentElement.clientWidth")
                    assert overflow <= 0, f"{rel} is wider than {width}px by {overflow}px"
                    for violation in Axe().run(page).response["violations"]:
                        if violation["impact"] in ("serious", "critical"):
                            problems.append((rel, width, violation["id"], violation["help"]))
                context.close()
        finally:
            browser.close()
    assert problems == []
    assert requests and all(r.startswith("file://") for r in requests), requests
