"""Fixtures for the browser test: a running app and a chromium page.

`app_server` starts `streamlit run` on a free port of 127.0.0.1 for the
whole session; `browser_page` opens a fresh page in headless chromium and
records the page's JavaScript errors in `page_errors`.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"

# Debian's chromium: Playwright's own browser download cannot work on our
# machines, so scripts/test.sh installs this one with apt-get.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    # Root in a container has no user namespaces for the sandbox.
    "--no-sandbox",
    "--disable-gpu",
    # Keep the browser quiet: no traffic beyond the app on 127.0.0.1.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 60.0


def pytest_addoption(parser):
    parser.addoption(
        "--app",
        default="app.py",
        help="Streamlit script the browser test serves, relative to the "
        "repo root (default: app.py)",
    )


def free_port():
    """Return a TCP port of 127.0.0.1 that nothing listens on just now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_healthy(base_url):
    """True when the server's health endpoint answers "ok"."""
    # No proxy: a proxy from the environment must not see loopback traffic.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{base_url}/_stcore/health", timeout=2) as reply:
            return reply.read().strip() == b"ok"
    except OSError:
        return False


def log_tail(path, lines=30):
    text = path.read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:])


def stop(process):
    """Ask the server to stop; kill it if it has not within 10 s."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def app_server(request):
    """Serve the app on 127.0.0.1 for the session; yield its base URL.

    The server's output goes to artifacts/streamlit.log.
    """
    script = request.config.getoption("--app")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # Nothing edits the source during a test: no need to watch it.
        "--server.fileWatcherType", "none",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "streamlit.log"

    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while not is_healthy(base_url):
                if process.poll() is not None:
                    pytest.fail(
                        f"streamlit exited with code {process.returncode} "
                        f"before it answered; {log_path}:\n"
                        + log_tail(log_path)
                    )
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"streamlit did not answer {base_url}/_stcore/health "
                        f"within {SERVER_START_TIMEOUT:.0f} s; {log_path}:\n"
                        + log_tail(log_path)
                    )
                time.sleep(0.25)
            yield base_url
        finally:
            stop(process)


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian chromium driven by Playwright, for the session."""
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is missing: install Debian's chromium "
            "(apt-get install chromium; scripts/test.sh does it as root)"
        )
        # In CI a skipped browser test would pass unnoticed.
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
        )
        yield browser
        browser.close()


@pytest.fixture
def page_errors():
    """List of the page's uncaught exceptions and console errors, as text."""
    return []


@pytest.fixture
def browser_page(chromium, page_errors):
    """A new page; its JavaScript errors go to `page_errors`.

    1280 x 1400 pixels: tall enough for the charts to be on screen.
    """
    context = chromium.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()

    def record_console_error(message):
        if message.type == "error":
            page_errors.append(f"console: {message.text}")

    page.on("pageerror", lambda error: page_errors.append(f"page: {error}"))
    page.on("console", record_console_error)
    yield page
    context.close()
