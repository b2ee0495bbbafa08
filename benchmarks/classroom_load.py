"""A whole class on this machine: a real JupyterHub, N students, each running lessons top to bottom.

    pip install -r requirements-classroom.txt && npm install -g configurable-http-proxy
    python benchmarks/classroom_load.py --students 20             lessons 03 then 09 (MNIST), starts spread over 60 s
    python benchmarks/classroom_load.py --students 2 --lessons 03 --spread 5

It installs nothing.  It writes its own hub config into a temporary directory: the hub listens on
127.0.0.1 only, on random ports; DummyAuthenticator with a random password (never an open hub);
SimpleLocalProcessSpawner with a temporary home per student; an API token for this script only.
Through the hub's REST API it creates the students and starts their servers; it copies the lessons
into each home through that student's contents API (as nbgitpuller would), then drives each student's
own server as JupyterLab does: a session (REST), then every code cell over the kernel's websocket.
Each student starts at a random moment in the first --spread seconds (seeded) and runs the lessons
in order.  Outputs are compared with the committed ones wherever nbval compares them (cells without
NBVAL_IGNORE_OUTPUT; text outputs after the sanitize rules of tests/nbval_sanitize.cfg).
Persistence: the first student's saved edit to a notebook must survive their server being stopped
and started again.  --kill-one kills one student's kernel mid-lesson: that student is reported
failed and the others finish.  Everything started is stopped and the temporary files removed, even
on Ctrl-C or an error.  The last line printed is one JSON object.
A benchmark, not a test (tests/test_hub.py runs a 2-student version of it).
"""
import argparse
import configparser
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_NOTEBOOKS = "course/notebooks"  # where each student's copy of the lessons lives, in their home
# The kernel's own peak resident memory (kB); not ru_maxrss, which Linux carries over exec from the server.
PEAK_CODE = "import re\nprint(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"
INSTALL_HINT = "pip install -r requirements-classroom.txt && npm install -g configurable-http-proxy"


class HubUnavailable(RuntimeError):
    """The hub cannot start here; the message names what is missing and how to install it."""


def missing_prerequisites():
    """What is missing to run a hub here, in words (an empty list: nothing)."""
    missing = []
    for module, package in (("jupyterhub", "jupyterhub"), ("websocket", "websocket-client"),
                            ("requests", "requests"), ("psutil", "psutil")):
        try:
            __import__(module)
        except ImportError:
            missing.append(f"the Python package {package} (pip install -r requirements-classroom.txt)")
    if not shutil.which("configurable-http-proxy"):
        missing.append("the proxy configurable-http-proxy (npm install -g configurable-http-proxy)")
    if not shutil.which("jupyterhub-singleuser", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")):
        missing.append("jupyterhub-singleuser (pip install -r requirements-classroom.txt)")
    return missing


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---- the hub ---------------------------------------------------------------------------------------------
class Hub:
    """A JupyterHub of our own in a temporary directory; use as a context manager (stops everything)."""

    def __init__(self, students, start_timeout=180):
        self.students = students
        self.start_timeout = start_timeout
        self.tmp = Path(tempfile.mkdtemp(prefix="classroom-hub-"))
        self.port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(32)
        self.password = secrets.token_urlsafe(16)
        self.process = None
        self.log = self.tmp / "hub.log"

    def config(self):
        singleuser = shutil.which("jupyterhub-singleuser", path=str(Path(sys.executable).parent)) or "jupyterhub-singleuser"
        homes = self.tmp / "home"
        args = ["--allow-root"] if os.getuid() == 0 else []
        environment = {"PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                       "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
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
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes) + "/{username}"!r}
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.environment = {environment!r}
c.Spawner.start_timeout = {self.start_timeout}
c.Spawner.http_timeout = {self.start_timeout}
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.active_server_limit = 0
c.JupyterHub.services = [{{"name": "classroom-load", "api_token": {self.token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "classroom-load",
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"],
    "services": ["classroom-load"],
}}]
"""

    def __enter__(self):
        missing = missing_prerequisites()
        if missing:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise HubUnavailable("JupyterHub cannot start: missing " + "; ".join(missing) + f". Install: {INSTALL_HINT}")
        (self.tmp / "jupyterhub_config.py").write_text(self.config())
        env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
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
            for process in processes:  # anything left: the proxy, single-user servers, kernels
                try:
                    process.kill()
                except psutil.NoSuchProcess:
                    pass
        shutil.rmtree(self.tmp, ignore_errors=True)
        return False


# ---- a student: contents, session and kernel, as JupyterLab uses them ---------------------------------
def sanitizers():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "tests" / "nbval_sanitize.cfg")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


SANITIZE = None


def stable_text(outputs):
    """The text an nbval comparison looks at, from a list of nbformat-like outputs, sanitized."""
    global SANITIZE
    SANITIZE = SANITIZE if SANITIZE is not None else sanitizers()
    parts = []
    for output in outputs:
        if output.get("output_type") == "stream":
            parts.append(("stream", output.get("text", "")))
        elif output.get("output_type") in ("execute_result", "display_data"):
            data = output.get("data", {})
            if "text/plain" in data and "image/png" not in data:
                parts.append(("text", data["text/plain"]))
        elif output.get("output_type") == "error":
            parts.append(("error", output.get("ename", "")))
    text = "\n".join(f"{kind}:{value if isinstance(value, str) else ''.join(value)}" for kind, value in parts)
    for regex, replacement in SANITIZE:
        text = regex.sub(replacement, text)
    return text


class KernelDied(RuntimeError):
    pass


class Student:
    """One student's server: put the lessons in their home, run them cell by cell over the websocket."""

    def __init__(self, name, server_url, token):
        import requests

        self.name = name
        self.server_url = server_url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {token}"
        self.token = token
        self.cell_seconds = []
        self.kernel_peaks_mb = []
        self.kernel_id = None

    def contents(self, method, path, **kwargs):
        response = self.http.request(method, f"{self.server_url}/api/contents/{path}", timeout=60, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def put_notebook(self, name, notebook):
        self.contents("PUT", name, json={"type": "notebook", "format": "json", "content": notebook})

    def get_course(self, notebooks):
        """The course's folders in the student's home, as nbgitpuller would pull them: the lessons in
        course/notebooks/ and the pictures they show in course/images/."""
        for folder in ("course", "course/notebooks", "course/images"):
            self.contents("PUT", folder, json={"type": "directory"})
        for picture in sorted((ROOT / "images").glob("*.svg")):
            self.contents("PUT", f"course/images/{picture.name}",
                          json={"type": "file", "format": "text", "content": picture.read_text()})
        for name, notebook in notebooks.items():
            self.put_notebook(f"{COURSE_NOTEBOOKS}/{name}", notebook)

    def run_notebook(self, name, cell_timeout=600, stop=None):
        """Open ``name`` (a session, as JupyterLab does), run every code cell; return the number of mismatches."""
        notebook = self.contents("GET", name)["content"]
        session = self.http.post(f"{self.server_url}/api/sessions", timeout=60, json={
            "path": name, "name": Path(name).name, "type": "notebook", "kernel": {"name": "python3"}}).json()
        self.kernel_id = session["kernel"]["id"]
        mismatches = 0
        try:
            with KernelChannel(self.server_url, self.kernel_id, self.token) as channel:
                for cell in notebook["cells"]:
                    if cell["cell_type"] != "code":
                        continue
                    if stop is not None and stop.is_set():
                        raise KernelDied("stopped")
                    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                    start = time.perf_counter()
                    outputs = channel.execute(source, timeout=cell_timeout)
                    self.cell_seconds.append(time.perf_counter() - start)
                    if "NBVAL_IGNORE_OUTPUT" not in source and stable_text(outputs) != stable_text(cell["outputs"]):
                        mismatches += 1
                peak = channel.execute(PEAK_CODE, timeout=cell_timeout)
                self.kernel_peaks_mb.append(int(stable_text(peak).split(":", 1)[1]) / 1024)
        finally:
            self.http.delete(f"{self.server_url}/api/sessions/{session['id']}", timeout=60)
            self.kernel_id = None
        return mismatches


class KernelChannel:
    """The kernel's websocket (/api/kernels/<id>/channels): execute code, collect its outputs."""

    def __init__(self, server_url, kernel_id, token):
        self.url = server_url.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
        self.token = token
        self.session_id = uuid.uuid4().hex

    def __enter__(self):
        import websocket

        self.ws = websocket.create_connection(self.url, header=[f"Authorization: token {self.token}"], timeout=30)
        return self

    def __exit__(self, *exc_info):
        self.ws.close()
        return False

    def execute(self, code, timeout=600):
        import websocket

        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": self.session_id,
                       "username": "student", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        outputs, replied, idle = [], False, False
        deadline = time.monotonic() + timeout
        while not (replied and idle):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer within {timeout} s")
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            except (websocket.WebSocketConnectionClosedException, ConnectionError) as err:
                raise KernelDied(f"the kernel's websocket closed ({err})") from err
            msg_type = message.get("msg_type") or message["header"]["msg_type"]
            content = message.get("content", {})
            if msg_type == "status" and content.get("execution_state") in ("restarting", "dead"):
                raise KernelDied(f"the kernel died (status {content['execution_state']})")
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg_type == "execute_reply":
                replied = True
            elif msg_type == "status" and content.get("execution_state") == "idle":
                idle = True
            elif msg_type == "stream":
                if outputs and outputs[-1].get("output_type") == "stream" and outputs[-1]["name"] == content["name"]:
                    outputs[-1]["text"] += content["text"]
                else:
                    outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
            elif msg_type in ("execute_result", "display_data", "error"):
                outputs.append({"output_type": msg_type, **content})
        return outputs


def kill_kernel(kernel_id):
    """Kill -9 the kernel process whose command line names this kernel id (as the OOM killer would)."""
    import psutil

    for process in psutil.process_iter(["cmdline"]):
        if any(kernel_id in part for part in process.info["cmdline"] or []):
            process.kill()
            return True
    return False


class MachineMemory(threading.Thread):
    """The machine's used memory (total − available), sampled every 0.5 s: the baseline and the peak."""

    def __init__(self):
        import psutil

        super().__init__(daemon=True)
        self.psutil = psutil
        self.baseline_mb = self.used_mb()
        self.peak_mb = self.baseline_mb
        self.stopped = threading.Event()

    def used_mb(self):
        memory = self.psutil.virtual_memory()
        return (memory.total - memory.available) / 2**20

    def run(self):
        while not self.stopped.wait(0.5):
            self.peak_mb = max(self.peak_mb, self.used_mb())


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def lesson_files(prefixes):
    found = []
    for prefix in prefixes:
        matches = sorted((ROOT / "notebooks").glob(f"{prefix}*.ipynb"))
        if not matches:
            raise SystemExit(f"no lesson in notebooks/ starts with {prefix!r}")
        found.append(matches[0])
    return found


def run_class(students=20, lessons=("03", "09"), spread=60.0, seed=0, kill_one=False, persistence=True,
              cell_timeout=600):
    """Run the class; return the result dictionary (the JSON of the last line)."""
    names = [f"student{k:02d}" for k in range(1, students + 1)]
    paths = lesson_files(lessons)
    notebooks = {path.name: json.loads(path.read_text()) for path in paths}
    rng = random.Random(seed)
    start_at = {name: rng.uniform(0, spread) for name in names}
    victim = names[len(names) // 2] if kill_one else None
    results = {name: {"completed": 0, "mismatched": 0, "error": None, "student": None} for name in names}
    memory = MachineMemory()
    wall_start = time.perf_counter()

    with Hub(names) as hub:
        memory.start()

        def one_student(name):
            result = results[name]
            try:
                time.sleep(start_at[name])
                url = hub.start_server(name)
                student = result["student"] = Student(name, url, hub.token)
                student.get_course(notebooks)
                for file_name in notebooks:
                    result["mismatched"] += student.run_notebook(f"{COURSE_NOTEBOOKS}/{file_name}", cell_timeout)
                    result["completed"] += 1
            except Exception as err:  # reported, never hidden; the others go on
                result["error"] = f"{type(err).__name__}: {err}"

        threads = [threading.Thread(target=one_student, args=(name,), daemon=True) for name in names]
        for thread in threads:
            thread.start()
        if victim:
            _kill_when_running(results, victim, notebooks)
        for thread in threads:
            thread.join()
        persistence_ok = None
        if persistence:
            try:
                persistence_ok = _check_persistence(hub, names[0], f"{COURSE_NOTEBOOKS}/{next(iter(notebooks))}")
            except Exception as err:
                persistence_ok = f"failed: {type(err).__name__}: {err}"
        memory.stopped.set()

    cells = [s for r in results.values() if r["student"] for s in r["student"].cell_seconds]
    peaks = [p for r in results.values() if r["student"] for p in r["student"].kernel_peaks_mb]
    return {
        "students": students,
        "lessons": [path.name for path in paths],
        "servers_started": sum(1 for r in results.values() if r["student"]),
        "notebooks_expected": students * len(paths),
        "notebooks_completed": sum(r["completed"] for r in results.values()),
        "outputs_mismatched": sum(r["mismatched"] for r in results.values()),
        "failed_students": {name: r["error"] for name, r in results.items() if r["error"]},
        "killed_student": victim,
        "persistence_ok": persistence_ok,
        "wall_s": round(time.perf_counter() - wall_start, 1),
        "cells_run": len(cells),
        "p50_cell_s": round(percentile(cells, 50), 3) if cells else None,
        "p95_cell_s": round(percentile(cells, 95), 3) if cells else None,
        "max_cell_s": round(max(cells), 3) if cells else None,
        "kernel_peak_mb_max": round(max(peaks), 1) if peaks else None,
        "machine_baseline_mb": round(memory.baseline_mb),
        "machine_peak_mb": round(memory.peak_mb),
        "machine_peak_minus_baseline_mb": round(memory.peak_mb - memory.baseline_mb),
        "cores": os.cpu_count(),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def _kill_when_running(results, victim, notebooks, timeout=600):
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--lessons", default="03,09", help="comma-separated lesson prefixes, run in order")
    parser.add_argument("--spread", type=float, default=60.0, help="students start within this many seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kill-one", action="store_true", help="kill one student's kernel mid-lesson")
    parser.add_argument("--no-persistence", action="store_true")
    args = parser.parse_args()
    try:
        result = run_class(args.students, tuple(args.lessons.split(",")), args.spread, args.seed,
                           args.kill_one, not args.no_persistence)
    except HubUnavailable as err:
        print(json.dumps({"error": str(err)}))
        return 2
    except KeyboardInterrupt:  # Hub.__exit__ has stopped everything already
        print(json.dumps({"error": "interrupted; everything started was stopped"}))
        return 130
    print(json.dumps(result))
    complete = result["notebooks_completed"] == result["notebooks_expected"] and not result["outputs_mismatched"]
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
