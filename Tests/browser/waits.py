"""Waiting for a page the way a person does: until it shows something, across navigations.

Selenium's own `text_to_be_present_in_element` holds an element of the page that was showing
when it asked; when a form post navigates meanwhile (our POSTs take a few hundred milliseconds
on purpose: the uniform response time), Chromium answers with a stale element or with "Node
with given id does not belong to the document", which Selenium does not treat as transient and
which failed CI once. These helpers read the page afresh on every poll through JavaScript, treat
any WebDriver error during a navigation as "not yet", and on timeout say what the page showed.
"""

import time

from selenium.common.exceptions import WebDriverException

POLL_SECONDS = 0.1
# Called with the browser after every successful wait (conftest registers the page checks).
AFTER_WAIT = []


def wait_until(browser, check, description, timeout=15):
    """Polls `check(browser)` until it returns something truthy and returns that."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            result = check(browser)
            if result:
                break
            last_error = None
        except WebDriverException as error:  # the page is changing under us: ask again
            last_error = error
        if time.monotonic() >= deadline:
            result = None
            break
        time.sleep(POLL_SECONDS)
    if result:
        for hook in AFTER_WAIT:
            hook(browser)
        return result
    raise AssertionError(f"timed out after {timeout}s waiting for {description}; "
                         f"the browser is at {safe_url(browser)} showing:\n{page_text(browser)[:1500]}"
                         + (f"\nlast WebDriver error: {last_error.msg}" if last_error else ""))


def loaded(browser):
    """Whether the current document has finished loading (so every element is there)."""
    return browser.execute_script("return document.readyState") == "complete"


def text_of(browser, selector):
    """The rendered text of the first element matching the CSS selector, or "" if none."""
    text = browser.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", selector)
    return text or ""


def wait_for_text(browser, text, selector="body", timeout=15):
    """Waits until the element `selector` (the whole page by default) shows `text` and the
    page has finished loading."""
    wait_until(browser, lambda b: text in text_of(b, selector) and loaded(b), f"{text!r} in <{selector}>", timeout)


def wait_for_url(browser, part, timeout=20):
    """Waits until the address bar contains `part` (a form post with a password hash takes a
    moment) and that page has finished loading."""
    wait_until(browser, lambda b: part in b.current_url and loaded(b), f"an address containing {part!r}", timeout)


def safe_url(browser):
    try:
        return browser.current_url
    except WebDriverException:
        return "(unknown)"


def page_text(browser):
    try:
        return text_of(browser, "body")
    except WebDriverException:
        return "(unreadable)"
