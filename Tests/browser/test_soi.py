"""SOI (PILA) password recovery in a real browser, as a person does it (issue 6).

Login page → "¿Olvidó su clave?" → form (Aportante, Usuario, correo) → the mail in the
development mailbox (/_correo), where the person reads the temporary password → login with it
→ the forced "Cambio de Clave" → the aportes home page → Salir → login with the new clave.
Every page is saved as a screenshot under .build/screenshots/test_soi_recovery_journey/.
"""

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from waits import wait_for_text

APORTANTE = "900123456-8"  # the demo company, seeded by `clave serve` in development mode


def wait_for_heading(browser, text):
    wait_for_text(browser, text, "h1")


def field(browser, label_text):
    """The input a visible or screen-reader label names, as a person (or assistive tech) finds it."""
    label = browser.find_element(By.XPATH, f"//label[normalize-space(.)={label_text!r} or starts-with(normalize-space(.), {label_text!r})]")
    return browser.find_element(By.ID, label.get_attribute("for"))


def log_in(browser, app, document, clave, navigate=True):
    if navigate:
        browser.get(app.url("/soi/ingreso"))
    wait_for_heading(browser, "Autenticación")
    Select(field(browser, "Tipo de documento de la empresa")).select_by_value("NIT")
    field(browser, "Número de documento de la empresa").send_keys(APORTANTE)
    Select(field(browser, "Tipo de documento del usuario")).select_by_value("CC")
    field(browser, "Número de documento del usuario").send_keys(document)
    field(browser, "Clave").send_keys(clave)
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Ingresar']").click()


def test_soi_recovery_journey(app, browser, shot):
    document = app.unique_digits(10)
    email = f"soi.{app.unique('p')}@example.com"
    app.add_user("soi", "Clave-Olvidada-2025", aportante="NIT:" + APORTANTE,
                 aportante_name="Comercializadora Demo S.A.S.", document="CC:" + document, email=email)

    # The login page and its "¿Olvidó su clave?" link.
    browser.get(app.url("/soi/ingreso"))
    wait_for_heading(browser, "Autenticación")
    shot("ingreso")
    browser.find_element(By.LINK_TEXT, "¿Olvidó su clave?").click()
    wait_for_heading(browser, "¿Olvidó su clave?")
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "La identificación del Aportante, la del usuario y su correo electrónico deben corresponder" in page
    shot("olvido-clave")

    # The form, as the guide shows it: Aportante, Usuario, correo; then Enviar.
    Select(field(browser, "Tipo de documento del aportante")).select_by_value("NIT")
    field(browser, "Número de documento del aportante").send_keys(APORTANTE)
    Select(field(browser, "Tipo de documento del usuario")).select_by_value("CC")
    field(browser, "Número de documento del usuario").send_keys(document)
    field(browser, "Correo electrónico").send_keys(email)
    shot("olvido-clave-diligenciado")
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Enviar']").click()
    wait_for_text(browser, "Si los datos corresponden", "main")
    assert "spam" in browser.find_element(By.TAG_NAME, "main").text
    shot("olvido-clave-enviado")

    # The mail, read in the development mailbox as a person reads it.
    message = app.wait_for_mail(email)
    assert message["subject"] == "SOI - Recuperación de clave"
    browser.get(app.url("/_correo"))
    shot("buzon")
    browser.get(app.mailbox_page(message))
    wait_for_text(browser, "SOI - Recuperación de clave", "h1")
    shot("correo-clave-temporal")
    text = browser.find_element(By.CSS_SELECTOR, "pre.mail-source").text
    match = re.search(r"Su clave temporal es: (\S+)", text)
    assert match, text
    temporary = match.group(1)
    assert not set(temporary) & set("0O1lI")
    assert "3808880" in text and "018000110764" in text

    # The mail's link (the configured public URL) opens the login page; logging in with the
    # temporary password leads straight to Cambio de Clave.
    link = re.search(r"Ingrese a (\S+) con la Empresa", text)
    assert link and link.group(1) == app.url("/soi/ingreso"), text
    browser.get(link.group(1))
    log_in(browser, app, document, temporary, navigate=False)
    wait_for_heading(browser, "Cambio de Clave")
    assert browser.current_url.endswith("/soi/cambio-clave")
    shot("cambio-clave-obligatorio")

    # Nothing else is reachable until the change is made.
    browser.get(app.url("/soi/inicio"))
    wait_for_heading(browser, "Cambio de Clave")

    # A mismatched confirmation is refused with a clear message; nothing changes.
    new_clave = "Aportes Al Dia 2026"
    field(browser, "Clave Actual").send_keys(temporary)
    field(browser, "Nueva Clave").send_keys(new_clave)
    field(browser, "Confirmar Clave").send_keys(new_clave + "x")
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Cambiar Clave']").click()
    wait_for_text(browser, "La confirmación no coincide", "main")
    shot("cambio-clave-error")

    field(browser, "Clave Actual").send_keys(temporary)
    field(browser, "Nueva Clave").send_keys(new_clave)
    field(browser, "Confirmar Clave").send_keys(new_clave)
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Cambiar Clave']").click()
    wait_for_heading(browser, "Liquidación de aportes")
    assert "Su clave fue cambiada" in browser.find_element(By.TAG_NAME, "main").text
    shot("inicio")

    notice = app.wait_for_mail(email, count=2)
    assert notice["subject"] == "SOI - Su clave fue cambiada"
    assert "¿No fue usted?" in notice["text"]

    # Salir, then the new clave works and the temporary one no longer does.
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Cerrar sesión']").click()
    wait_for_heading(browser, "Autenticación")
    shot("salir")
    log_in(browser, app, document, temporary)
    wait_for_text(browser, "no son correctos", "main")
    shot("ingreso-clave-temporal-usada")
    log_in(browser, app, document, new_clave)
    wait_for_heading(browser, "Liquidación de aportes")
    shot("inicio-nueva-clave")
