"""The SOI journey over HTTPS served by Clave itself (issue 12), in a real Chromium that
verifies the certificate chain: a test CA made for the run with the `openssl` command
(production.py's `TestPKI`), and Chromium trusting it through its own NSS database (certutil,
in a temporary HOME: production.py's `trusting_browser`), so no certificate check is switched
off. A second server whose certificate another CA issued gets Chromium's certificate error,
which shows the chain is really verified.

The 308 listener (--redirect-http) takes the browser from http:// to the https URL.
Fixtures are this file's own (conftest.py's `app` serves plain HTTP; its `shot` is used).
"""

import os
import re
import shutil
import ssl
import subprocess
import tempfile
import threading
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from conftest import App, ROOT, clave_binary, wait_for_banner
import production  # (not `from`: pytest would try to collect TestPKI as a test class)
from test_soi import APORTANTE, field, log_in, wait_for_heading
from waits import wait_for_text, wait_until


class HTTPSApp(App):
    """`clave serve --tls-cert --tls-key --redirect-http 0`, development mode, on loopback."""

    def __init__(self, chain: Path, key: Path, trust: Path):
        self.binary = clave_binary()
        self.folder = Path(tempfile.mkdtemp(prefix="clave-browser-https-"))
        self.db = self.folder / "clave.sqlite"
        self.context = ssl.create_default_context(cafile=str(trust))
        env = dict(os.environ)
        env.setdefault("CLAVE_LOG_LEVEL", "warning")
        self.log = open(self.folder / "server.log", "w")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--host", "127.0.0.1", "--port", "0", "--db", str(self.db),
             "--resources", str(ROOT / "Resources"), "--mode", "development",
             "--tls-cert", str(chain), "--tls-key", str(key), "--redirect-http", "0"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=self.log, text=True, env=env,
        )
        seen = []
        found = wait_for_banner(self.process, seen, r"(https://127\.0\.0\.1:\d+)/",
                                r"Redirección HTTP: (http://127\.0\.0\.1:\d+)/")
        self.base_url, self.redirect_url = found or (None, None)
        if not found:
            self.stop()
            raise RuntimeError("clave serve did not start over HTTPS:\n" + "".join(seen)
                               + (self.folder / "server.log").read_text())
        threading.Thread(target=self._drain, daemon=True).start()

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url(path), timeout=10, context=self.context) as response:
            return response.read()


@pytest.fixture(scope="module")
def pki():
    """Two test CAs (production.py's `TestPKI`), each with a server certificate: Chromium trusts
    the first only."""
    folder = Path(tempfile.mkdtemp(prefix="clave-https-pki-"))
    (folder / "trusted").mkdir()
    (folder / "stranger").mkdir()
    yield production.TestPKI(folder / "trusted"), production.TestPKI(folder / "stranger")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def https_app(pki):
    trusted, _ = pki
    server = HTTPSApp(trusted.cert, trusted.key, trusted.ca)
    yield server
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def https_browser(pki):
    """Chromium whose NSS database trusts the first test CA (production.py's `trusting_browser`)."""
    driver = production.trusting_browser(pki[0])
    yield driver
    driver.quit()


@pytest.fixture
def browser(https_browser):
    """conftest's `shot` takes its pictures from this module's trusting Chromium."""
    https_browser.delete_all_cookies()
    yield https_browser


def test_soi_recovery_over_https(https_app, browser, shot):
    app = https_app
    document = app.unique_digits(10)
    email = f"soi.{app.unique('p')}@example.com"
    app.add_user("soi", "Clave-Olvidada-2025", aportante="NIT:" + APORTANTE,
                 aportante_name="Comercializadora Demo S.A.S.", document="CC:" + document, email=email)

    # http:// on the redirect port lands on the https login page (308).
    browser.get(app.redirect_url + "/soi/ingreso")
    wait_for_heading(browser, "Autenticación")
    assert browser.current_url == app.url("/soi/ingreso")
    shot("ingreso-https")
    browser.find_element(By.LINK_TEXT, "¿Olvidó su clave?").click()
    wait_for_heading(browser, "¿Olvidó su clave?")
    Select(field(browser, "Tipo de documento del aportante")).select_by_value("NIT")
    field(browser, "Número de documento del aportante").send_keys(APORTANTE)
    Select(field(browser, "Tipo de documento del usuario")).select_by_value("CC")
    field(browser, "Número de documento del usuario").send_keys(document)
    field(browser, "Correo electrónico").send_keys(email)
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Enviar']").click()
    wait_for_text(browser, "Si los datos corresponden", "main")
    shot("olvido-clave-enviado")

    message = app.wait_for_mail(email)
    browser.get(app.mailbox_page(message))
    wait_for_text(browser, "SOI - Recuperación de clave", "h1")
    text = browser.find_element(By.CSS_SELECTOR, "pre.mail-source").text
    temporary = re.search(r"Su clave temporal es: (\S+)", text).group(1)
    link = re.search(r"Ingrese a (\S+) con la Empresa", text).group(1)
    assert link == app.url("/soi/ingreso"), "the mail's link is the https public URL"
    shot("correo-https")

    browser.get(link)
    log_in(browser, app, document, temporary, navigate=False)
    wait_for_heading(browser, "Cambio de Clave")
    new_clave = "Aportes Al Dia 2026"
    field(browser, "Clave Actual").send_keys(temporary)
    field(browser, "Nueva Clave").send_keys(new_clave)
    field(browser, "Confirmar Clave").send_keys(new_clave)
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Cambiar Clave']").click()
    wait_for_heading(browser, "Liquidación de aportes")
    assert browser.current_url.startswith("https://127.0.0.1:")
    shot("inicio-https")


def test_a_certificate_from_another_ca_is_refused(pki, browser, shot):
    """The same browser, a server whose chain it cannot verify: Chromium's error page, no portal."""
    _, stranger = pki
    server = HTTPSApp(stranger.cert, stranger.key, stranger.ca)
    try:
        browser.get(server.url("/soi/ingreso"))
        body = wait_until(browser, lambda b: b.find_element(By.TAG_NAME, "body").text, "an error page")
        shot("certificado-desconocido")
        assert "SOI" not in browser.title, browser.title
        assert "ERR_CERT_AUTHORITY_INVALID" in body, body
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)
