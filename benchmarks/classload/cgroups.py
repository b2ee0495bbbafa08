"""Memory and CPU limits per student, enforced as systemdspawner and DockerSpawner do: one cgroup each.

Only cgroup v1 with the memory and cpu controllers mounted at /sys/fs/cgroup/memory and /sys/fs/cgroup/cpu,
and the right to make folders there (root), can be used; anything else is reported as "not enforced"
with the reason, and the class's memory is then only measured.

A class gets one folder per controller, ``/sys/fs/cgroup/<controller>/classroom-load-<pid>-<random>/`` (pid:
the benchmark's process), and each student one inside it, named after them.  The spawner (``cgroup_spawner.py``)
makes the student's folders, writes the limits, and puts the server's process in them before it starts, so its
kernels are in them too.
``ClassCgroups.remove()`` kills whatever is left inside and removes every folder; it is called even on failure.
A run that was itself killed (SIGKILL, a machine restarted) cannot do that: ``remove_stale()``, called when a class
starts, removes the folders of runs whose process is gone.
"""
import os
import secrets
import signal
import time
from pathlib import Path

V1 = Path("/sys/fs/cgroup")
CONTROLLERS = ("memory", "cpu")
CPU_PERIOD_US = 100_000
PREFIX = "classroom-load-"


def parse_bytes(text):
    """'512M', '1G', '768M' or a number of bytes -> bytes (int); the units JupyterHub's mem_limit takes."""
    text = str(text).strip().upper()
    units = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def detect():
    """What this machine can enforce: {"memory": reason-or-None, "cpu": reason-or-None} (None: it can)."""
    reasons = {}
    for controller in CONTROLLERS:
        folder = V1 / controller
        needed = "memory.limit_in_bytes" if controller == "memory" else "cpu.cfs_quota_us"
        if not (folder / needed).is_file():
            reasons[controller] = f"no cgroup v1 {controller} controller at {folder} (cgroup v2 or none: not supported here)"
            continue
        probe = folder / f"{PREFIX}probe-{secrets.token_hex(4)}"
        try:
            probe.mkdir()
            probe.rmdir()
            reasons[controller] = None
        except OSError as err:
            reasons[controller] = f"cannot make a cgroup in {folder} ({err.strerror}; needs root)"
    return reasons


def student_folder(root_name, controller, student):
    return V1 / controller / root_name / student


def write_limits(root_name, student, mem_limit=None, cpu_limit=None):
    """Make the student's cgroups and write the limits; returns the cgroup.procs files to join."""
    procs = []
    if mem_limit:
        folder = student_folder(root_name, "memory", student)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "memory.limit_in_bytes").write_text(str(parse_bytes(mem_limit)))
        memsw = folder / "memory.memsw.limit_in_bytes"  # no swap beyond the limit either, where swap is accounted
        if memsw.exists():
            memsw.write_text(str(parse_bytes(mem_limit)))
        procs.append(str(folder / "cgroup.procs"))
    if cpu_limit:
        folder = student_folder(root_name, "cpu", student)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
        (folder / "cpu.cfs_quota_us").write_text(str(int(float(cpu_limit) * CPU_PERIOD_US)))
        procs.append(str(folder / "cgroup.procs"))
    return procs


def pids_in(folder):
    """The process ids in a cgroup folder and the folders below it."""
    pids = set()
    for procs in Path(folder).rglob("cgroup.procs"):
        try:
            pids.update(int(line) for line in procs.read_text().split())
        except OSError:
            pass
    return pids


def remove_tree(folder, timeout=10.0):
    """Kill every process left in a cgroup folder (and below), then remove its folders, deepest first.

    Returns the folders that could not be removed (an empty list: all gone)."""
    folder = Path(folder)
    if not folder.exists():
        return []
    deadline = time.monotonic() + timeout
    while True:
        pids = pids_in(folder)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        left = []
        for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)) + [folder]:
            try:
                sub.rmdir()
            except FileNotFoundError:
                pass
            except OSError:
                left.append(str(sub))
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def _read(path, default=None):
    try:
        return Path(path).read_text()
    except OSError:
        return default


def memory_stats(root_name, student):
    """The student's memory cgroup now, or None when they have none: its limit, its peak (max_usage_in_bytes,
    page cache included), its RSS now, failcnt (times usage hit the limit; memsw_failcnt: the limit with swap)
    and oom_kill (processes the OOM killer killed in it)."""
    folder = student_folder(root_name, "memory", student)
    if not folder.exists():
        return None
    oom = dict(line.split() for line in (_read(folder / "memory.oom_control", "") or "").splitlines() if " " in line)
    stat = dict(line.split() for line in (_read(folder / "memory.stat", "") or "").splitlines() if " " in line)
    number = lambda name: int((_read(folder / name, "0") or "0").strip() or 0)  # noqa: E731
    return {
        "limit_mb": round(number("memory.limit_in_bytes") / 2**20),
        "max_usage_mb": round(number("memory.max_usage_in_bytes") / 2**20, 1),
        "rss_now_mb": round(int(stat.get("total_rss", 0)) / 2**20, 1),
        "failcnt": number("memory.failcnt"),
        "memsw_failcnt": number("memory.memsw.failcnt") if (folder / "memory.memsw.failcnt").exists() else None,
        "oom_kill": int(oom.get("oom_kill", 0)),
    }


def memory_rss_mb(root_name, student):
    """The student's cgroup RSS now (memory.stat total_rss, MB; anonymous memory, no page cache), or None."""
    text = _read(student_folder(root_name, "memory", student) / "memory.stat")
    if text is None:
        return None
    for line in text.splitlines():
        if line.startswith("total_rss "):
            return int(line.split()[1]) / 2**20
    return None


def cpu_stats(root_name, student):
    """The student's cpu cgroup: quota, period and how often and how long it was throttled; None without one."""
    folder = student_folder(root_name, "cpu", student)
    if not folder.exists():
        return None
    stat = dict(line.split() for line in (_read(folder / "cpu.stat", "") or "").splitlines() if " " in line)
    return {
        "quota_us": int((_read(folder / "cpu.cfs_quota_us", "0") or "0").strip()),
        "period_us": int((_read(folder / "cpu.cfs_period_us", "0") or "0").strip()),
        "nr_throttled": int(stat.get("nr_throttled", 0)),
        "throttled_s": round(int(stat.get("throttled_time", 0)) / 1e9, 1),
    }


def owner_alive(name):
    """Is the run that made the class folder ``name`` still running?  ``classroom-load-<pid>-<hex>``: its pid
    exists; an older ``classroom-load-<hex>`` (no pid): it still holds processes."""
    parts = name[len(PREFIX):].split("-")
    if len(parts) == 2 and parts[0].isdigit():
        try:
            os.kill(int(parts[0]), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return bool(pids_in(V1 / "memory" / name) | pids_in(V1 / "cpu" / name))


def stale_folders():
    """Class folders left by runs that are gone (their processes included), every controller."""
    return sorted(str(folder) for controller in CONTROLLERS for folder in (V1 / controller).glob(PREFIX + "*")
                  if folder.is_dir() and not folder.name.startswith(PREFIX + "probe-") and not owner_alive(folder.name))


def remove_stale():
    """Remove the folders of runs that are gone (kill what is left in them); returns those removed."""
    removed = []
    for folder in stale_folders():
        if not remove_tree(folder):
            removed.append(folder)
    return removed


class ClassCgroups:
    """The class's cgroup folders (one per controller that can be enforced); ``remove()`` undoes everything."""

    def __init__(self, mem_limit=None, cpu_limit=None, enforce=True):
        self.requested = {"memory": mem_limit, "cpu": cpu_limit}
        self.reasons = detect() if enforce else {c: "not asked to enforce (--no-limits)" for c in CONTROLLERS}
        self.root_name = f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        self.stale_removed = remove_stale() if any(r is None for r in self.reasons.values()) else []
        self.enforced = {c: bool(self.requested[c]) and self.reasons[c] is None for c in CONTROLLERS}

    @property
    def mem_limit(self):
        return self.requested["memory"] if self.enforced["memory"] else None

    @property
    def cpu_limit(self):
        return self.requested["cpu"] if self.enforced["cpu"] else None

    def folders(self):
        return [V1 / c / self.root_name for c in CONTROLLERS if self.enforced[c]]

    def remove(self):
        """Kill what is left in the class's cgroups and remove them; returns folders left (should be [])."""
        left = []
        for folder in self.folders():
            left += remove_tree(folder)
        return left

    def describe(self):
        """The JSON's "limits": what was asked, what was enforced, how, or why not."""
        how = {
            "memory": f"cgroup v1: memory.limit_in_bytes (and memory.memsw.limit_in_bytes) = {self.requested['memory']} "
                      f"on /sys/fs/cgroup/memory/{self.root_name}/<student>, holding the student's server and kernels",
            "cpu": f"cgroup v1: cpu.cfs_quota_us = {int(float(self.requested['cpu'] or 0) * CPU_PERIOD_US)} per "
                   f"cpu.cfs_period_us = {CPU_PERIOD_US} on /sys/fs/cgroup/cpu/{self.root_name}/<student>",
        }
        described = {}
        for controller in CONTROLLERS:
            requested = self.requested[controller]
            entry = {"requested": requested, "enforced": self.enforced[controller]}
            if self.enforced[controller]:
                entry["how"] = how[controller]
            elif requested:
                entry["why_not"] = self.reasons[controller]
            described[controller] = entry
        return described
