#!/usr/bin/env python3
"""Screenshots of the demo for the README: the dashboard, a research board, its
four-field matrix and a survey's results, at a laptop's width and a phone's.

    python3 scripts/screenshots.py            # writes docs/screenshots/*.png

Starts `motesplats serve --demo` on a database of its own and drives Debian's
Chromium through chromedriver (scripts/install-browser.sh) with nothing but the
standard library. Tests never write into the tree; this command does, on purpose.
"""

import base64
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"laptop": (1280, 900), "phone": (375, 812)}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(driver, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(driver + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)["value"]


class Browser:
    def __init__(self, driver, width, height):
        options = {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--lang=sv-SE", f"--window-size={width},{height}"],
            "prefs": {"intl.accept_languages": "sv-SE,sv"},
        }
        if width < 500:
            options["mobileEmulation"] = {
                "deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}}
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": options}}}
        self.driver = driver
        self.session = call(driver, "POST", "/session", caps)["sessionId"]

    def do(self, method, path, body=None):
        return call(self.driver, method, f"/session/{self.session}{path}", body)

    def goto(self, url):
        self.do("POST", "/url", {"url": url})

    def script(self, source, *args):
        return self.do("POST", "/execute/sync", {"script": source, "args": list(args)})

    def fill(self, css, text):
        el = self.do("POST", "/element", {"using": "css selector", "value": css})
        el = next(iter(el.values()))
        self.do("POST", f"/element/{el}/value", {"text": text})

    def click(self, css):
        el = self.do("POST", "/element", {"using": "css selector", "value": css})
        self.do("POST", f"/element/{next(iter(el.values()))}/click", {})

    def screenshot(self, path):
        """The whole page, not just the window (Chromium's DevTools command)."""
        shot = self.do("POST", "/goog/cdp/execute", {
            "cmd": "Page.captureScreenshot",
            "params": {"format": "png", "captureBeyondViewport": True}})
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self):
        self.do("DELETE", "")


def first_link(browser, pattern):
    """The first link on the page whose whole path matches the pattern, or exit."""
    href = browser.script(
        "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
        ".find(h => new RegExp('^' + arguments[0] + '$').test(h)) || null;", pattern)
    if not href:
        sys.exit(f"no link like {pattern} on {browser.script('return location.href;')}")
    return href


def main():
    subprocess.run(["cargo", "build", "--bin", "motesplats"], cwd=ROOT, check=True)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, MOTESPLATS_DEMO_DATABASE=str(Path(tmp) / "demo.db"))
        server = subprocess.Popen(
            [str(ROOT / "target" / "debug" / "motesplats"), "serve", "--demo",
             "--listen", "127.0.0.1:0"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        port = free_port()
        chromedriver = subprocess.Popen(["chromedriver", f"--port={port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = server.stdout.readline().strip().removeprefix("listening on ")
            sign_in = re.search(r"sign in as (\S+) with password (\S+)", server.stdout.readline())
            driver = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    call(driver, "GET", "/status")
                    break
                except OSError:
                    time.sleep(0.1)
            for name, (width, height) in WIDTHS.items():
                browser = Browser(driver, width, height)
                browser.goto(f"{url}/sign-in")
                browser.fill("#email", sign_in.group(1))
                browser.fill("#password", sign_in.group(2))
                browser.click("#sign-in")
                browser.goto(f"{url}/dashboard")
                browser.screenshot(OUT / f"dashboard-{name}.png")
                browser.goto(f"{url}/research")
                board = url + first_link(browser, "/research/[0-9a-f-]{36}")
                browser.goto(f"{board}?tab=board")
                browser.screenshot(OUT / f"board-{name}.png")
                browser.goto(f"{board}?tab=matrix")
                browser.screenshot(OUT / f"matrix-{name}.png")
                browser.goto(f"{url}/surveys")
                browser.goto(url + first_link(browser, "/surveys/[0-9a-f-]{36}"))
                browser.screenshot(OUT / f"results-{name}.png")
                browser.close()
        finally:
            chromedriver.terminate()
            server.terminate()
    for shot in sorted(OUT.glob("*.png")):
        print(f"{shot.relative_to(ROOT)}  {shot.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
