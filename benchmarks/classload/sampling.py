"""What the class holds in memory, sampled every half second while it runs.

- the machine: used memory (total - available), its baseline before the hub started and its peak;
- each student: the resident memory of their server and all its kernels (every process under the hub whose
  working folder is in that student's home), summed, and its peak; and, when the student has a memory
  cgroup, that cgroup's RSS (pages counted once, so shared libraries are not counted twice);
- the class: the peak, over the samples, of all students' sums together.
"""
import threading
from pathlib import Path


class ClassMemory(threading.Thread):
    def __init__(self, homes, students, hub_pid=None, cgroup_root=None, interval=0.5):
        import psutil

        super().__init__(daemon=True)
        self.psutil = psutil
        self.homes = Path(homes)
        self.students = list(students)
        self.hub_pid = hub_pid
        self.cgroup_root = cgroup_root
        self.interval = interval
        self.baseline_mb = self.used_mb()
        self.peak_mb = self.baseline_mb
        self.student_peak_mb = {name: 0.0 for name in self.students}
        self.student_cgroup_rss_peak_mb = {name: 0.0 for name in self.students}
        self.class_peak_mb = 0.0
        self.class_cgroup_rss_peak_mb = 0.0
        self.processes_peak = 0
        self.stopped = threading.Event()

    def used_mb(self):
        memory = self.psutil.virtual_memory()
        return (memory.total - memory.available) / 2**20

    def owner(self, process):
        """The student whose home holds this process's working folder, or None."""
        try:
            cwd = Path(process.cwd())
        except (self.psutil.Error, OSError):
            return None
        try:
            return cwd.relative_to(self.homes).parts[0]
        except (ValueError, IndexError):
            return None

    def sample(self):
        from . import cgroups

        self.peak_mb = max(self.peak_mb, self.used_mb())
        if self.hub_pid is None:
            return
        try:
            processes = self.psutil.Process(self.hub_pid).children(recursive=True)
        except self.psutil.Error:
            return
        sums = {}
        for process in processes:
            name = self.owner(process)
            if name in self.student_peak_mb:
                try:
                    sums[name] = sums.get(name, 0.0) + process.memory_info().rss / 2**20
                except self.psutil.Error:
                    pass
        self.processes_peak = max(self.processes_peak, len(processes))
        for name, total in sums.items():
            self.student_peak_mb[name] = max(self.student_peak_mb[name], total)
        self.class_peak_mb = max(self.class_peak_mb, sum(sums.values()))
        if self.cgroup_root:
            class_rss = 0.0
            for name in self.students:
                rss = cgroups.memory_rss_mb(self.cgroup_root, name)
                if rss is not None:
                    class_rss += rss
                    self.student_cgroup_rss_peak_mb[name] = max(self.student_cgroup_rss_peak_mb[name], rss)
            self.class_cgroup_rss_peak_mb = max(self.class_cgroup_rss_peak_mb, class_rss)

    def core_seconds(self):
        """{student: CPU seconds (user + system) their server and its kernels have used so far}; kernels that
        ended are not counted, so call it while the kernels still run (they are left running)."""
        used = {name: 0.0 for name in self.students}
        try:
            processes = self.psutil.Process(self.hub_pid).children(recursive=True)
        except self.psutil.Error:
            return used
        for process in processes:
            name = self.owner(process)
            if name in used:
                try:
                    times = process.cpu_times()
                    used[name] += times.user + times.system
                except self.psutil.Error:
                    pass
        return used

    def run(self):
        while not self.stopped.wait(self.interval):
            self.sample()
