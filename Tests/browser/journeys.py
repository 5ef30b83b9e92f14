"""Steps several browser files take the same way: SOI's «¿Olvidó su clave?» for a new user and
its login, as a person fills the forms."""

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select

from waits import wait_for_text

APORTANTE = "900123456-8"


def soi_user_with_temporary_password(app, browser, prefix="soi.paso"):
    """A new SOI user who asked for a temporary password: (document, email, temporary password)."""
    document = app.unique_digits(10)
    email = app.unique(prefix) + "@example.com"
    app.add_user("soi", "Clave-Olvidada-2025", aportante="NIT:" + APORTANTE, aportante_name="Andina S.A.S.",
                 document="CC:" + document, email=email)
    browser.get(app.url("/soi/olvido-clave"))
    fill_documents(browser, ("aportante_tipo", "aportante_numero"), document)
    browser.find_element(By.ID, "correo").send_keys(email + Keys.ENTER)
    wait_for_text(browser, "Si los datos corresponden", "main")
    message = app.wait_for_mail(email)
    return document, email, re.search(r"Su clave temporal es: (\S+)", message["text"]).group(1)


def fill_documents(browser, company_fields, document):
    """The company (NIT of the demo aportante) and the user's CC `document`."""
    Select(browser.find_element(By.ID, company_fields[0])).select_by_value("NIT")
    browser.find_element(By.ID, company_fields[1]).send_keys(APORTANTE)
    Select(browser.find_element(By.ID, "usuario_tipo")).select_by_value("CC")
    browser.find_element(By.ID, "usuario_numero").send_keys(document)


def soi_login_form(app, browser, document):
    """The SOI login page with the company and user filled in (the password left to the caller)."""
    browser.get(app.url("/soi/ingreso"))
    fill_documents(browser, ("empresa_tipo", "empresa_numero"), document)
