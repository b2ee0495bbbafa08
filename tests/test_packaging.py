"""The two packages: course_lib (the learner's) never imports course_tools (the teacher's), and a plain
``pip install .`` (not editable) gives a course_lib that works inside the course folder."""
import ast
import os
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
