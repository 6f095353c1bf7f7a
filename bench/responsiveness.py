"""Benchmark: how fast Pause and a slider act while the app trains.

Starts the app on 127.0.0.1, plays the bench/playground.py set-up at
speed 5000 in headless Chromium and measures, ``--tries`` times each:

- Pause: from the click until the Epoch counter stops changing;
- learning rate: from an arrow key on its slider until the "lr" metric
  shows the new rate.

Run: python bench/responsiveness.py [--tries 10]
"""

import argparse
import statistics
import time

from live_app import epoch, playground_page


def metric(page, label):
    box = page.get_by_test_id("stMetric").filter(
        has=page.get_by_text(label, exact=True))
    return box.get_by_test_id("stMetricValue").inner_text()


def time_pause(page):
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Pause").click()
    clicked = time.perf_counter()
    last, last_change = epoch(page), clicked
    while time.perf_counter() - last_change < 1.0:
        now = epoch(page)
        if now != last:
            last, last_change = now, time.perf_counter()
    page.get_by_role("button", name="Play").wait_for(timeout=5000)
    return last_change - clicked


def time_slider(page, key):
    before = metric(page, "lr")
    page.get_by_role("slider", name="Learning rate").press(key)
    pressed = time.perf_counter()
    while metric(page, "lr") == before:
        if time.perf_counter() - pressed > 10:
            return float("nan")
    return time.perf_counter() - pressed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=10)
    args = parser.parse_args()
    with playground_page() as page:
        page.get_by_text("Epoch").first.wait_for(timeout=60_000)
        page.wait_for_timeout(2000)
        pauses = [time_pause(page) for _ in range(args.tries)]
        page.get_by_role("button", name="Play").click()
        page.wait_for_timeout(1000)
        slides = [time_slider(page, "ArrowRight" if i % 2 else "ArrowLeft")
                  for i in range(args.tries)]
    for name, values in (("pause", pauses), ("lr_slider", slides)):
        print(f"{name}_seconds: median {statistics.median(values):.2f}, "
              f"max {max(values):.2f} over {len(values)}")


if __name__ == "__main__":
    main()
