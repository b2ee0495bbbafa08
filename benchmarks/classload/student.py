"""One student, driving their own server as JupyterLab does: contents, sessions, and each kernel's websocket.

A student opens a released lesson (the student edition), types the reference answers into its answer cells
(as tests/test_classroom.py's ``answered`` does), saves it, and runs every code cell in order in a new kernel.
Kernels are left running, as students leave them: the next lesson opens a new session beside the old ones.
"""
import configparser
import json
import re
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION\n", re.M)
# The kernel's own peak resident memory (kB); not ru_maxrss, which Linux carries over exec from the server.
PEAK_CODE = "import re\nprint(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"
ALIVE_NAME = "_classroom_load_alive"  # set in each kernel before its lesson; still there later = never restarted


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
            text = output.get("text", "")
            text = text if isinstance(text, str) else "".join(text)
            if parts and parts[-1][0] == "stream":  # as nbval: a stream split into chunks is one stream
                parts[-1] = ("stream", parts[-1][1] + text)
            else:
                parts.append(("stream", text))
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


def joined(source):
    return source if isinstance(source, str) else "".join(source)


def reference_answers(stem):
    """{grade_id: answer code without the solution markers} of a lesson, from the course's notebooks/."""
    notebook = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text())
    return {cell["metadata"]["nbgrader"]["grade_id"]: MARKER_LINE.sub("", joined(cell["source"]))
            for cell in notebook["cells"] if cell.get("metadata", {}).get("nbgrader", {}).get("solution")}


def expected_outputs(stem):
    """{code cell source: its committed outputs} of the course's notebook, the outputs nbval compares."""
    notebook = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text())
    return {joined(cell["source"]): cell["outputs"] for cell in notebook["cells"] if cell["cell_type"] == "code"}


def type_answers(notebook, answers):
    """The released notebook (dict) with the answers typed into its answer cells; returns how many were typed."""
    typed = 0
    for cell in notebook["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers and cell["metadata"]["nbgrader"].get("solution"):
            cell["source"] = answers[grade_id]
            typed += 1
    return typed


class KernelDied(RuntimeError):
    pass


class Student:
    """One student's server; ``kernels`` keeps every kernel they opened (left running), in order."""

    def __init__(self, name, server_url, token):
        import requests

        self.name = name
        self.server_url = server_url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {token}"
        self.token = token
        self.cell_seconds = []
        self.kernel_peaks_mb = {}
        self.kernels = []  # (notebook path, kernel id)
        self.kernel_id = None  # the kernel running a lesson now
        self.answers_typed = 0
        self.cells_failed = []  # (notebook, cell index, error name)

    def contents(self, method, path, **kwargs):
        response = self.http.request(method, f"{self.server_url}/api/contents/{path}", timeout=60, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def put_notebook(self, name, notebook):
        self.contents("PUT", name, json={"type": "notebook", "format": "json", "content": notebook})

    def answer(self, path, stem):
        """Open the released lesson, type the reference answers, save it (contents API)."""
        notebook = self.contents("GET", path)["content"]
        self.answers_typed += type_answers(notebook, reference_answers(stem))
        self.put_notebook(path, notebook)

    def open_kernel(self, path):
        """A session for ``path`` (as JupyterLab makes one on opening a notebook); returns the kernel id."""
        session = self.http.post(f"{self.server_url}/api/sessions", timeout=120, json={
            "path": path, "name": Path(path).name, "type": "notebook", "kernel": {"name": "python3"}})
        session.raise_for_status()
        kernel_id = session.json()["kernel"]["id"]
        self.kernels.append((path, kernel_id))
        return kernel_id

    def run_notebook(self, path, stem, cell_timeout=600, stop=None):
        """Run every code cell of the saved notebook in a new kernel, left running; returns output mismatches."""
        notebook = self.contents("GET", path)["content"]
        expected = expected_outputs(stem)
        self.kernel_id = self.open_kernel(path)
        mismatches = 0
        try:
            with KernelChannel(self.server_url, self.kernel_id, self.token) as channel:
                channel.execute(f"{ALIVE_NAME} = True", timeout=cell_timeout)
                for index, cell in enumerate(notebook["cells"]):
                    if cell["cell_type"] != "code":
                        continue
                    if stop is not None and stop.is_set():
                        raise KernelDied("stopped")
                    source = joined(cell["source"])
                    start = time.perf_counter()
                    outputs = channel.execute(source, timeout=cell_timeout)
                    self.cell_seconds.append(time.perf_counter() - start)
                    errors = [o.get("ename") for o in outputs if o.get("output_type") == "error"]
                    if errors:
                        self.cells_failed.append((path, index, errors[0]))
                    if (source in expected and "NBVAL_IGNORE_OUTPUT" not in source
                            and stable_text(outputs) != stable_text(expected[source])):
                        mismatches += 1
                peak = channel.execute(PEAK_CODE, timeout=cell_timeout)
                self.kernel_peaks_mb[stem] = int(stable_text(peak).split(":", 1)[1]) / 1024
        finally:
            self.kernel_id = None
        return mismatches

    def ask(self, kernel_id, code, timeout=120):
        """Run ``code`` in one of the student's kernels; returns its stable text (stream/text/error lines)."""
        with KernelChannel(self.server_url, kernel_id, self.token) as channel:
            return stable_text(channel.execute(code, timeout=timeout))

    def kernels_lost(self):
        """The notebooks whose kernel no longer holds what was set before its lesson (restarted or dead)."""
        lost = []
        for path, kernel_id in self.kernels:
            try:
                text = self.ask(kernel_id, f"print({ALIVE_NAME!r} in globals())")
            except Exception:
                lost.append(path)
                continue
            if "True" not in text:
                lost.append(path)
        return lost

    def running_kernels(self):
        response = self.http.get(f"{self.server_url}/api/kernels", timeout=60)
        response.raise_for_status()
        return len(response.json())


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
