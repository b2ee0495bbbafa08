"""Several class sizes in a row, and what follows from them: the knee, students per core and per GB, sizes.

``run_series(sizes, run_class, options)`` runs one class per size, smallest first (the machine's load average
before each is in its JSON as load_average_before) until two sizes in a row pass the goal, then runs again the
knee (the first N whose p95 cell time passes 5 s) and the size below it, and returns {"runs", "summary"}.

The summary plans memory per student as the larger of the highest peak any student reached (their server and
all their kernels, left running, summed) and the machine's peak beyond its baseline per student in the largest
run, plus 1 GB for the hub, proxy and system; its CPU figure is the largest N whose every run kept p95 under
5 s, per core.
"""
import json
import math
import shutil
import tempfile
from pathlib import Path

P95_GOAL_S = 5.0
CLASSES = (30, 100)
OWN_PACE_S = 300  # students who work at their own pace: their lessons' CPU spread over about five minutes


def knee(runs):
    """The smallest N with a run whose p95 cell time passed the goal (None: none did)."""
    over = [r["students"] for r in runs if r.get("p95_cell_s") is not None and r["p95_cell_s"] >= P95_GOAL_S]
    return min(over, default=None)


def largest_under(runs):
    """The largest N all of whose runs kept p95 under the goal, below the knee (None: none)."""
    limit = knee(runs)
    sizes = sorted({r["students"] for r in runs})
    good = [n for n in sizes if (limit is None or n < limit)
            and all(r.get("p95_cell_s") is not None and r["p95_cell_s"] < P95_GOAL_S for r in runs if r["students"] == n)]
    return max(good, default=None)


def summary(runs):
    """Students per core and per GB, the knee, and cores and GB for classes of 30 and 100, from the runs."""
    cores = runs[0]["cores"]
    under = largest_under(runs)
    peak_mb = max(r["student_peak_mb_max"] or 0 for r in runs)
    largest = max(runs, key=lambda r: r["students"])
    machine_per_student = largest["machine_peak_minus_baseline_mb"] / largest["students"]
    plan_mb = max(peak_mb, machine_per_student)  # the larger of what a student held and what the machine gave
    per_core = under / cores if under else None
    per_gb = 1024 / plan_mb if plan_mb else None
    core_s = max((r.get("student_core_s_p50") or 0 for r in runs), default=0)
    classes = {}
    for size in CLASSES:
        classes[str(size)] = {
            "cores": math.ceil(size / per_core) if per_core else None,
            # students at their own pace: the class's core-seconds over OWN_PACE_S, twice that for headroom
            "cores_own_pace": math.ceil(2 * size * core_s / OWN_PACE_S) if core_s else None,
            "gb": math.ceil(size * plan_mb / 1024 + 1) if plan_mb else None,  # +1 GB: the hub, proxy, system
        }
    return {
        "p95_goal_s": P95_GOAL_S,
        "knee_students": knee(runs),
        "largest_under_goal": under,
        "p95_by_students": {str(n): [r["p95_cell_s"] for r in runs if r["students"] == n]
                            for n in sorted({r["students"] for r in runs})},
        "students_per_core": round(per_core, 2) if per_core else None,
        "student_core_s": core_s,
        "student_peak_mb": round(peak_mb, 1),
        "student_cgroup_max_usage_mb": max((r["cgroup_max_usage_mb_max"] or 0 for r in runs), default=None),
        "students_per_gb": round(per_gb, 2) if per_gb else None,
        "machine_mb_per_student": round(machine_per_student, 1),
        "plan_mb_per_student": round(plan_mb, 1),
        "oom_kills": sum(r["oom_kills"] or 0 for r in runs),
        "limits": runs[0]["limits"],
        "classes": classes,
    }


def run_series(sizes, run_class, options, runs_file=None):
    """Run run_class(n, **options) for each n in increasing order, stopping after two sizes in a row passed
    the goal, then the knee and the size below it again; returns {"runs", "summary"}.  The release and the
    students' venv are made once, in a temporary folder removed at the end."""
    runs = []
    work = Path(tempfile.mkdtemp(prefix="classroom-series-"))

    def one(n):
        result = run_class(n, persistence=False, prepared=work, **options)
        runs.append(result)
        if runs_file:
            with open(runs_file, "a") as handle:
                handle.write(json.dumps(result) + "\n")
        return result["p95_cell_s"] is not None and result["p95_cell_s"] >= P95_GOAL_S

    try:
        ordered, over_in_a_row = sorted(sizes), 0
        for n in ordered:
            over_in_a_row = over_in_a_row + 1 if one(n) else 0
            if over_in_a_row == 2:
                break
        point = knee(runs)
        if point is not None:
            index = ordered.index(point)
            for n in ordered[max(0, index - 1):index + 1]:
                one(n)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"runs": runs, "summary": summary(runs)}
