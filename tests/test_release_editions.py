"""``release --lang ko|ja``: a class in Korean or Japanese, graded like the English one.

One Korean release of lesson 1 (module fixture): its lesson folder must carry what makes course_lib
speak Korean (marker and catalogs), its pictures drawn in Korean, the English lesson's nbgrader tasks
and points; a right submission graded in it gets the full points and Korean feedback.
"""
import csv
import re
import shutil

import nbformat
import pytest

from course_lib import i18n, paths
from course_tools.classroom import grade, release
from course_tools.classroom.__main__ import main
from course_tools.classroom.course import ClassroomError, read_marker
from course_tools.classroom.lessons import lessons, task_cells

L1 = "01_computational_graphs"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MARKER_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION\n", re.M)


@pytest.fixture(scope="module")
def korean_class(tmp_path_factory):
    course_dir = tmp_path_factory.mktemp("class") / "course_ko"
    assert main(["release", str(course_dir), L1, "--lang", "ko"]) == 0
    return course_dir


def test_the_korean_release_is_the_korean_edition_with_english_tasks(korean_class):
    released = korean_class / "release" / L1
    notebook = nbformat.read(released / f"{L1}.ipynb", as_version=4)
    english = nbformat.read(paths.notebooks_dir() / f"{L1}.ipynb", as_version=4)
    assert task_cells(notebook) == task_cells(english) and task_cells(notebook)
    assert notebook.cells[0].source.startswith("# 1. 계산 그래프")
    assert read_marker(korean_class)["lang"] == "ko"
    assert (released / "course_language.txt").read_text().strip() == "ko"
    assert sorted(p.name for p in (released / "locale" / "ko" / "LC_MESSAGES").iterdir()) == [
        f"{L1}.mo", "course_lib.mo"]  # the lesson's own catalog and course_lib's, no other lesson's
    for picture in (released / "images").glob("*.svg"):
        assert HANGUL.search(picture.read_text(encoding="utf-8")), f"{picture.name} is not the Korean drawing"
    present = korean_class / "present" / L1
    assert (present / "course_language.txt").is_file() and (present / "locale").is_dir()


def test_a_released_lesson_reads_its_own_catalogs(korean_class, monkeypatch):
    """In the lesson's folder (where its kernel runs) course_lib reads the catalogs shipped beside it."""
    folder = korean_class / "release" / L1
    monkeypatch.chdir(folder)
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    i18n.forget_catalogs()
    try:
        assert i18n.locale_dir() == folder / "locale" and i18n.language() == "ko"
        assert HANGUL.search(i18n._("Step 0: the forward pass"))
    finally:
        i18n.forget_catalogs()


def test_a_korean_submission_is_graded_with_the_english_points_and_korean_feedback(korean_class):
    notebook = nbformat.read(korean_class / "release" / L1 / f"{L1}.ipynb", as_version=4)
    source = {cell.metadata["nbgrader"]["grade_id"]: cell.source
              for cell in nbformat.read(korean_class / "source" / L1 / f"{L1}.ipynb", as_version=4).cells
              if cell.metadata.get("nbgrader", {}).get("solution")}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in source:
            cell.source = MARKER_LINE.sub("", source[grade_id])
    folder = korean_class / "submitted" / "minji" / L1
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{L1}.ipynb")
    grade(korean_class, timeout=60)
    with open(korean_class / "grades.csv", newline="") as file:
        row = next(r for r in csv.DictReader(file) if r["student"] == "minji" and r["assignment"] == L1)
    points = sum(p for *_, p in task_cells(notebook))
    assert float(row["score"]) == points == float(row["max_score"])
    graded = nbformat.read(korean_class / "autograded" / "minji" / L1 / f"{L1}.ipynb", as_version=4)
    tests = [cell for cell in graded.cells if cell.metadata.get("nbgrader", {}).get("grade")
             and not cell.metadata["nbgrader"].get("solution")]
    shown = "".join(out.get("text", "") for cell in tests for out in cell.outputs if out.output_type == "stream")
    assert shown and HANGUL.search(shown), f"the tests spoke English in the Korean class: {shown[:300]!r}"


def test_one_folder_one_language_and_only_translated_lessons(korean_class, tmp_path):
    with pytest.raises(ClassroomError, match="holds the ko edition"):
        release(korean_class, [L1], out=open("/dev/null", "w"))
    untranslated = [p.stem for p in paths.lesson_paths() if not (p.parent / "ja" / p.name).is_file()]
    if untranslated:
        with pytest.raises(ClassroomError, match=f"no ja edition of {untranslated[0]}"):
            lessons([untranslated[0]], "ja")
    assert set(lessons(None, "ja")) == {p.stem for p in paths.lesson_paths() if (p.parent / "ja" / p.name).is_file()}
    with pytest.raises(ClassroomError, match="'fr'"):
        lessons(None, "fr")


def test_the_korean_self_study_edition(tmp_path):
    out = tmp_path / "self_study"
    assert main(["self-study", str(out), "--lang", "ko"]) == 0
    translated = [p.name for p in paths.lesson_paths() if (p.parent / "ko" / p.name).is_file()]
    assert sorted(p.name for p in out.glob("*.ipynb")) == translated
    assert sorted(p.name for p in (out / "solutions").glob("*.ipynb")) == translated
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "자습용 판" in readme and "Self-study edition" not in readme
    for folder in (out, out / "solutions"):  # a kernel started in either speaks Korean
        assert (folder / "course_language.txt").read_text().strip() == "ko"
        assert (folder / "locale" / "ko" / "LC_MESSAGES" / "course_lib.mo").is_file()
    assert main(["self-study", str(out), "--lang", "ko"]) == 0  # made here: made again


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_each_edition_has_a_readme_of_its_own(lang):
    """README.<lang>.md, linked from the main README: its start command is the English one for that edition,
    and it lists every lesson the edition has (so it follows the translations)."""
    root = paths.course_root()
    readme = (root / f"README.{lang}.md").read_text(encoding="utf-8")
    assert f"(README.{lang}.md)" in (root / "README.md").read_text(encoding="utf-8")
    assert (f"pip install -r requirements.txt && python -m course_tools.classroom self-study --lang {lang} "
            "&& jupyter lab self_study/") in readme
    for command in (f"handouts --lang {lang}", f"release COURSE_DIR --lang {lang}", f'set_language("{lang}")'):
        assert command in readme
    for lesson in sorted((root / "notebooks" / lang).glob("[0-9][0-9]_*.ipynb")):
        assert f"notebooks/{lang}/{lesson.name}" in readme, f"README.{lang}.md does not list {lesson.name}"
    other = {"ko": "ja", "ja": "ko"}[lang]
    assert f"(README.{other}.md)" in readme and "(README.md)" in readme
