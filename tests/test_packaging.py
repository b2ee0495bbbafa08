"""The two packages: course_lib (the learner's) never imports course_tools (the teacher's), and a plain
``pip install .`` (not editable) gives a course_lib that works inside the course folder."""
import ast
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_course_lib_never_imports_course_tools():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / "course_lib").rglob("*.py"))
        for module in _imported_modules(path)
        if module == "course_tools" or module.startswith("course_tools.")
    ]
    assert offenders == [], "course_lib must not depend on the teacher's tools:\n" + "\n".join(offenders)


def test_old_module_paths_are_gone():
    for old in ("handouts.py", "images.py", "static"):
        assert not (ROOT / "course_lib" / old).exists(), f"course_lib/{old} moved to course_tools/"
    assert not (ROOT / ".ci" / "regenerate_notebooks.py").exists()


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """course_lib and course_tools built as a wheel and installed into a folder of their own."""
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "source"  # a copy, so the build leaves nothing in the checkout
    for name in ("course_lib", "course_tools"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "--wheel-dir", str(tmp / "wheel"), str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((tmp / "wheel").glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(tmp / "site"),
                    str(wheel)], check=True, capture_output=True)
    return wheel, tmp / "site"


def _run(site, cwd, code):
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("COURSE_ROOT", None)
    env.pop("COURSE_MNIST_DIR", None)
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


def test_the_wheel_holds_both_packages_and_the_vendored_files(installed):
    wheel, _site = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "course_lib/learner/layers/affine.py" in names and "course_tools/handouts.py" in names
    assert "course_tools/static/widget_renderer/embed-amd.js" in names
    assert "course_tools/static/mathjax/tex-svg-full.js" in names
    assert not any(name.startswith(("tests/", "notebooks/", "data/")) for name in names)


def test_an_installed_course_lib_runs_a_lesson_from_the_course_folder(installed):
    _wheel, site = installed
    result = _run(site, ROOT / "notebooks", (
        "import course_lib, course_tools.handouts as h\n"
        "from course_lib import apple_graph, load_mnist\n"
        "assert course_lib.__file__.startswith(%r), course_lib.__file__\n"
        "g = apple_graph(); g.forward(); assert abs(g.backward().grads['apple'] - 2.2) < 1e-12\n"
        "(x, t), _ = load_mnist(normalize=False)\n"
        "assert x.shape == (60000, 784) and all(p.is_file() for p in h.runtime_files())\n"
        "print('ok')\n") % str(site))
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_outside_the_course_folder_the_error_says_how_to_point_at_it(installed, tmp_path):
    _wheel, site = installed
    result = _run(site, tmp_path, "from course_lib import load_mnist\nload_mnist()")
    assert result.returncode != 0
    assert "COURSE_ROOT" in result.stderr and "Traceback" in result.stderr


# ---- the student install: course_lib alone, with no answer in it (course_tools.classroom.student_install) ----

STUDENT_LESSON = "08_two_layer_net_and_gradient_check"  # TwoLayerNet: Affine, Relu, SoftmaxWithLoss, the gradient


@pytest.fixture(scope="module")
def student_install(tmp_path_factory):
    """A release of lesson 8 (which writes student_install/), its wheel unpacked and installed with --target."""
    from course_tools.classroom import release

    tmp = tmp_path_factory.mktemp("student")
    course_dir = release(tmp / "course", [STUDENT_LESSON], out=open(os.devnull, "w"))
    folder = course_dir / "student_install"
    wheel = next(folder.glob("*.whl"))
    zipfile.ZipFile(wheel).extractall(tmp / "unpacked")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target",
                    str(tmp / "site"), str(wheel)], check=True, capture_output=True)
    return course_dir, wheel, tmp / "unpacked", tmp / "site"


def _every_answer_line():
    import nbformat

    from course_lib import paths
    from course_tools.classroom import answers

    notebooks = {path.stem: nbformat.read(path, as_version=4) for path in paths.lesson_paths()}
    found = answers.answer_lines(notebooks)
    assert found["06_affine_and_batches"] and found["05_activation_layers"]
    return set().union(*found.values()) | set().union(*answers.distinctive_lines(notebooks).values())


def test_the_student_wheel_holds_course_lib_and_no_answer(student_install):
    from course_tools.classroom import answers
    from course_tools.classroom.student_install import python_tag

    _course, wheel, unpacked, _site = student_install
    assert wheel.name == f"course_lib-0.1.0-{python_tag()}-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    assert all(name.startswith(("course_lib/", "course_lib-0.1.0.dist-info/")) for name in names), names
    assert not any("course_tools" in name or name.startswith(("tests/", "notebooks/", "data/")) for name in names)
    for hidden in ("learner/layers/affine", "learner/layers/relu", "learner/value", "learner/gradient"):
        assert f"course_lib/{hidden}.pyc" in names and f"course_lib/{hidden}.py" not in names, hidden
    assert "course_lib/learner/layers/dropout.py" in names and "course_lib/graph.py" in names  # the rest: source
    lines = _every_answer_line()
    assert answers.answers_in((ROOT / "course_lib/learner/layers/affine.py").read_text(), lines)  # the search finds them
    files = [path for path in unpacked.rglob("*") if path.is_file()]
    assert len(files) == len(names)
    leaks = {str(path.relative_to(unpacked)): found for path in files
             if (found := answers.answers_in(path.read_bytes().decode("utf-8", errors="replace"), lines))}
    assert leaks == {}
    metadata = (unpacked / "course_lib-0.1.0.dist-info" / "METADATA").read_text()
    assert f"Requires-Python: =={sys.version_info.major}.{sys.version_info.minor}.*" in metadata


def test_the_student_requirements_are_what_a_lesson_needs(student_install):
    course_dir, wheel, _unpacked, _site = student_install
    wanted = [line for line in (course_dir / "student_install" / "requirements.txt").read_text().splitlines()
              if line and not line.startswith("#")]
    names = {re.split(r"[<>=\[ ]", line)[0] for line in wanted}
    assert names == {"numpy", "matplotlib", "ipywidgets", "jupyterlab", "notebook", "ipykernel", "tqdm", "threadpoolctl"}
    course = (ROOT / "requirements.txt").read_text().splitlines()
    assert all(line in course for line in wanted)  # pinned as the course pins them
    readme = (course_dir / "student_install" / "README.md").read_text()
    assert wheel.name in readme and "hub's Python" in readme and "sudo -E pip install" in readme


def test_a_released_lesson_runs_on_the_student_install_alone(student_install, monkeypatch):
    """Lesson 8's student edition in a kernel that finds course_lib in the installed wheel, not in the repo."""
    import json

    import nbformat
    from nbclient import NotebookClient

    from course_tools.classroom.lessons import task_cells

    course_dir, _wheel, _unpacked, site = student_install
    folder = course_dir / "release" / STUDENT_LESSON
    monkeypatch.setenv("PYTHONPATH", str(site))
    monkeypatch.setenv("COURSE_ROOT", str(folder))
    notebook = nbformat.read(folder / f"{STUDENT_LESSON}.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import json, sys, course_lib, course_lib.learner.layers.affine as affine\n"
        "print(json.dumps({'course_lib': course_lib.__file__, 'affine': affine.__file__, 'path': sys.path}))"))
    NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    where = json.loads(notebook.cells[-1].outputs[0]["text"])
    assert where["course_lib"].startswith(str(site)) and where["affine"] == str(site / "course_lib/learner/layers/affine.pyc")
    assert str(site) in where["path"]
    assert not [entry for entry in where["path"] if entry and Path(entry).resolve() == ROOT], where["path"]
    failing = {}
    for cell in notebook.cells:
        errors = [output for output in cell.get("outputs", []) if output.output_type == "error"]
        if errors:
            failing[cell.metadata.get("nbgrader", {}).get("grade_id", cell.source[:60])] = errors[0].ename
    tasks = task_cells(notebook)
    tests, answers = {test for _, test, _ in tasks}, {answer for answer, _, _ in tasks}
    assert set(failing) >= tests and all(failing[answer] == "NotImplementedError" for answer in answers if answer in failing)
    assert {cell: name for cell, name in failing.items() if cell not in tests | answers} == {}
