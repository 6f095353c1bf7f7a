"""Screenshot a running app page in headless Chromium, optionally playing.

Usage: python scripts/screenshot.py URL OUT.png [--play SECONDS]
        [--width 1500] [--height 1000]

Needs Debian's chromium at /usr/bin/chromium and the playwright package.
Used to look at pages as a class would, and for the README's picture.
"""

import argparse

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--play", type=float, default=0.0)
    parser.add_argument("--width", type=int, default=1500)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=ARGS)
        page = browser.new_page(viewport={"width": args.width,
                                          "height": args.height})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(args.url)
        page.get_by_text("Epoch").first.wait_for(timeout=60_000)
        page.wait_for_timeout(2000)
        if args.play:
            page.get_by_role("button", name="Play").click()
            page.wait_for_timeout(args.play * 1000)
        page.screenshot(path=args.out, full_page=True)
        browser.close()
    for e in errors:
        print("page error:", e)


if __name__ == "__main__":
    main()
