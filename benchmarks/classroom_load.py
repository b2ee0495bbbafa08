"""A whole class on this machine, as a class behaves: a real JupyterHub, N students, the student edition.

    pip install -r requirements-classroom.txt && npm install -g configurable-http-proxy
    python benchmarks/classroom_load.py --students 8                   lessons 03, 09, 12; starts spread over 60 s
    python benchmarks/classroom_load.py --students 2 --lessons 03 --spread 5
    python benchmarks/classroom_load.py --series 4,6,8,10,14,20        one run per N, the knee's neighbours again

What the students get is made as docs/running_a_class.md says: ``python -m course_tools.classroom release``
into a temporary course folder (the student edition, by nbgrader, and the student install), then the student
wheel is installed with the guide's ``pip install <wheel> -r requirements.txt`` into a fresh virtual environment
(offline: its requirements are the packages of the Python running this script, seen through one path line;
see classload/student_env.py).  The students' servers run that environment's Python with no PYTHONPATH; a
kernel of each student says where its course_lib comes from.  Each student gets the released lessons in their
home (as the guide's nbgitpuller link pulls them), and for each lesson in order: opens it, types the reference
answers into its answer cells, saves it, and runs every code cell in a new kernel, leaving the kernels of the
earlier lessons running.  Outputs are compared with the committed ones wherever nbval compares them.

The hub (classload/hub.py) binds 127.0.0.1 on random ports, with a random password and a token only this
script knows; it runs ``jupyterhub-idle-culler`` as a service with the guide's settings, and enforces
``Spawner.mem_limit`` / ``Spawner.cpu_limit`` (default the guide's, MEM_LIMIT and CPU_LIMIT below) with one cgroup per student
where this machine allows it (classload/cgroups.py); the JSON says which limits were enforced and how, counts
OOM kills, and gives every student's peak (what a limit must hold) either way.  --kill-one kills one student's
kernel mid-lesson.  Everything started is stopped and removed, even on Ctrl-C, SIGTERM or an error.  The last
line printed is one JSON object.  A benchmark, not a test (tests/test_hub.py runs a 2-student version).
"""
import argparse
import json
import os
import random
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from classload import cgroups, student_env  # noqa: E402
from classload import hub as hub_module  # noqa: E402
from classload.hub import CULLER_ARGS, Hub, HubUnavailable, missing_prerequisites  # noqa: E402,F401
from classload.sampling import ClassMemory  # noqa: E402
from classload.student import Student  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LESSONS = ("03", "09", "12")
# The guide's limits per student (docs/running_a_class.md): a limit the measured kernel set does not exceed.
MEM_LIMIT = "768M"
CPU_LIMIT = 1.0


def lesson_stems(prefixes):
    """The lessons of notebooks/ whose names start with the prefixes, in that order (stems)."""
    found = []
    for prefix in prefixes:
        matches = sorted((ROOT / "notebooks").glob(f"{prefix}*.ipynb"))
        if not matches:
            raise SystemExit(f"no lesson in notebooks/ starts with {prefix!r}")
        found.append(matches[0].stem)
    return found


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def kill_kernel(kernel_id):
    """Kill -9 the kernel process whose command line names this kernel id (as the OOM killer would)."""
    import psutil

    for process in psutil.process_iter(["cmdline"]):
        if any(kernel_id in part for part in process.info["cmdline"] or []):
            process.kill()
            return True
    return False


def run_class(students=8, lessons=DEFAULT_LESSONS, spread=60.0, seed=0, kill_one=False, persistence=True,
              cell_timeout=900, mem_limit=MEM_LIMIT, cpu_limit=CPU_LIMIT, enforce_limits=True, culler=True, prepared=None):
    """Run the class; return the result dictionary (the JSON of the last line).

    prepared: a folder where ``prepare`` made (or will make, once) the release and the students' venv,
    kept after the run (a series shares it); None: a temporary one, removed at the end."""
    load_before = [round(x, 2) for x in os.getloadavg()]
    started_utc = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    names = [f"student{k:02d}" for k in range(1, students + 1)]
    stems = lesson_stems(lessons)
    rng = random.Random(seed)
    start_at = {name: rng.uniform(0, spread) for name in names}
    victim = names[len(names) // 2] if kill_one else None
    results = {name: {"completed": 0, "mismatched": 0, "error": None, "student": None} for name in names}
    own_work = prepared is None
    work = Path(tempfile.mkdtemp(prefix="classroom-course-")) if own_work else prepared
    try:
        started = time.perf_counter()
        folders, python = prepare(work, stems)
        released_s = time.perf_counter() - started
        limits = cgroups.ClassCgroups(mem_limit, cpu_limit, enforce=enforce_limits)
        wall_start = time.perf_counter()
        with Hub(names, python, student_env.server_environment(work / "students-venv"), limits, culler) as hub:
            memory = ClassMemory(hub.homes, names, hub.process.pid,
                                 limits.root_name if limits.enforced["memory"] else None)
            memory.start()

            def one_student(name):
                result = results[name]
                try:
                    time.sleep(start_at[name])
                    paths = student_env.give_lessons(hub.home(name), folders)
                    student = result["student"] = Student(name, hub.start_server(name), hub.token)
                    for path, stem in zip(paths, stems):
                        student.answer(path, stem)
                        result["mismatched"] += student.run_notebook(path, stem, cell_timeout)
                        result["completed"] += 1
                except Exception as err:  # reported, never hidden; the others go on
                    result["error"] = f"{type(err).__name__}: {err}"

            threads = [threading.Thread(target=one_student, args=(name,), daemon=True) for name in names]
            for thread in threads:
                thread.start()
            if victim:
                _kill_when_running(results, victim)
            for thread in threads:
                thread.join()
            class_s = time.perf_counter() - wall_start
            core_seconds = memory.core_seconds()
            after = _after_the_lessons(results, names, limits)
            culler_status = hub.culler_status()
            persistence_ok = None
            if persistence:
                try:
                    persistence_ok = _check_persistence(hub, names[0], f"backprop-2027/{stems[0]}/{stems[0]}.ipynb")
                except Exception as err:
                    persistence_ok = f"failed: {type(err).__name__}: {err}"
            memory.stopped.set()
        cgroups_left = hub.cgroups_left
    finally:
        if own_work:
            shutil.rmtree(work, ignore_errors=True)
    return _result(locals())


def prepare(work, stems):
    """The release and the students' venv in ``work`` (made once; a series reuses them): (folders, python)."""
    course = Path(work) / "course"
    folders = {stem: course / "release" / stem for stem in stems}
    python = Path(work) / "students-venv" / "bin" / "python"
    if not python.exists() or not all((course / "release" / stem).is_dir() for stem in stems):
        folders = student_env.make_release(course, stems)
        python = student_env.make_student_python(course, Path(work) / "students-venv")
    return folders, python


def _after_the_lessons(results, names, limits):
    """Each student's kernels (still alive? how many running?), where course_lib came from, their cgroups."""
    after = {}
    for name in names:
        student = results[name]["student"]
        entry = {"memory_cgroup": cgroups.memory_stats(limits.root_name, name) if limits.enforced["memory"] else None,
                 "cpu_cgroup": cgroups.cpu_stats(limits.root_name, name) if limits.enforced["cpu"] else None}
        if student is not None and student.kernels:
            try:
                entry["kernels_running"] = student.running_kernels()
                entry["kernels_lost"] = student.kernels_lost()
                entry["where"] = student_env.parse_where(student.ask(student.kernels[-1][1], student_env.WHERE_CODE)
                                                         .split(":", 1)[1])
            except Exception as err:
                entry["error"] = f"{type(err).__name__}: {err}"
        after[name] = entry
    return after


def _result(scope):
    """The JSON object of a run, from run_class's local variables."""
    results, names, after, memory, limits = (scope[k] for k in ("results", "names", "after", "memory", "limits"))
    students = [r["student"] for r in results.values() if r["student"]]
    cells = [s for student in students for s in student.cell_seconds]
    kernel_peaks = {}
    for student in students:
        for stem, peak in student.kernel_peaks_mb.items():
            kernel_peaks[stem] = max(kernel_peaks.get(stem, 0), round(peak, 1))
    student_peaks = [memory.student_peak_mb[n] for n in names if memory.student_peak_mb[n] > 0]
    cgroup_stats = [a["memory_cgroup"] for a in after.values() if a.get("memory_cgroup")]
    cpu_stats = [a["cpu_cgroup"] for a in after.values() if a.get("cpu_cgroup")]
    wheres = [a["where"] for a in after.values() if a.get("where")]
    venv = str(scope["work"] / "students-venv")
    requested = cgroups.parse_bytes(scope["mem_limit"]) / 2**20 if scope["mem_limit"] else None
    round1 = lambda x: round(x, 1) if x is not None else None  # noqa: E731
    return {
        "students": len(names),
        "started_utc": scope["started_utc"],
        "lessons": scope["stems"],
        "students_install": "a fresh venv (python -m venv), pip install --no-index <student wheel> -r "
                            "requirements.txt; third-party packages from the benchmark's Python via one .pth path line",
        "edition": "release/ (nbgrader generate_assignment), reference answers typed into the answer cells",
        "kernels": "left running: each lesson in a new kernel, the earlier lessons' kernels still alive",
        "course_lib_from_install": bool(wheres) and all(w["course_lib"].startswith(venv) for w in wheres),
        "course_lib_file": wheres[0]["course_lib"].replace(venv, "<students-venv>") if wheres else None,
        "checkout_on_sys_path": any(w["checkout_on_path"] for w in wheres),
        "pythonpath_in_kernel": sorted({str(w["pythonpath"]) for w in wheres}),
        "release_and_install_s": round(scope["released_s"], 1),
        "servers_started": len(students),
        "notebooks_expected": len(names) * len(scope["stems"]),
        "notebooks_completed": sum(r["completed"] for r in results.values()),
        "answers_typed": sum(s.answers_typed for s in students),
        "cells_failed": sum(len(s.cells_failed) for s in students),
        "cells_failed_first": [list(c) for s in students for c in s.cells_failed][:5],
        "outputs_mismatched": sum(r["mismatched"] for r in results.values()),
        "failed_students": {name: r["error"] for name, r in results.items() if r["error"]},
        "killed_student": scope["victim"],
        "kernels_running_at_end_max": max((a.get("kernels_running", 0) for a in after.values()), default=0),
        "kernels_lost": sum(len(a.get("kernels_lost", [])) for a in after.values()),
        "kernels_lost_by_lesson": _count_by_lesson(p for a in after.values() for p in a.get("kernels_lost", [])),
        "persistence_ok": scope["persistence_ok"],
        "culler": scope["culler_status"],
        "limits": limits.describe(),
        "oom_kills": sum(s["oom_kill"] for s in cgroup_stats) if cgroup_stats else None,
        "memory_failcnt": sum(s["failcnt"] for s in cgroup_stats) if cgroup_stats else None,
        "memsw_failcnt": sum(s["memsw_failcnt"] or 0 for s in cgroup_stats) if cgroup_stats else None,
        "cgroup_max_usage_mb_max": max((s["max_usage_mb"] for s in cgroup_stats), default=None),
        "cpu_throttled_s_total": round(sum(s["throttled_s"] for s in cpu_stats), 1) if cpu_stats else None,
        "cgroups_left": scope["cgroups_left"],
        "cgroup_root": limits.root_name,
        "stale_cgroups_removed": limits.stale_removed,
        "class_s": round(scope["class_s"], 1),
        "cells_run": len(cells),
        "p50_cell_s": round(percentile(cells, 50), 3) if cells else None,
        "p95_cell_s": round(percentile(cells, 95), 3) if cells else None,
        "max_cell_s": round(max(cells), 3) if cells else None,
        "kernel_peak_mb": kernel_peaks,
        "student_core_s_p50": round1(percentile([v for v in scope["core_seconds"].values() if v], 50)),
        "student_core_s_max": round1(max([v for v in scope["core_seconds"].values() if v], default=None)),
        "student_peak_mb_max": round1(max(student_peaks, default=None)),
        "student_peak_mb_p50": round1(percentile(student_peaks, 50)),
        "student_cgroup_rss_peak_mb_max": round1(max(memory.student_cgroup_rss_peak_mb.values(), default=0) or None),
        "students_over_mem_limit": sum(p > requested for p in student_peaks) if requested else None,
        "class_peak_mb": round(memory.class_peak_mb),
        "class_cgroup_rss_peak_mb": round(memory.class_cgroup_rss_peak_mb) if limits.enforced["memory"] else None,
        "machine_baseline_mb": round(memory.baseline_mb),
        "machine_peak_mb": round(memory.peak_mb),
        "machine_peak_minus_baseline_mb": round(memory.peak_mb - memory.baseline_mb),
        "cores": os.cpu_count(),
        "load_average_before": scope["load_before"],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def _count_by_lesson(paths):
    """{lesson stem: how many} of notebook paths (<repo>/<stem>/<stem>.ipynb)."""
    counts = {}
    for path in paths:
        stem = Path(path).stem
        counts[stem] = counts.get(stem, 0) + 1
    return counts


def _kill_when_running(results, victim, timeout=600):
    """Wait until the victim's kernel runs a lesson's cells, then kill it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        student = results[victim]["student"]
        if results[victim]["error"]:
            return
        if student is not None and student.kernel_id and len(student.cell_seconds) >= 2:
            if kill_kernel(student.kernel_id):
                return
        time.sleep(0.2)


def _check_persistence(hub, name, notebook_name):
    """The student saves an edit, their server is stopped and started: is the edit still there?"""
    url = hub.start_server(name)  # running already, or started again
    student = Student(name, url, hub.token)
    notebook = student.contents("GET", notebook_name)["content"]
    marker = f"my note {secrets.token_hex(4)}"
    notebook["cells"].append({"cell_type": "markdown", "metadata": {}, "source": marker})
    student.put_notebook(notebook_name, notebook)
    hub.stop_server(name)
    student = Student(name, hub.start_server(name), hub.token)
    saved = student.contents("GET", notebook_name)["content"]
    return any(cell["source"] == marker for cell in saved["cells"])


def _stop_on_sigterm(*_):
    raise KeyboardInterrupt


def main(argv=None):
    from classload.series import run_series

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--series", default=None, help="comma-separated class sizes: one run each, then the knee")
    parser.add_argument("--runs-file", default=None, help="--series: append each run's JSON line to this file")
    parser.add_argument("--lessons", default=",".join(DEFAULT_LESSONS), help="comma-separated lesson prefixes, in order")
    parser.add_argument("--spread", type=float, default=60.0, help="students start within this many seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mem-limit", default=MEM_LIMIT, help="Spawner.mem_limit per student ('' for none)")
    parser.add_argument("--cpu-limit", type=float, default=CPU_LIMIT, help="Spawner.cpu_limit per student (0 for none)")
    parser.add_argument("--no-limits", action="store_true", help="enforce no limit (still measure the peaks)")
    parser.add_argument("--no-culler", action="store_true")
    parser.add_argument("--kill-one", action="store_true", help="kill one student's kernel mid-lesson")
    parser.add_argument("--no-persistence", action="store_true")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    options = dict(lessons=tuple(args.lessons.split(",")), spread=args.spread, seed=args.seed,
                   mem_limit=args.mem_limit or None, cpu_limit=args.cpu_limit or None,
                   enforce_limits=not args.no_limits, culler=not args.no_culler)
    try:
        if args.series:
            result = run_series([int(n) for n in args.series.split(",")], run_class, options, args.runs_file)
        else:
            result = run_class(args.students, kill_one=args.kill_one, persistence=not args.no_persistence, **options)
    except (HubUnavailable, student_env.StudentInstallFailed) as err:
        print(json.dumps({"error": str(err)}))
        return 2
    except KeyboardInterrupt:  # Hub.__exit__ has stopped everything already
        print(json.dumps({"error": "interrupted; everything started was stopped"}))
        return 130
    print(json.dumps(result))
    if args.series:
        return 0
    complete = result["notebooks_completed"] == result["notebooks_expected"] and not result["outputs_mismatched"]
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
