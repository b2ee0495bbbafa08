"""A small class on a real JupyterHub: 2 students run lesson 3 through their own servers' kernel API.

Marked ``hub``.  Without JupyterHub or configurable-http-proxy (a learner's laptop) it is skipped,
naming what is missing; CI sets COURSE_REQUIRE_HUB=1, and then a hub that cannot run is a failure.
The hub binds to 127.0.0.1 on random ports, and everything it started is stopped at the end.
"""
import importlib.util
import os
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.hub

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load_classroom():
    spec = importlib.util.spec_from_file_location("classroom_load", BENCHMARKS / "classroom_load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["classroom_load"] = module
    spec.loader.exec_module(module)
    return module


classroom = load_classroom()


@pytest.fixture(scope="module")
def hub_ready():
    missing = classroom.missing_prerequisites()
    if missing:
        message = "JupyterHub cannot run here: missing " + "; ".join(missing)
        if os.environ.get("COURSE_REQUIRE_HUB") == "1":
            pytest.fail(message)
        pytest.skip(message)


def test_two_students_run_lesson_3_and_their_edits_persist(hub_ready):
    result = classroom.run_class(students=2, lessons=("03",), spread=3, seed=0)
    assert result["failed_students"] == {}
    assert result["servers_started"] == 2
    assert result["notebooks_completed"] == result["notebooks_expected"] == 2
    assert result["outputs_mismatched"] == 0
    assert result["persistence_ok"] is True
    assert 0 < result["kernel_peak_mb_max"] < 250


def test_a_killed_kernel_is_reported_and_the_other_student_finishes(hub_ready):
    result = classroom.run_class(students=2, lessons=("03",), spread=0, seed=0, kill_one=True, persistence=False)
    assert list(result["failed_students"]) == [result["killed_student"]]
    assert "died" in result["failed_students"][result["killed_student"]]
    assert result["notebooks_completed"] == 1


def test_a_missing_proxy_is_named_with_how_to_install_it(monkeypatch):
    monkeypatch.setattr(classroom.shutil, "which", lambda name, path=None: None)
    hub = classroom.Hub(["student01"])
    with pytest.raises(classroom.HubUnavailable, match="npm install -g configurable-http-proxy"):
        with hub:
            pass
    assert not hub.tmp.exists()  # nothing left behind
