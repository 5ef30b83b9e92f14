"""Real-browser journeys: headless Chromium driven by Selenium against a real `clave serve`.

Fixtures:
  app      the running server (development mode, temp SQLite file): base URL, helpers to add
           users through the `clave` CLI, read mail from the development mailbox API and read a
           captcha's answer through the development-only route.
  browser  a headless Chromium (Debian's chromium + chromedriver).
  shot     shot("name") saves a screenshot of the current page under .build/screenshots/TEST/.

Every page a test's browser reaches is checked by axe-core (WCAG 2.1 AA) and the Nu HTML
Checker (page_checks.py): after each browser.get, each successful wait in waits.py and at the
test's end. The hook is autouse, so every test file gets it.

Run by scripts/test.d/browser.sh from `make test`.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

import page_checks
import waits

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".build" / "screenshots"


def clave_binary() -> str:
    explicit = os.environ.get("CLAVE_BIN")
    if explicit:
        return explicit
    path = subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    return str(Path(path) / "clave")


def wait_for_banner(process, lines: list, *patterns: str, timeout: float = 60):
    """Reads a `clave serve` start banner into `lines` until each regular expression of
    `patterns` has matched a line; returns each one's first group (its first match), or None
    when the process ended or the time ran out first."""
    found = [None] * len(patterns)
    deadline = time.time() + timeout
    while None in found and time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        lines.append(line)
        for index, pattern in enumerate(patterns):
            if found[index] is None and (match := re.search(pattern, line)):
                found[index] = match.group(1)
    return None if None in found else found


class App:
    """A `clave serve` process on a free loopback port with its own database."""

    def __init__(self):
        self.binary = clave_binary()
        self.folder = Path(tempfile.mkdtemp(prefix="clave-browser-"))
        self.db = self.folder / "clave.sqlite"
        env = dict(os.environ)
        env.setdefault("CLAVE_LOG_LEVEL", "warning")
        self.log = open(self.folder / "server.log", "w")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--host", "127.0.0.1", "--port", "0", "--db", str(self.db),
             "--resources", str(ROOT / "Resources"), "--mode", "development"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=self.log, text=True, env=env,
        )
        self.base_url = self._wait_for_url()
        # Keep draining stdout so the server never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()

    def _wait_for_url(self) -> str:
        seen = []
        found = wait_for_banner(self.process, seen, r"(http://127\.0\.0\.1:\d+)/")
        if found:
            return found[0]
        self.stop()
        raise RuntimeError("clave serve did not start:\n" + "".join(seen)
                           + (self.folder / "server.log").read_text())

    def _drain(self):
        for _ in self.process.stdout:
            pass

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()

    def url(self, path: str) -> str:
        return self.base_url + path

    # Users -----------------------------------------------------------------------------------

    def add_user(self, portal: str, password: str, **fields) -> dict:
        """Adds a user with `clave users add`; fields are its options without dashes
        (email, username, document, aportante, aportante_name, phone, birth_date)."""
        args = [self.binary, "users", "add", "--portal", portal, "--db", str(self.db), "--password-stdin"]
        for key, value in fields.items():
            args += ["--" + key.replace("_", "-"), str(value)]
        result = subprocess.run(args, input=password + "\n", capture_output=True, text=True, cwd=ROOT)
        if result.returncode != 0:
            raise RuntimeError(f"clave users add failed: {result.stderr.strip()}")
        return dict(fields, portal=portal, password=password)

    @staticmethod
    def unique(prefix: str = "u") -> str:
        return prefix + uuid.uuid4().hex[:10]

    @staticmethod
    def unique_digits(length: int = 10) -> str:
        return str(uuid.uuid4().int)[:length]

    # Development mailbox ---------------------------------------------------------------------

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url(path), timeout=10) as response:
            return response.read()

    def messages(self, to: str) -> list:
        query = urllib.parse.urlencode({"para": to})
        items = json.loads(self._get("/_correo/api/mensajes?" + query))
        return [m for m in items if m.get("to", "").lower() == to.lower()]

    def wait_for_mail(self, to: str, count: int = 1, timeout: float = 20) -> dict:
        """The newest message to `to` once at least `count` have arrived (the outbox worker
        delivers in the background)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            items = self.messages(to)
            if len(items) >= count:
                return items[0]
            time.sleep(0.2)
        raise AssertionError(f"no mail #{count} for {to} within {timeout}s")

    def mailbox_page(self, message: dict) -> str:
        """The development mailbox page of one message, for the browser to open."""
        return self.url(f"/_correo/{message['id']}")

    # Development-only captcha answer ---------------------------------------------------------

    def captcha_answer(self, captcha_id: str) -> str:
        return self._get(f"/_dev/captcha/{captcha_id}").decode().strip()


@pytest.fixture(scope="session")
def app():
    server = App()
    yield server
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def _driver():
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    # The performance log carries the documents' responses, whose bodies page_checks validates.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=es-CO",
                     # The audio captcha test plays the WAV without a click on the player.
                     "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(argument)
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            options.binary_location = candidate
            break
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    checked(driver)
    yield driver
    driver.quit()


def checked(driver):
    """`driver` with the page checks after every `get` and every successful wait (once per run
    for the waits: they check whichever browser they waited on)."""
    if CHECKS is None:
        return driver
    plain_get = driver.get

    def get_and_check(url):
        plain_get(url)
        CHECKS.audit(driver)

    driver.get = get_and_check
    if CHECKS.audit not in waits.AFTER_WAIT:
        waits.AFTER_WAIT.append(CHECKS.audit)
    return driver


# The page checks of the whole run (None when CLAVE_PAGE_CHECKS=0).
CHECKS = page_checks.PageChecks() if page_checks.enabled() else None


@pytest.fixture(autouse=True)
def _check_every_page(request):
    """axe-core and the Nu HTML Checker on every page this test's browser reached."""
    # The development app's browser, or the production suites' (production.py's trusting_browser).
    driver = next((d for f, d in (("browser", "_driver"), ("pbrowser", "_prod_driver")) if f in request.fixturenames), None)
    if CHECKS is None or driver is None:
        yield
        return
    CHECKS.begin(request.node.name)
    yield
    CHECKS.audit(request.getfixturevalue(driver))
    failures = CHECKS.end()
    if failures:
        pytest.fail("pages failed the accessibility or HTML checks:\n" + "\n".join(failures), pytrace=False)


def pytest_terminal_summary(terminalreporter):
    if CHECKS is None:
        return
    figures = CHECKS.summary()
    terminalreporter.write_line(
        f"page checks: {figures['pages_checked']} pages ({figures['distinct_paths']} paths) checked by axe-core "
        f"{'/'.join(figures['axe_rules'])} and the Nu HTML Checker; axe violations by impact "
        f"{figures['axe_violations_by_impact'] or '{}'} ({figures['axe_serious_or_critical']} serious or critical); "
        f"HTML errors {figures['html_errors']} (.build/a11y/summary.json)")


@pytest.fixture
def browser(_driver):
    _driver.delete_all_cookies()
    yield _driver


@pytest.fixture
def shot(request, browser):
    folder = SCREENSHOTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def take(name: str) -> Path:
        counter["n"] += 1
        path = folder / f"{counter['n']:02d}-{name}.png"
        browser.save_screenshot(str(path))
        return path

    return take
