"""Drive the running app in headless chromium: Play trains, Pause stops.

The main page "MLP playground" must show an "Epoch" metric and plotly
charts; Play starts training (its label turns to Pause), Pause stops it.
"""

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

# Generous: the first run imports torch (about 2 s) on a busy 2-core box.
LOAD_TIMEOUT_MS = 60_000
PLAYING_TIMEOUT_S = 20.0

# A chart's drawn data: the paths and heatmap images of its traces (plotly
# puts them under .overplot) and its shapes, with styles since colours
# change too. Plotly's own element ids are left out.
CHART_DATA_JS = """chart => Array.from(
  chart.querySelectorAll(
    ".overplot path, .overplot image, .shapelayer path"),
  node => ["d", "xlink:href", "href", "style"]
    .map(name => node.getAttribute(name)).join(" ")
).join("\\n")"""


def button(page, label):
    # A word match, so an icon or emoji before the label does not matter.
    name = re.compile(rf"\b{label}\b")
    return page.get_by_role("button", name=name)


def epoch_value(page):
    label = page.get_by_text("Epoch", exact=True)
    metric = page.get_by_test_id("stMetric").filter(has=label)
    return metric.get_by_test_id("stMetricValue")


def read_epoch(page):
    return int(epoch_value(page).inner_text().replace(",", ""))


def first_chart(page):
    """The first plotly chart, in the page or in a component's frame."""
    # st.plotly_chart draws in the page; ui/charts.py's live_chart draws
    # in the iframe of a custom component.
    in_page = page.locator(".js-plotly-plot")
    frames = page.locator('iframe[data-testid="stCustomComponentV1"]')
    expect(in_page.or_(frames).first).to_be_attached()
    if in_page.count() or not frames.count():
        return in_page.first
    return frames.first.content_frame.locator(".js-plotly-plot").first


def chart_signature(page):
    """A hash of the first chart's drawn data; None while it is not drawn.

    Streamlit may swap in a new chart element that plotly has yet to draw.
    """
    drawn = first_chart(page).evaluate(CHART_DATA_JS)
    return hashlib.sha1(drawn.encode()).hexdigest() if drawn else None


def assert_no_exception(page):
    """Fail with the text of the app's first exception box, if any."""
    boxes = page.get_by_test_id("stException")
    if boxes.count():
        pytest.fail(f"the app raised:\n{boxes.first.inner_text()}")


def wait_until_idle(page):
    """Wait until the app has no script run going on."""
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=LOAD_TIMEOUT_MS
    )


def wait_until(page, condition, what):
    """Poll `condition` until true; fail saying `what` did not happen."""
    for _ in range(int(PLAYING_TIMEOUT_S / 0.2)):
        assert_no_exception(page)
        if condition():
            return
        # Lets Playwright deliver page events meanwhile, unlike time.sleep.
        page.wait_for_timeout(200)
    pytest.fail(f"{what} within {PLAYING_TIMEOUT_S:.0f} s of Play")


def test_play_trains_and_pause_stops(app_server, browser_page, page_errors):
    page = browser_page
    page.goto(app_server)
    # An app that raises shows an exception box instead: fail on it at once.
    exception = page.get_by_test_id("stException")
    expect(epoch_value(page).or_(exception).first).to_be_visible(
        timeout=LOAD_TIMEOUT_MS)
    assert_no_exception(page)
    wait_until_idle(page)
    expect(first_chart(page)).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    start_epoch = read_epoch(page)
    start_chart = chart_signature(page)
    assert start_chart, "the first plotly chart shows no drawn data"

    button(page, "Play").click()
    expect(button(page, "Pause")).to_be_visible()
    wait_until(
        page, lambda: read_epoch(page) > start_epoch,
        f"Epoch did not rise above {start_epoch}",
    )
    wait_until(
        page, lambda: chart_signature(page) not in (None, start_chart),
        "the first chart did not change",
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "browser_playing.png")

    # Once paused and idle, the epoch must hold still.
    button(page, "Pause").click()
    expect(button(page, "Play")).to_be_visible()
    wait_until_idle(page)
    paused_epoch = read_epoch(page)
    page.wait_for_timeout(2000)
    assert read_epoch(page) == paused_epoch, "Epoch rose after Pause"

    assert_no_exception(page)
    assert page_errors == [], "JavaScript errors in the page"


def test_csv_upload_bad_file_keeps_data_good_file_trains(
        app_server, browser_page, page_errors, tmp_path):
    """A broken file gets a message and changes nothing; a good one is
    used at once and trains."""
    page = browser_page
    page.goto(f"{app_server}/?data=spiral&layers=6")
    expect(epoch_value(page)).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    button(page, "Step").click()
    expect(epoch_value(page)).to_have_text("1")

    bad = tmp_path / "broken.csv"
    # Once a raw csv.Error traceback: a cell over csv's field limit.
    bad.write_text('x1,x2,label\n"' + "x" * 200_000 + '",1,0\n')
    page.get_by_text("Upload a CSV").click()
    upload = page.locator('[data-testid="stFileUploader"] input[type=file]')
    upload.set_input_files(str(bad))
    expect(page.get_by_text("The data set is unchanged")).to_be_visible()
    assert_no_exception(page)
    expect(epoch_value(page)).to_have_text("1")
    assert "data=spiral" in page.url

    good = tmp_path / "points.csv"
    rows = [f"{x},{y},{int(x * y > 0)}"
            for x in range(-4, 5) for y in range(-4, 5) if x and y]
    good.write_text("x1,x2,label\n" + "\n".join(rows) + "\n")
    upload.set_input_files(str(good))
    # The note dlcore writes when it fits the points into the square.
    expect(page.get_by_text("Coordinates were moved")).to_be_visible()
    expect(page).to_have_url(re.compile("data=upload"))
    expect(epoch_value(page)).to_have_text("0")
    button(page, "Step").click()
    expect(epoch_value(page)).to_have_text("1")
    assert_no_exception(page)
    assert page_errors == [], "JavaScript errors in the page"
