"""What students get, made as docs/running_a_class.md says: a release, and the student install in its own Python.

``make_release`` runs ``python -m course_tools.classroom release COURSE_DIR LESSON...`` (the teacher's command,
real nbgrader), which writes ``release/<lesson>/`` (the student edition) and ``student_install/`` (the wheel
of course_lib without the answers, and requirements.txt).

``make_student_python`` makes a fresh virtual environment and installs that wheel with the guide's command,
``pip install <wheel> -r requirements.txt``, offline (``--no-index``).  So that nothing is downloaded, the
environment sees the third-party packages of the Python running this script (numpy, jupyterlab, ipykernel ...)
through one path line (``classroom-base.pth``); a path line is not a site folder, so the ``.pth`` files there,
among them the course's own editable install, are not run: the only course_lib the students can import is the
wheel's.  The students' servers run this environment's Python, with no PYTHONPATH.
"""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The server extensions a student's `pip install -r requirements.txt` would enable (JupyterLab, Notebook 7).
STUDENT_SERVER_EXTENSIONS = ("jupyterlab", "notebook", "notebook_shim", "jupyter_server_terminals",
                             "jupyter-lsp-jupyter-server")


class StudentInstallFailed(RuntimeError):
    """The release or the student install could not be made; the message says which command and why."""


def _run(command, what, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise StudentInstallFailed(f"{what} failed ({' '.join(map(str, command))}):\n{done.stdout[-1500:]}{done.stderr[-1500:]}")
    return done


def teacher_env():
    """The environment of the teacher's commands: this checkout's course_tools first, this Python's tools on PATH."""
    path = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PATH": path, "PYTHONPATH": pythonpath}


def make_release(course_dir, lesson_stems):
    """Release the lessons into ``course_dir`` (new); returns {stem: release folder}."""
    _run([sys.executable, "-m", "course_tools.classroom", "release", str(course_dir), *lesson_stems],
         "the release", env=teacher_env(), cwd=ROOT)
    folders = {stem: Path(course_dir) / "release" / stem for stem in lesson_stems}
    missing = [stem for stem, folder in folders.items() if not (folder / f"{stem}.ipynb").is_file()]
    if missing:
        raise StudentInstallFailed(f"the release made no notebook for {missing} in {course_dir}/release")
    return folders


def make_student_python(course_dir, venv_dir):
    """A fresh venv in ``venv_dir`` with COURSE_DIR/student_install/ installed; returns its python (Path)."""
    install = Path(course_dir) / "student_install"
    wheels = sorted(install.glob("course_lib-*.whl"))
    if len(wheels) != 1:
        raise StudentInstallFailed(f"{install} holds {len(wheels)} course_lib wheels, expected 1")
    venv_dir = Path(venv_dir)
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv_dir)], "making the students' venv")
    python = venv_dir / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        "asking the venv for its site-packages").stdout.strip())
    base = Path(sysconfig.get_paths()["purelib"])
    (purelib / "classroom-base.pth").write_text(f"{base}\n")
    _run([str(python), "-m", "pip", "install", "--quiet", "--no-index", "--no-warn-conflicts", str(wheels[0]),
          "-r", str(install / "requirements.txt")], "pip install of the student wheel", env=clean_env(venv_dir))
    _enable_server_extensions(venv_dir)
    return python


def _enable_server_extensions(venv_dir):
    """The students' JupyterLab and Notebook 7, enabled in the venv as their own install would."""
    source = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d"
    target = Path(venv_dir) / "etc" / "jupyter" / "jupyter_server_config.d"
    target.mkdir(parents=True, exist_ok=True)
    for name in STUDENT_SERVER_EXTENSIONS:
        if (source / f"{name}.json").is_file():
            shutil.copy(source / f"{name}.json", target / f"{name}.json")


def clean_env(venv_dir):
    """An environment with the students' venv first on PATH and no PYTHONPATH or VIRTUAL_ENV of ours."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = str(Path(venv_dir) / "bin") + os.pathsep + "/usr/local/bin:/usr/bin:/bin"
    return env


def server_environment(venv_dir):
    """The students' servers' environment (Spawner.environment): their venv, one BLAS thread, no PYTHONPATH."""
    return {
        "PATH": str(Path(venv_dir) / "bin") + os.pathsep + "/usr/local/bin:/usr/bin:/bin",
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),  # the widgets' front end, as installed
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }


# Run in a student's kernel: where course_lib comes from, and whether a checkout of the course is on sys.path.
WHERE_CODE = """\
import json as _j, os as _o, sys as _s, course_lib as _c
print(_j.dumps({"course_lib": _c.__file__, "pythonpath": _o.environ.get("PYTHONPATH"),
                "checkout_on_path": [p for p in _s.path if p and _o.path.isdir(_o.path.join(p, "notebooks"))
                                     and _o.path.isdir(_o.path.join(p, "course_tools"))]}))
"""


def parse_where(text):
    """WHERE_CODE's printed line -> dict."""
    return json.loads(text.strip().splitlines()[-1])


def give_lessons(home, folders, repo="backprop-2027"):
    """Copy the released lesson folders into ``home/<repo>/`` (as the guide's nbgitpuller link would pull them);
    returns the notebooks' paths relative to the home, in order."""
    paths = []
    for stem, folder in folders.items():
        shutil.copytree(folder, Path(home) / repo / stem)
        paths.append(f"{repo}/{stem}/{stem}.ipynb")
    return paths
