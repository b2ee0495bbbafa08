"""Shared pieces of the browser tests: Debian's Chromium driven by Playwright, and free ports.

Every test here is marked ``browser``.  Without a browser (a learner's laptop) they are skipped with
the reason; CI sets COURSE_REQUIRE_BROWSER=1, and then a missing browser is a failure, not a skip.
"""
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
# Headless, no sandbox (CI runs as root), no GPU, and none of the background requests that a
# closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _missing_browser_reason():
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements.txt)"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; or set COURSE_CHROMIUM)"
    return None


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """A headless Chromium with a fresh user-data dir, closed at the end of the session."""
    reason = _missing_browser_reason()
    if reason:
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required here but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    user_data = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser):
    """A new tab, closed after the test."""
    tab = browser.new_page()
    try:
        yield tab
    finally:
        tab.close()


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Jupyter servers (JupyterLab, Notebook 7, Voilà) on a temporary copy of the course -------------------

REPO = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Settings that keep JupyterLab / Notebook 7 from asking for or fetching news and update checks, and a
# notebook view that keeps every cell in the DOM (so a test can see every output).
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/extensionmanager-extension/plugin.jupyterlab-settings": {"enabled": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
# Server options: on 127.0.0.1 only, no browser, no news feed, no update check, no PyPI extension manager.
OFFLINE_SERVER_ARGS = [
    "--ip=127.0.0.1", "--no-browser", "--ServerApp.port_retries=0",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
]


@pytest.fixture
def course_copy(tmp_path):
    """A throw-away copy of notebooks/ and images/ (lessons read ../images), so the repo never changes."""
    root = tmp_path / "course"
    for folder in ("notebooks", "images"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


def jupyter_env(home):
    """Environment with Jupyter's and IPython's config, data and runtime dirs under ``home``.

    JUPYTER_PATH and the interpreter stay as they are, so the virtualenv's kernel is found.
    """
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(home / name.lower())
        (home / name.lower()).mkdir(parents=True, exist_ok=True)
    settings_dir = home / "jupyter_config_dir" / "lab" / "user-settings"
    for name, values in USER_SETTINGS.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env["PYTHONUNBUFFERED"] = "1"
    return env


class RunningServer:
    """A server process started by ``start_server``: its ``url``, ``token``, ``log`` (text so far)."""

    def __init__(self, process, url, token, log_path):
        self.process, self.url, self.token, self.log_path = process, url, token, log_path

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        """Ask the server to shut down (kernels included), then terminate, then kill."""
        if self.process.poll() is None and self.token is not None:
            try:
                request = urllib.request.Request(f"{self.url}api/shutdown?token={self.token}", method="POST", data=b"")
                urllib.request.urlopen(request, timeout=5).close()
                self.process.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def _start(args, cwd, home, url, token, ready_path, any_answer=False, timeout=120):
    """Start ``args`` in ``cwd`` with Jupyter's dirs under ``home``; return once ``url + ready_path`` answers.

    The answer must be 200 OK, or with ``any_answer`` any HTTP answer but a server error.
    """
    env = jupyter_env(home)
    log_path = home / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    server = RunningServer(process, url, token, log_path)
    probe = url + ready_path + (f"?token={token}" if token else "")
    deadline = time.monotonic() + timeout
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{args[2]} exited with {process.returncode}")
            try:
                with urllib.request.urlopen(probe, timeout=5) as response:
                    if response.status == 200:
                        return server
            except urllib.error.HTTPError as error:
                if any_answer and error.code < 500:
                    return server
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{args[2]} did not answer {ready_path} within {timeout} s")
            time.sleep(0.25)
    except RuntimeError as error:
        server.stop()
        pytest.fail(f"{error}; its log:\n{server.log()[-4000:]}")


# How each app is started: its module, how it exposes itself and whether it wants a token.  Voilà runs as the
# README tells a teacher (no token); JupyterLab and Notebook 7 get a random token and expose ``window.jupyterapp``.
APPS = {
    "jupyterlab": {"token": True, "ready": "api/status", "args": ["--LabApp.expose_app_in_browser=True"]},
    "notebook": {"token": True, "ready": "api/status", "args": ["--JupyterNotebookApp.expose_app_in_browser=True"]},
    "voila": {"token": False, "ready": "voila/static/", "args": ["--Voila.ip=127.0.0.1", "--Voila.port_retries=0"]},
}


@pytest.fixture
def jupyter_server(tmp_path):
    """Start a server on 127.0.0.1, a free port, offline: ``jupyter_server(app, root, *app_args)``.

    app: "jupyterlab", "notebook" (Notebook 7) or "voila"; root: the folder it runs in; app_args go
    first on its command line (Voilà: the notebook to present, then any options).  Returns a
    RunningServer; every server started is stopped at the end, whatever happens.
    """
    servers = []

    def start(app, root, *app_args):
        spec = APPS[app]
        port, token = free_port(), (secrets.token_hex(16) if spec["token"] else None)
        args = [sys.executable, "-m", app, *app_args, f"--port={port}", *spec["args"]]
        if app == "voila":
            args.append("--no-browser")
        else:
            args += [f"--IdentityProvider.token={token}", *OFFLINE_SERVER_ARGS]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                args.append("--allow-root")  # CI containers run as root
        server = _start(args, root, tmp_path / f"{app}-home-{len(servers)}", f"http://127.0.0.1:{port}/",
                        token, spec["ready"], any_answer=app == "voila")
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def voila_server(jupyter_server):
    """Voilà as the README tells a teacher: ``voila_server(root, "present/03_gates/03_gates.ipynb", *options)``."""
    return lambda root, notebook, *options: jupyter_server("voila", root, notebook, *options)


@pytest.fixture
def outside_requests(page):
    """Every request the page makes to a host other than this machine (the list fills as the test runs)."""
    seen = []

    def record(request):
        host = urllib.parse.urlsplit(request.url).hostname or ""
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in LOCAL_HOSTS:
            seen.append(request.url)

    page.on("request", record)
    page.on("websocket", lambda ws: record(ws))
    return seen
