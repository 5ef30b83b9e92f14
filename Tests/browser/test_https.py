"""The SOI journey over HTTPS served by Clave itself (issue 12), in a real Chromium that
verifies the certificate chain: a test CA made for the run with the `openssl` command, and
Chromium trusting it through its own NSS database (certutil, in a temporary HOME), so no
certificate check is switched off. A second server whose certificate another CA issued gets
Chromium's certificate error, which shows the chain is really verified.

The 308 listener (--redirect-http) takes the browser from http:// to the https URL.
Fixtures are this file's own (conftest.py's `app` serves plain HTTP).
"""

import os
import re
import shutil
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from conftest import App, ROOT, SCREENSHOTS, clave_binary
from test_soi import APORTANTE, field, log_in, wait_for_heading
from waits import wait_for_text, wait_until


def openssl(*arguments):
    subprocess.run(["openssl", *arguments], check=True, capture_output=True)


class Authority:
    """A CA and leaves it issues, for 127.0.0.1 and localhost, in a temporary folder."""

    def __init__(self, folder: Path, name: str):
        self.folder = folder
        self.name = name
        self.certificate = folder / f"{name}-ca.pem"
        self.key = folder / f"{name}-ca-key.pem"
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", f"/CN=Clave Test CA {name}", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", str(self.key), "-out", str(self.certificate))

    def issue(self):
        key, request = self.folder / f"{self.name}-leaf-key.pem", self.folder / f"{self.name}-leaf.csr"
        leaf, chain = self.folder / f"{self.name}-leaf.pem", self.folder / f"{self.name}-chain.pem"
        extensions = self.folder / f"{self.name}-ext.cnf"
        extensions.write_text("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                              "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n")
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(request))
        openssl("x509", "-req", "-in", str(request), "-CA", str(self.certificate), "-CAkey", str(self.key),
                "-CAcreateserial", "-days", "2", "-extfile", str(extensions), "-out", str(leaf))
        chain.write_text(leaf.read_text() + self.certificate.read_text())
        return chain, key


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
        self.base_url = None
        self.redirect_url = None
        deadline = time.time() + 60
        seen = []
        while time.time() < deadline and not self.redirect_url:
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                break
            seen.append(line)
            if match := re.search(r"(https://127\.0\.0\.1:\d+)/", line):
                self.base_url = self.base_url or match.group(1)
            if match := re.search(r"Redirección HTTP: (http://127\.0\.0\.1:\d+)/", line):
                self.redirect_url = match.group(1)
        if not (self.base_url and self.redirect_url):
            self.stop()
            raise RuntimeError("clave serve did not start over HTTPS:\n" + "".join(seen)
                               + (self.folder / "server.log").read_text())
        threading.Thread(target=self._drain, daemon=True).start()

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url(path), timeout=10, context=self.context) as response:
            return response.read()


@pytest.fixture(scope="module")
def pki():
    folder = Path(tempfile.mkdtemp(prefix="clave-https-pki-"))
    yield Authority(folder, "trusted"), Authority(folder, "stranger")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def https_app(pki):
    trusted, _ = pki
    chain, key = trusted.issue()
    server = HTTPSApp(chain, key, trusted.certificate)
    yield server
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def https_browser(pki):
    """Chromium with a HOME of its own whose NSS database trusts the test CA, and nothing else."""
    trusted, _ = pki
    home = Path(tempfile.mkdtemp(prefix="clave-chromium-home-"))
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-N", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-A", "-t", "C,,", "-n", "clave-test-ca",
                    "-i", str(trusted.certificate)], check=True, capture_output=True)
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=es-CO", f"--user-data-dir={home / 'profile'}"):
        options.add_argument(argument)
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            options.binary_location = candidate
            break
    env = dict(os.environ, HOME=str(home))
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver", env=env), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def https_shot(request, https_browser):
    folder = SCREENSHOTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def take(name: str) -> Path:
        counter["n"] += 1
        path = folder / f"{counter['n']:02d}-{name}.png"
        https_browser.save_screenshot(str(path))
        return path

    return take


def test_soi_recovery_over_https(https_app, https_browser, https_shot):
    app, browser, shot = https_app, https_browser, https_shot
    browser.delete_all_cookies()
    document = app.unique_digits(10)
    email = f"soi.{app.unique('p')}@example.com"
    app.add_user("soi", "Clave-Olvidada-2025", aportante="NIT:" + APORTANTE,
                 aportante_name="Comercializadora Demo S.A.S.", document="CC:" + document, email=email)

    # http:// on the redirect port lands on the https login page (308).
    browser.get(app.redirect_url + "/soi/ingreso")
    wait_for_heading(browser, "Ingreso")
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


def test_a_certificate_from_another_ca_is_refused(pki, https_browser, https_shot):
    """The same browser, a server whose chain it cannot verify: Chromium's error page, no portal."""
    _, stranger = pki
    chain, key = stranger.issue()
    server = HTTPSApp(chain, key, stranger.certificate)
    try:
        https_browser.get(server.url("/soi/ingreso"))
        body = wait_until(https_browser, lambda b: b.find_element(By.TAG_NAME, "body").text, "an error page")
        https_shot("certificado-desconocido")
        assert "Ingreso" not in https_browser.title
        assert "ERR_CERT_AUTHORITY_INVALID" in body, body
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)
