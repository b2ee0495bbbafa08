"""The handouts export (course_tools.handouts), without a browser: files, local renderer, widget state."""
import html
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from course_tools import handouts
from course_tools.classroom import answers
from course_tools.handouts import default_notebooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CDN_HINTS = ("cdn.jsdelivr", "unpkg", "cdnjs")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    return out, handouts.export_all(NOTEBOOKS, out)


def _script_sources(page):
    return re.findall(r'<script[^>]*\bsrc="([^"]*)"', page)


def test_one_page_per_notebook_plus_index_and_lib(exported):
    out, pages = exported
    assert NOTEBOOKS == default_notebooks() and len(NOTEBOOKS) >= 10
    assert [page.name for page in pages] == [f"{nb.stem}.html" for nb in NOTEBOOKS]
    assert all(page.parent == out and page.stat().st_size > 10_000 for page in pages)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{page.name}"' in index for page in pages)
    for relative in ("lib/require.js", "lib/embed-amd.js", "lib/mathjax/tex-svg-full.js",
                     "lib/LICENSE.html-manager", "lib/LICENSE.requirejs", "lib/LICENSE.mathjax"):
        assert (out / relative).is_file(), relative
    assert len(list((out / "lib").glob("*.woff2"))) == 3


def test_pages_load_scripts_from_lib_and_no_cdn(exported):
    out, pages = exported
    for notebook, page in zip(NOTEBOOKS, pages):
        text = page.read_text(encoding="utf-8")
        sources = _script_sources(text)
        assert sources == ["lib/require.js", "lib/mathjax/tex-svg-full.js"], (page.name, sources)
        has_widgets = bool(nbformat.read(notebook, as_version=4).metadata.get("widgets"))
        assert ("var widgetRendererSrc = 'lib/embed-amd.js';" in text) == has_widgets, page.name
        assert "widgetRendererSrc = 'http" not in text
        assert handouts.REQUIRE_CONFIG in text and handouts.MATHJAX_CONFIG in text
        for hint in ("cdn.jsdelivr", "unpkg"):
            assert hint not in text, (page.name, hint)
        # every script or stylesheet the page loads is a file of the handout
        for source in sources + re.findall(r'<link[^>]*\bhref="([^"]*)"', text):
            assert not source.startswith(("http:", "https:", "//")), (page.name, source)
            assert (out / source).is_file(), (page.name, source)


def _task_cells_only(notebook):
    copy = nbformat.from_dict(notebook)
    copy.cells = [cell for cell in copy.cells if handouts.is_task_cell(cell)]
    return copy


def test_pages_embed_the_widget_state_of_what_they_show(exported):
    """Every widget a page shows has its state; a widget shown only by a test cell (lesson 9's progress bar) has none."""
    _, pages = exported
    dropped_somewhere = False
    for notebook_path, page in zip(NOTEBOOKS, pages):
        notebook = nbformat.read(notebook_path, as_version=4)
        stored = notebook.metadata["widgets"][handouts.WIDGET_STATE]["state"]
        text = page.read_text(encoding="utf-8")
        match = re.search(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>',
                          text, re.S)
        assert match, page.name
        embedded = json.loads(match.group(1))["state"]
        assert set(embedded) <= set(stored), page.name
        views = re.findall(r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>',
                           text, re.S)
        assert views and all(json.loads(view)["model_id"] in embedded for view in views), page.name
        of_tests = set(handouts.shown_widget_state(stored, _task_cells_only(notebook)))
        assert not of_tests & set(embedded), page.name
        assert set(stored) - set(embedded) <= of_tests, f"{page.name}: widgets of the lesson left out"
        dropped_somewhere |= bool(of_tests)
    assert dropped_somewhere  # lesson 9's update test shows a progress bar: its state stays out


def test_stepper_frames_are_in_the_state_with_their_jslink(exported):
    """03_gates: the Stack's frames and the step box→Stack jslink are stored, so stepping needs no kernel."""
    _, pages = exported
    text = next(page for page in pages if page.name == "03_gates.html").read_text(encoding="utf-8")
    state = json.loads(re.search(r'widget-state\+json">(.*?)</script>', text, re.S).group(1))["state"]
    models = {model["model_name"] for model in state.values()}
    assert {"StackModel", "BoundedIntTextModel", "LinkModel"} <= models  # the step box, jslinked
    frames = [m["state"]["value"] for m in state.values() if m["model_name"] == "HTMLModel"]
    assert any("2.2" in frame and "110" in frame for frame in frames)


def _strip_widget_state(source, target):
    notebook = nbformat.read(source, as_version=4)
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, target)


def test_warns_for_a_notebook_without_widget_state(tmp_path):
    bare = tmp_path / "03_gates.ipynb"
    _strip_widget_state(ROOT / "notebooks" / "03_gates.ipynb", bare)
    assert handouts.widget_problems(nbformat.read(bare, as_version=4))
    with pytest.warns(handouts.WidgetStateWarning, match="03_gates.ipynb.*no widget state"):
        handouts.export_notebook(bare, tmp_path / "out")
    assert (tmp_path / "out" / "03_gates.html").is_file()


def test_no_warning_for_a_notebook_without_widgets(tmp_path, recwarn):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Plain\n\n$x^2$")])
    path = tmp_path / "plain.ipynb"
    nbformat.write(notebook, path)
    handouts.export_notebook(path, tmp_path)
    assert not [w for w in recwarn if issubclass(w.category, handouts.WidgetStateWarning)]


def test_command_line(tmp_path, capsys):
    bare = tmp_path / "nb" / "03_gates.ipynb"
    bare.parent.mkdir()
    _strip_widget_state(ROOT / "notebooks" / "03_gates.ipynb", bare)
    shutil.copy(ROOT / "notebooks" / "01_computational_graphs.ipynb", bare.parent)
    out = tmp_path / "handout"
    assert handouts.main(["-o", str(out), str(bare.parent / "01_computational_graphs.ipynb"), str(bare)]) == 0
    captured = capsys.readouterr()
    assert "WARNING: 03_gates.ipynb" in captured.err and "01_computational" not in captured.err
    assert sorted(p.name for p in out.glob("*.html")) == [
        "01_computational_graphs.html", "03_gates.html", "index.html"]
    assert "zip" in captured.out


def test_vendored_files_are_listed_as_package_data():
    """pyproject.toml ships course_tools/static/ with the package, so an installed course_tools can export."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["course_tools"]
    for source in handouts.runtime_files():
        relative = source.relative_to(ROOT / "course_tools")
        assert any(relative.match(pattern) for pattern in patterns), relative


# ---- index, editions, reproducibility ----

def test_index_has_a_card_per_lesson_with_title_goals_and_thumbnail(exported):
    out, pages = exported
    index = (out / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<li class="card">(.*?)</li>\s*(?=<li class="card">|</ul>\s*</main>)', index, re.S)
    assert len(cards) == len(pages)
    for notebook_path, page, card in zip(NOTEBOOKS, pages, cards):
        notebook = nbformat.read(notebook_path, as_version=4)
        assert f'href="{page.name}"' in card
        assert handouts.lesson_title(notebook, "") in card
        for goal in handouts.lesson_goals(notebook)[:1]:
            assert handouts._markdown_inline(goal) in card
    assert index.count('<img src="data:image/') >= len(pages) // 2
    assert all(alt.strip() for alt in re.findall(r'<img [^>]*alt="([^"]*)"', index))
    assert not re.search(r'(src|href)="(https?:)?//', index)  # nothing from the network


def test_goals_are_read_from_what_you_will_learn():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# 1. Title\n\n**What you will learn**\n- one **bold** idea;\n- two lines\n  continued;\n\nText.")])
    assert handouts.lesson_goals(notebook) == ["one **bold** idea;", "two lines continued;"]
    assert handouts._markdown_inline("a **b** `c`") == "a <strong>b</strong> <code>c</code>"


SOLUTION_SOURCE = """def double(x):
    ### BEGIN SOLUTION
    secret_answer = 2 * x
    return secret_answer
    ### END SOLUTION"""


def _exercise_notebook(path):
    answer = nbformat.v4.new_code_cell(SOLUTION_SOURCE, execution_count=1, outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="secret output\n")])
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                   "grade_id": "double", "schema_version": 3}
    check = nbformat.v4.new_code_cell("assert double(2) == 4", execution_count=2)
    check.metadata["nbgrader"] = {"solution": False, "grade": True, "locked": True, "points": 1,
                                  "grade_id": "double_test", "schema_version": 3}
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 9. Exercise\n\n**What you will learn**\n- doubling"), answer, check])
    nbformat.write(notebook, path)
    return path


def test_student_handout_has_no_solution_and_no_solution_output(tmp_path):
    source = _exercise_notebook(tmp_path / "09_exercise.ipynb")
    page = handouts.export_notebook(source, tmp_path / "student").read_text(encoding="utf-8")
    assert "secret_answer" not in page and "secret output" not in page
    assert "BEGIN SOLUTION" not in page and "YOUR CODE HERE" in page and "NotImplementedError" in page
    assert "assert double(2) == 4" in re.sub(r"<[^>]+>", "", page)  # the test cell stays
    assert "Self-study edition" not in page
    assert nbformat.read(source, as_version=4).cells[1].source == SOLUTION_SOURCE  # the source is untouched


def test_self_study_handout_keeps_solutions_and_says_so(tmp_path):
    source = _exercise_notebook(tmp_path / "09_exercise.ipynb")
    pages = handouts.export_all([source], tmp_path / "self", self_study=True)
    page = pages[0].read_text(encoding="utf-8")
    assert "secret_answer" in page and "Self-study edition" in page
    assert "Self-study edition" in (tmp_path / "self" / "index.html").read_text(encoding="utf-8")


def test_the_build_is_byte_for_byte_reproducible(tmp_path):
    chosen = [ROOT / "notebooks" / "03_gates.ipynb", _exercise_notebook(tmp_path / "09_exercise.ipynb")]
    first = handouts.export_all(chosen, tmp_path / "a")
    second = handouts.export_all(chosen, tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and len(first) == len(second) == 2
    for relative in files_a:
        assert (tmp_path / "a" / relative).read_bytes() == (tmp_path / "b" / relative).read_bytes(), relative


# ---- bad paths and broken notebooks get a sentence, not a traceback (issue 15) ----

LESSON = ROOT / "notebooks" / "01_computational_graphs.ipynb"

def test_output_that_is_a_file_or_under_a_file(tmp_path, capsys):
    from course_tools.handouts import HandoutError, export_all, main
    a_file = tmp_path / "afile"
    a_file.write_text("")
    with pytest.raises(HandoutError, match="is a file, not a folder"):
        export_all([LESSON], a_file)
    with pytest.raises(HandoutError, match="cannot write the handouts to .*Not a directory"):
        export_all([LESSON], a_file / "sub")
    with pytest.raises(SystemExit) as info:
        main(["-o", str(a_file), str(LESSON)])
    assert info.value.code == 2 and "is a file, not a folder" in capsys.readouterr().err


def test_an_output_folder_without_write_permission(tmp_path, monkeypatch):
    from course_tools import handouts

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "out" / "lib"))

    monkeypatch.setattr(handouts.shutil, "copyfile", refused)
    with pytest.raises(handouts.HandoutError, match="cannot write the handouts to .*Permission denied"):
        handouts.export_all([LESSON], tmp_path / "out")


@pytest.mark.parametrize("content, match", [("not json", "not a readable notebook"),
                                            ('{"cells": 5}', "not a readable notebook")])
def test_a_broken_notebook_is_named(tmp_path, content, match):
    from course_tools.handouts import HandoutError, export_all
    broken = tmp_path / "broken.ipynb"
    broken.write_text(content)
    with pytest.raises(HandoutError, match=match):
        export_all([LESSON, broken], tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing written before every notebook was read
    with pytest.raises(HandoutError, match="no such notebook"):
        export_all([tmp_path / "missing.ipynb"], tmp_path / "out")


# ---- the student edition of the real lessons: nothing of a test's verdict or an answer reaches a page ----

def _texts_in(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts_in(item)


def _without_tags(text):
    return html.unescape(re.sub(r"<[^>]+>", " ", text)), html.unescape(re.sub(r"<[^>]+>", "", text))


def page_text(page):
    """What a page holds, as text to search: its visible text (tags dropped, entities decoded, with and
    without a space for each tag, as code is split into highlighted spans) and every string of the widget
    state and views it embeds (HTML frames decoded the same way); whitespace normalised."""
    parts = [*_without_tags(page)]
    for blob in re.findall(r'<script type="application/vnd\.jupyter\.widget-(?:state|view)\+json">(.*?)</script>',
                           page, re.S):
        for text in _texts_in(json.loads(blob)):
            parts += [text, *_without_tags(text)]
    return answers.normalise("\n".join(parts))


def _test_output_lines(notebooks):
    """{(lesson, line)}: the lines the lessons' test cells print (their stored outputs), normalised, that the
    lessons show nowhere else (a test that prints a literal string shows it in its code already)."""
    shown = "\n".join(answers.shown_text(notebook) for notebook in notebooks.values())
    found = set()
    for stem, notebook in notebooks.items():
        for cell in notebook.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                for output in cell.get("outputs", []):
                    found |= {(stem, line) for line in map(answers.normalise, answers.output_text(output).splitlines())
                              if len(line) > 8 and line not in shown}
    return found


def test_student_pages_hold_no_test_output_and_no_answer(exported):
    """Built from the real lessons, whose test cells have stored verdicts ("✔ Right: b. ..."): none of
    them, and no solution or hidden-test line that the lessons show nowhere else, is in any page."""
    out, pages = exported
    notebooks = {path.stem: nbformat.read(path, as_version=4) for path in NOTEBOOKS}
    verdicts = _test_output_lines(notebooks)
    solutions = {(stem, line) for stem, lines in answers.distinctive_lines(notebooks).items() for line in lines}
    assert len(verdicts) > 50 and any("✔ Right: b." in line for _, line in verdicts)
    assert all(lines for lines in answers.distinctive_lines(notebooks).values())
    assert any(stem == "06_affine_and_batches" for stem, _ in solutions)
    texts = {page.name: page_text(page.read_text(encoding="utf-8")) for page in [*pages, out / "index.html"]}
    leaks = [f"{page}: {kind} of {stem}: {line!r}" for page, text in texts.items()
             for kind, found in (("test output", verdicts), ("answer", solutions))
             for stem, line in sorted(found) if line in text]
    assert leaks == [], "\n".join(leaks[:20])
    # what the student must see is there: the tests' code, the stubs, the lesson's own outputs
    gates = texts["03_gates.html"]
    assert "check_layer(MyMulLayer()" in gates.replace(" (", "(") or "MyMulLayer" in gates
    assert "raise NotImplementedError()" in gates and "Step 0: the forward pass" in gates
    assert "BEGIN HIDDEN TESTS" not in "".join(texts.values()) and "BEGIN SOLUTION" not in "".join(texts.values())


def test_self_study_pages_keep_the_answers(tmp_path):
    lesson = ROOT / "notebooks" / "01_computational_graphs.ipynb"
    page = handouts.export_all([lesson], tmp_path, self_study=True)[0].read_text(encoding="utf-8")
    assert 'tax_doubles_answer = "b"' in page_text(page) and "✔ Right: b." in page_text(page)
    assert "Self-study edition" in page


def test_english_pages_and_index_say_they_are_english(exported):
    out, pages = exported
    assert all('<html lang="en"' in page.read_text(encoding="utf-8")[:300] for page in pages)
    assert '<html lang="en"' in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, words", [
    ("ko", ("오차역전파법, 게이트 하나씩", "이 장에서 배우는 것:", "자습용 판")),
    ("ja", ("誤差逆伝播法、ゲートをひとつずつ", "この章で学ぶこと：", "自習版")),
])
def test_an_edition_s_handouts_speak_its_language(tmp_path, capsys, lang, words):
    """--lang ko: the edition's lessons, pages and index marked lang="ko" (screen readers), index and notes in Korean."""
    lessons = default_notebooks(lang)
    assert lessons and all(path.parent.name == lang for path in lessons)
    assert [path.name for path in lessons] == [path.name for path in default_notebooks() if path.name in
                                               {lesson.name for lesson in lessons}]
    assert handouts.main(["--lang", lang, "--self-study", "-o", str(tmp_path), str(lessons[0])]) == 0
    page = (tmp_path / f"{lessons[0].stem}.html").read_text(encoding="utf-8")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in page[:300] and f'<html lang="{lang}"' in index
    assert words[0] in index and words[1] in index and words[2] in page and words[2] in index
    assert "What you will learn" not in index and "Self-study edition" not in page + index
    goals = handouts.lesson_goals(nbformat.read(lessons[0], as_version=4))
    assert goals and all(handouts._markdown_inline(goal) in index for goal in goals)


def test_an_unknown_edition_is_refused(tmp_path):
    with pytest.raises(handouts.HandoutError, match="'fr'.*en, ko, ja"):
        handouts.export_all(None, tmp_path, lang="fr")
