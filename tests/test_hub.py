"""A small class on a real JupyterHub, as a class behaves: 2 students, the student edition and the student install.

Marked ``hub``.  Without JupyterHub, jupyterhub-idle-culler or configurable-http-proxy (a learner's laptop)
it is skipped, naming what is missing; CI sets COURSE_REQUIRE_HUB=1, and then a hub that cannot run is a
failure.  The hub binds to 127.0.0.1 on random ports, and everything it started (servers, kernels, the
culler, the students' cgroups, temporary folders) is stopped and removed at the end.  The memory and CPU
limits are enforced where this machine can (root and cgroup v1), and the test says which were.
"""
import importlib.util
import os
import subprocess
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
cgroups = classroom.cgroups
RECOMMENDED = {"mem_limit": classroom.MEM_LIMIT, "cpu_limit": classroom.CPU_LIMIT}


@pytest.fixture(scope="module")
def hub_ready():
    missing = classroom.missing_prerequisites()
    if missing:
        message = "JupyterHub cannot run here: missing " + "; ".join(missing)
        if os.environ.get("COURSE_REQUIRE_HUB") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def class_of_two(hub_ready):
    """Two students, lessons 3 then 12 (the heaviest kernel), kernels left running, the guide's limits."""
    return classroom.run_class(students=2, lessons=("03", "12"), spread=3, seed=0, **RECOMMENDED)


def test_every_student_runs_the_student_edition_with_their_answers(class_of_two):
    result = class_of_two
    assert result["failed_students"] == {}
    assert result["servers_started"] == 2
    assert result["notebooks_completed"] == result["notebooks_expected"] == 4
    assert result["answers_typed"] > 0 and result["cells_failed"] == 0
    assert result["outputs_mismatched"] == 0
    assert result["persistence_ok"] is True


def test_students_import_the_installed_course_lib_not_a_checkout(class_of_two):
    assert class_of_two["course_lib_from_install"] is True
    assert class_of_two["checkout_on_sys_path"] is False
    assert class_of_two["pythonpath_in_kernel"] == ["None"]


def test_kernels_are_left_running_across_lessons(class_of_two):
    assert class_of_two["kernels_running_at_end_max"] == 2
    assert class_of_two["kernels_lost"] == 0


def test_the_idle_culler_runs_as_a_hub_service_with_the_guides_settings(class_of_two):
    culler = class_of_two["culler"]
    assert culler["running"] is True and culler["asked_the_hub"] is True
    assert culler["command_at_hub"][-2:] == list(classroom.CULLER_ARGS)


def test_the_limits_are_enforced_where_possible_and_hold_the_class(class_of_two):
    limits, possible = class_of_two["limits"], cgroups.detect()
    for controller in ("memory", "cpu"):
        assert limits[controller]["enforced"] is (possible[controller] is None), limits[controller]
        if not limits[controller]["enforced"]:
            assert limits[controller]["why_not"]
    if limits["memory"]["enforced"]:
        assert class_of_two["oom_kills"] == 0
        assert 0 < class_of_two["cgroup_max_usage_mb_max"] < cgroups.parse_bytes(RECOMMENDED["mem_limit"]) / 2**20
    assert class_of_two["students_over_mem_limit"] == 0  # measured either way
    assert class_of_two["cgroups_left"] == []
    assert not any((cgroups.V1 / c / class_of_two["cgroup_root"]).exists() for c in cgroups.CONTROLLERS)
    assert cgroups.stale_folders() == []  # nor any left by an earlier run that was killed (removed when a class starts)


def test_a_class_removes_the_cgroups_a_killed_earlier_run_left(hub_ready):
    """A run killed with SIGKILL cannot clean up; the next class's cgroups remove its folders (and only those)."""
    if cgroups.detect()["memory"] is not None:
        pytest.skip("cgroups cannot be made here: " + cgroups.detect()["memory"])
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = cgroups.V1 / "memory" / f"{cgroups.PREFIX}{int(gone.stdout)}-deadbeef" / "student"
    alive = cgroups.V1 / "memory" / f"{cgroups.PREFIX}{os.getpid()}-cafef00d"
    dead.mkdir(parents=True)
    alive.mkdir()
    try:
        made = cgroups.ClassCgroups("512M", None)
        assert str(dead.parent) in made.stale_removed and not dead.parent.exists()
        assert alive.exists() and str(alive) not in cgroups.stale_folders()
    finally:
        cgroups.remove_tree(dead.parent)
        cgroups.remove_tree(alive)


def test_a_killed_kernel_is_reported_and_the_other_student_finishes(hub_ready):
    result = classroom.run_class(students=2, lessons=("03",), spread=0, seed=0, kill_one=True, persistence=False,
                                 **RECOMMENDED)
    assert list(result["failed_students"]) == [result["killed_student"]]
    assert "died" in result["failed_students"][result["killed_student"]]
    assert result["notebooks_completed"] == 1


def test_the_hub_config_runs_the_students_python_without_pythonpath_and_the_culler(tmp_path):
    limits = cgroups.ClassCgroups("768M", 1.0)
    hub = classroom.Hub(["student01"], tmp_path / "venv" / "bin" / "python", {"OMP_NUM_THREADS": "1"}, limits)
    try:
        config = hub.config()
    finally:
        hub.tmp.rmdir()
    assert f"c.Spawner.cmd = [{str(tmp_path / 'venv' / 'bin' / 'python')!r}, \"-m\", \"jupyterhub.singleuser\"]" in config
    assert 'c.Spawner.env_keep = ["LANG", "LC_ALL"]' in config  # no PYTHONPATH from the hub's environment
    assert "jupyterhub_idle_culler', '--timeout=3600', '--cull-every=300'" in config
    if limits.enforced["memory"]:
        assert "CgroupSpawner" in config and "c.Spawner.mem_limit = '768M'" in config
    else:
        assert 'c.JupyterHub.spawner_class = "simple"' in config


def test_a_missing_proxy_is_named_with_how_to_install_it(monkeypatch):
    monkeypatch.setattr(classroom.hub_module.shutil, "which", lambda name, path=None: None)
    hub = classroom.Hub(["student01"])
    with pytest.raises(classroom.HubUnavailable, match="npm install -g configurable-http-proxy"):
        with hub:
            pass
    assert not hub.tmp.exists()  # nothing left behind
