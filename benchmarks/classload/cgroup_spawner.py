"""A spawner that enforces ``Spawner.mem_limit`` and ``Spawner.cpu_limit`` with one cgroup (v1) per student.

SimpleLocalProcessSpawner ignores both limits (JupyterHub leaves them to the spawner).  This one does what
systemdspawner and DockerSpawner do: before the student's server starts it makes the student's cgroups
(``cgroups.write_limits``) and the server's process joins them in its preexec (so every kernel the server
starts is inside them too); when the server stops, whatever is left in them is killed and they are removed.
The generated hub config sets ``CgroupSpawner.cgroup_root`` (the class's folder name) and the limits.
"""
import os

from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Unicode

from . import cgroups


class CgroupSpawner(SimpleLocalProcessSpawner):
    cgroup_root = Unicode("", help="the class's cgroup folder name under /sys/fs/cgroup/<controller>/").tag(config=True)

    async def start(self):
        self._procs = cgroups.write_limits(self.cgroup_root, self.user.name, self.mem_limit, self.cpu_limit)
        return await super().start()

    def make_preexec_fn(self, name):
        inner = super().make_preexec_fn(name)
        procs = list(getattr(self, "_procs", []))

        def preexec():
            for path in procs:  # join the student's cgroups before exec: the server and its kernels stay in them
                with open(path, "w") as handle:
                    handle.write(str(os.getpid()))
            inner()

        return preexec

    async def stop(self, now=False):
        await super().stop(now)
        for controller in cgroups.CONTROLLERS:
            left = cgroups.remove_tree(cgroups.student_folder(self.cgroup_root, controller, self.user.name))
            if left:
                self.log.warning("cgroups left for %s: %s", self.user.name, left)
