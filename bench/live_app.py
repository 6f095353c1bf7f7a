"""Benchmark: the running app at top speed, measured in a real browser.

Starts ``streamlit run app.py`` on 127.0.0.1, opens the playground in
headless Chromium (Debian's /usr/bin/chromium) with the spiral set-up of
bench/playground.py at the top speed, presses Play and measures for
``--seconds``:

- epochs per second of wall clock (the Epoch counter on the page);
- figure updates per second (changes of that counter, seen in the page);
- kilobytes the server sent per update (websocket frames, all of them).

Run: python bench/live_app.py [--seconds 10]
"""

import argparse
from contextlib import contextmanager
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
QUERY = ("data=spiral&points=500&ratio=50&feat=x1,x2&layers=8,8&act=tanh"
         "&loss=squared_error&opt=sgd&batch=10&lr=0.03&wd=0&speed=5000")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def start_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return server, url
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the app did not start within 60 s")


COUNT_CHANGES_JS = """() => {
  window.__epochChanges = 0;
  let last = null;
  const value = () => document.querySelector(
    '[data-testid="stMetricValue"]')?.innerText;
  new MutationObserver(() => {
    const now = value();
    if (now !== last) { last = now; window.__epochChanges += 1; }
  }).observe(document.body, {subtree: true, childList: true,
                             characterData: true});
}"""


def epoch(page):
    text = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    return int(text.replace(",", ""))


def measure(page, seconds):
    received = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: received.append(len(payload))))
    page.reload()
    page.get_by_text("Epoch").first.wait_for(timeout=60_000)
    page.wait_for_timeout(3000)
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(2000)

    sent_before = sum(received)
    first = epoch(page)
    # Count changes of the Epoch value in the page itself: polling from
    # here would miss updates that come faster than a round trip.
    page.evaluate(COUNT_CHANGES_JS)
    start = time.perf_counter()
    page.wait_for_timeout(seconds * 1000)
    changes = page.evaluate("window.__epochChanges")
    last = epoch(page)
    elapsed = time.perf_counter() - start
    page.get_by_role("button", name="Pause").click()
    sent = sum(received) - sent_before
    return (last - first) / elapsed, changes / elapsed, sent / max(changes, 1)


@contextmanager
def playground_page():
    """The app served on 127.0.0.1 and opened on QUERY in Chromium."""
    server, url = start_server()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{url}/?{QUERY}")
            yield page
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with playground_page() as page:
        epochs, updates, size = measure(page, args.seconds)
    print(f"epochs_per_second: {epochs:.0f}")
    print(f"updates_per_second: {updates:.1f}")
    print(f"kilobytes_per_update: {size / 1000:.1f}")


if __name__ == "__main__":
    main()
