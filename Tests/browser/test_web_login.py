"""The three login journeys in a real browser: no JavaScript needed, the CSP blocks nothing the
pages use, errors show next to the fields, and logout returns to the login page."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from waits import wait_for_url as wait_for_path, wait_until

LOGINS = [
    ("soi", {"empresa_numero": "900123456-8", "usuario_numero": "1020304050", "clave": "Soi-Demo-2026"},
     {"empresa_tipo": "NIT", "usuario_tipo": "CC"}, "Liquidación de aportes"),
    ("secop", {"usuario": "demo.secop", "contrasena": "Secop-Demo-2026"}, {}, "Escritorio"),
    ("cajacopi", {"correo": "afiliado@example.com", "contrasena": "Cajacopi-Demo-2026"}, {}, "Hola"),
]


@pytest.mark.parametrize("portal,fields,selects,heading", LOGINS, ids=[row[0] for row in LOGINS])
def test_demo_user_logs_in_and_out(app, browser, shot, portal, fields, selects, heading):
    browser.get(app.url("/"))
    browser.find_element(By.CSS_SELECTOR, f"a.portal-card.{portal}").click()
    wait_for_path(browser, f"/{portal}/ingreso")
    assert browser.current_url.endswith(f"/{portal}/ingreso")
    for name, value in selects.items():
        Select(browser.find_element(By.NAME, name)).select_by_value(value)
    for name, value in fields.items():
        browser.find_element(By.NAME, name).send_keys(value)
    shot("ingreso")
    browser.find_element(By.CSS_SELECTOR, "form.stacked button[type=submit]").click()
    wait_for_path(browser, f"/{portal}/inicio")
    assert browser.find_element(By.TAG_NAME, "h1").text == heading
    shot("inicio")
    browser.find_element(By.XPATH, "//button[normalize-space()='Cerrar sesión']").click()
    wait_for_path(browser, f"/{portal}/ingreso")
    assert "Cerró su sesión" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    # The stylesheet loaded under the strict CSP: the header has the portal's colour.
    colour = browser.find_element(By.CSS_SELECTOR, ".site-header").value_of_css_property("background-color")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")


def test_wrong_password_keeps_the_user_name_and_shows_the_error(app, browser, shot):
    browser.get(app.url("/secop/ingreso"))
    browser.find_element(By.NAME, "usuario").send_keys("demo.secop")
    browser.find_element(By.NAME, "contrasena").send_keys("No-Es-Esta-1")
    browser.find_element(By.CSS_SELECTOR, "form.stacked button[type=submit]").click()
    wait_until(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".notice.error"), "an error notice", timeout=20)
    shot("error")
    assert "no son correctos" in browser.find_element(By.CSS_SELECTOR, ".notice.error").text
    assert browser.find_element(By.NAME, "usuario").get_attribute("value") == "demo.secop"
    assert browser.find_element(By.NAME, "contrasena").get_attribute("value") == ""
