"""A JupyterHub of our own in a temporary folder, configured as docs/running_a_class.md advises.

The generated config: the hub on 127.0.0.1 only, on random ports; DummyAuthenticator with a random password
(never an open hub); one API token for this script only; a temporary home per student; the students' servers
run the students' own Python (``Spawner.cmd``), with no PYTHONPATH (``Spawner.env_keep``) and one BLAS thread;
``jupyterhub-idle-culler`` as a hub service with the guide's settings; and, where this machine can enforce them,
``Spawner.mem_limit`` and ``Spawner.cpu_limit`` through ``cgroup_spawner.CgroupSpawner`` (else
SimpleLocalProcessSpawner, which ignores limits).  Leaving the ``with`` stops and removes everything it started:
servers, kernels, proxy, culler, the students' cgroups and the temporary folder, also after an error.
"""
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
import tempfile

BENCHMARKS = Path(__file__).resolve().parents[1]
INSTALL_HINT = "pip install -r requirements-classroom.txt && npm install -g configurable-http-proxy"
CULLER_ARGS = ("--timeout=3600", "--cull-every=300")  # the guide's: a server idle for an hour is stopped
CULLER_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]


class HubUnavailable(RuntimeError):
    """The hub cannot start here; the message names what is missing and how to install it."""


def missing_prerequisites():
    """What is missing to run a hub here, in words (an empty list: nothing)."""
    missing = []
    for module, package in (("jupyterhub", "jupyterhub"), ("websocket", "websocket-client"),
                            ("requests", "requests"), ("psutil", "psutil"),
                            ("jupyterhub_idle_culler", "jupyterhub-idle-culler")):
        try:
            __import__(module)
        except ImportError:
            missing.append(f"the Python package {package} (pip install -r requirements-classroom.txt)")
    if not shutil.which("configurable-http-proxy"):
        missing.append("the proxy configurable-http-proxy (npm install -g configurable-http-proxy)")
    return missing


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Hub:
    """Use as a context manager.  students: names; student_python: the Python the servers run (None: this one);
    environment: the servers' environment; cgroups: a cgroups.ClassCgroups (None: no limits); culler: run it."""

    def __init__(self, students, student_python=None, environment=None, cgroups=None, culler=True,
                 culler_args=CULLER_ARGS, start_timeout=180):
        self.students = students
        self.student_python = str(student_python or sys.executable)
        self.environment = dict(environment or {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
        self.cgroups = cgroups
        self.culler = culler
        self.culler_args = list(culler_args)
        self.start_timeout = start_timeout
        self.tmp = Path(tempfile.mkdtemp(prefix="classroom-hub-"))
        self.homes = self.tmp / "home"
        self.port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(32)
        self.password = secrets.token_urlsafe(16)
        self.process = None
        self.log = self.tmp / "hub.log"
        self.cgroups_left = []

    def home(self, name):
        return self.homes / name

    def spawner_lines(self):
        limited = self.cgroups is not None and (self.cgroups.mem_limit or self.cgroups.cpu_limit)
        if not limited:
            return 'c.JupyterHub.spawner_class = "simple"\nc.SimpleLocalProcessSpawner.home_dir_template = ' \
                   f'{str(self.homes) + "/{username}"!r}\n'
        lines = ['c.JupyterHub.spawner_class = "classload.cgroup_spawner.CgroupSpawner"',
                 f'c.CgroupSpawner.home_dir_template = {str(self.homes) + "/{username}"!r}',
                 f"c.CgroupSpawner.cgroup_root = {self.cgroups.root_name!r}"]
        if self.cgroups.mem_limit:
            lines.append(f"c.Spawner.mem_limit = {self.cgroups.mem_limit!r}")
        if self.cgroups.cpu_limit:
            lines.append(f"c.Spawner.cpu_limit = {float(self.cgroups.cpu_limit)!r}")
        return "\n".join(lines) + "\n"

    def services(self):
        services = [{"name": "classroom-load", "api_token": self.token}]
        roles = [{"name": "classroom-load", "services": ["classroom-load"],
                  "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users",
                             "read:services"]}]
        if self.culler:
            services.append({"name": "idle-culler",
                             "command": [sys.executable, "-m", "jupyterhub_idle_culler", *self.culler_args]})
            roles.append({"name": "idle-culler", "services": ["idle-culler"], "scopes": CULLER_SCOPES})
        return services, roles

    def config(self):
        args = ["--allow-root"] if os.getuid() == 0 else []
        services, roles = self.services()
        return f"""# written by benchmarks/classroom_load.py; removed when it ends
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {self.port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {self.hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{self.api_port}"
c.ConfigurableHTTPProxy.auth_token = {secrets.token_hex(32)!r}
c.ConfigurableHTTPProxy.pid_file = {str(self.tmp / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{self.tmp / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret = bytes.fromhex({secrets.token_hex(32)!r})
c.JupyterHub.pid_file = {str(self.tmp / "hub.pid")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {self.password!r}
c.Authenticator.allowed_users = {set(self.students)!r}
{self.spawner_lines()}c.Spawner.cmd = [{self.student_python!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.args = {args!r}
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.environment = {self.environment!r}
c.Spawner.start_timeout = {self.start_timeout}
c.Spawner.http_timeout = {self.start_timeout}
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.active_server_limit = 0
c.JupyterHub.services = {services!r}
c.JupyterHub.load_roles = {roles!r}
"""

    def __enter__(self):
        missing = missing_prerequisites()
        if missing:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise HubUnavailable("JupyterHub cannot start: missing " + "; ".join(missing) + f". Install: {INSTALL_HINT}")
        self.homes.mkdir()
        (self.tmp / "jupyterhub_config.py").write_text(self.config())
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
        env["PYTHONPATH"] = str(BENCHMARKS)  # the hub imports classload.cgroup_spawner; servers don't inherit it
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(self.tmp / "jupyterhub_config.py")],
                cwd=self.tmp, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            self._wait_until_up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_up(self, timeout=60):
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubUnavailable(self._why_it_failed())
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise HubUnavailable(f"JupyterHub did not answer on {self.url} within {timeout} s. " + self._why_it_failed())

    def _why_it_failed(self):
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        if "configurable-http-proxy" in log and ("not found" in log or "No such file" in log or "ENOENT" in log):
            return f"JupyterHub could not start its proxy: configurable-http-proxy is missing. Install: {INSTALL_HINT}"
        if "Address already in use" in log or "EADDRINUSE" in log:
            return "JupyterHub could not start: one of its ports is taken (another hub or proxy running?). Try again."
        tail = "\n".join(log.splitlines()[-15:])
        return f"JupyterHub exited at start. Install: {INSTALL_HINT}. The end of its log:\n{tail}"

    def api(self, method, path, **kwargs):
        import requests

        response = requests.request(method, f"{self.url}/hub/api{path}", timeout=60,
                                    headers={"Authorization": f"token {self.token}"}, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"hub API {method} {path}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None

    def start_server(self, name, timeout=240):
        """Create the user if needed and start their server; wait until it answers. Returns its URL."""
        try:
            self.api("POST", f"/users/{name}")
        except RuntimeError as err:
            if "409" not in str(err):  # 409: the user exists already
                raise
        try:
            self.api("POST", f"/users/{name}/server")
        except RuntimeError as err:
            if "already running" not in str(err):
                raise
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = (self.api("GET", f"/users/{name}").get("servers") or {}).get("")
            if server and server.get("ready"):
                return f"{self.url}/user/{name}"
            time.sleep(0.5)
        raise RuntimeError(f"{name}'s server did not start within {timeout} s")

    def stop_server(self, name, timeout=120):
        try:
            self.api("DELETE", f"/users/{name}/server")
        except RuntimeError as err:
            if "400" not in str(err):  # 400: not running
                raise
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not (self.api("GET", f"/users/{name}").get("servers") or {}):
                return
            time.sleep(0.5)
        raise RuntimeError(f"{name}'s server did not stop within {timeout} s")

    def culler_status(self):
        """The culler as the hub sees it and as it runs: {"configured", "running", "args", "asked_the_hub"}."""
        if not self.culler:
            return {"configured": False}
        import psutil

        running = False
        try:
            for process in psutil.Process(self.process.pid).children(recursive=True):
                if "jupyterhub_idle_culler" in " ".join(process.cmdline()):
                    running = True
        except psutil.Error:
            pass
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        try:
            service = self.api("GET", "/services/idle-culler") or {}
        except RuntimeError:
            service = {}
        return {"configured": True, "command_at_hub": service.get("command"), "running": running,
                "hub_pid": service.get("pid"), "asked_the_hub": "idle-culler@" in log}

    def __exit__(self, *exc_info):
        import psutil

        processes = []
        if self.process is not None:
            try:
                processes = [psutil.Process(self.process.pid), *psutil.Process(self.process.pid).children(recursive=True)]
            except psutil.NoSuchProcess:
                processes = []
            for name in self.students:  # stop the servers the proper way first
                try:
                    self.api("DELETE", f"/users/{name}/server")
                except Exception:
                    pass
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            for process in processes:  # anything left: the proxy, the culler, single-user servers, kernels
                try:
                    process.kill()
                except psutil.NoSuchProcess:
                    pass
        if self.cgroups is not None:
            self.cgroups_left = self.cgroups.remove()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return False
