"""Production as a portal deploys it (issue 11's "done when"): `clave serve --mode production`
behind a real nginx terminating TLS with a test CA's certificate, mail over STARTTLS with AUTH to
a real SMTP server, signed with DKIM. A browser that trusts only that CA runs the three
journeys; Python clients from distinct loopback addresses prove the rate limits count per client
behind the proxy and that a client cannot choose its own address. At the end SIGTERM must stop
the server with exit status 0. See production.py for how each part is started.
"""

import re
import sqlite3

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from production import production_fixture, ProxiedClient, trusting_browser_fixtures
from waits import wait_for_text, wait_for_url, wait_until


prod = production_fixture()


_prod_driver, pbrowser = trusting_browser_fixtures("prod")


def fill(browser, name, value):
    box = browser.find_element(By.NAME, name)
    box.clear()
    box.send_keys(value)
    return box


def assert_signed_and_sent_safely(prod, mail):
    """Every journey's email: over STARTTLS, after AUTH, from the mail domain, DKIM verified by
    dkimpy, links on the https public URL."""
    assert mail.envelope["tls"] is True and mail.envelope["auth"], mail.envelope
    assert mail.sender.endswith(f"@{prod.mail_domain}>"), mail.sender
    assert f"d={prod.mail_domain}" in str(mail.message["DKIM-Signature"]).replace(" ", "")
    assert prod.dkim_verifies(mail), "dkimpy does not verify the signature"
    assert "http://" not in mail.text, mail.text


def last_audit_id(prod) -> int:
    with sqlite3.connect(f"file:{prod.db}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]


def test_production_start_names_its_parts_and_keeps_development_out(prod):
    banner = "".join(prod.banner)
    assert "modo production" in banner and "Correo: smtp" in banner and "Advertencia" not in banner, banner
    client = ProxiedClient(prod, "127.0.0.9")
    status, headers, body = client.request("GET", "/healthz")
    assert status == 200 and body == "ok"
    assert "max-age=" in headers.get("Strict-Transport-Security", ""), headers
    for path in ("/metrics", "/_correo", "/_correo/api/mensajes", "/_dev/captcha/x"):
        assert client.request("GET", path)[0] == 404, path
    status, headers, _ = client.request("GET", "/secop/olvide-contrasena")
    assert status == 200
    assert "Secure" in headers.get("Set-Cookie", ""), headers


def test_secop_journey_over_the_proxy(prod, pbrowser):
    username = prod.unique("compras.")
    address = f"{username}@example.com"
    prod.add_user("secop", "Vieja-Clave-Secop-2026", username=username, email=address)

    pbrowser.get(prod.url("/secop/olvide-contrasena"))
    assert pbrowser.current_url.startswith("https://localhost:")
    fill(pbrowser, "usuario", username).submit()
    wait_for_text(pbrowser, "Si el usuario está registrado")

    mail = prod.wait_for_mail(address)
    assert_signed_and_sent_safely(prod, mail)
    link = mail.link(prod.url("/secop/cambiar-contrasena?token="))
    pbrowser.get(link)
    wait_for_url(pbrowser, "/secop/cambiar-contrasena")
    fill(pbrowser, "contrasena_nueva", "Girasol marino 2026!")
    fill(pbrowser, "contrasena_confirmacion", "Girasol marino 2026!").submit()
    wait_for_text(pbrowser, "Contraseña cambiada", "h1")
    assert "¿No fue usted?" in prod.wait_for_mail(address, count=2).text

    pbrowser.get(prod.url("/secop/ingreso"))
    fill(pbrowser, "usuario", username)
    fill(pbrowser, "contrasena", "Girasol marino 2026!").submit()
    wait_for_url(pbrowser, "/secop/inicio")


def test_soi_journey_over_the_proxy(prod, pbrowser):
    company, document = "900" + prod.unique_digits(6), prod.unique_digits(10)
    address = f"soi.{prod.unique('p')}@example.com"
    prod.add_user("soi", "Clave-Olvidada-2025", aportante="NIT:" + company,
                  aportante_name="Aportes de Prueba S.A.S.", document="CC:" + document, email=address)

    pbrowser.get(prod.url("/soi/olvido-clave"))
    Select(pbrowser.find_element(By.NAME, "aportante_tipo")).select_by_value("NIT")
    fill(pbrowser, "aportante_numero", company)
    Select(pbrowser.find_element(By.NAME, "usuario_tipo")).select_by_value("CC")
    fill(pbrowser, "usuario_numero", document)
    fill(pbrowser, "correo", address).submit()
    wait_for_text(pbrowser, "Si los datos corresponden", "main")

    mail = prod.wait_for_mail(address)
    assert_signed_and_sent_safely(prod, mail)
    match = re.search(r"clave temporal[^:]*:\s*(\S+)", mail.text)
    assert match, mail.text
    temporary = match.group(1)

    def log_in(clave):
        pbrowser.get(prod.url("/soi/ingreso"))
        Select(pbrowser.find_element(By.NAME, "empresa_tipo")).select_by_value("NIT")
        fill(pbrowser, "empresa_numero", company)
        Select(pbrowser.find_element(By.NAME, "usuario_tipo")).select_by_value("CC")
        fill(pbrowser, "usuario_numero", document)
        fill(pbrowser, "clave", clave).submit()

    log_in(temporary)
    wait_for_url(pbrowser, "/soi/cambio-clave")
    fill(pbrowser, "clave_actual", temporary)
    fill(pbrowser, "clave_nueva", "Aportes Al Dia 2026")
    fill(pbrowser, "clave_confirmacion", "Aportes Al Dia 2026").submit()
    wait_for_url(pbrowser, "/soi/inicio")
    assert "¿No fue usted?" in prod.wait_for_mail(address, count=2).text


def test_cajacopi_journey_over_the_proxy(prod, pbrowser):
    address = prod.unique("hanna") + "@example.com"
    prod.add_user("cajacopi", "Vieja-Clave-2020", email=address, document="CC:" + prod.unique_digits(10),
                  phone="3001234567", birth_date="1990-05-17")

    pbrowser.get(prod.url("/cajacopi/restablecer"))
    image = pbrowser.find_element(By.ID, "captcha-imagen")
    wait_until(pbrowser, lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image),
               "the captcha image")
    captcha_id = pbrowser.find_element(By.NAME, "captcha_id").get_attribute("value")
    form_cookie = pbrowser.get_cookie("clave_formulario")
    assert form_cookie and form_cookie.get("secure") is True, form_cookie
    fill(pbrowser, "correo", address)
    fill(pbrowser, "captcha", prod.captcha_answer(captcha_id, form_cookie["value"]))
    pbrowser.find_element(By.XPATH, "//button[normalize-space()='Enviar Solicitud']").click()
    wait_for_text(pbrowser, "Solicitud enviada")

    mail = prod.wait_for_mail(address)
    assert_signed_and_sent_safely(prod, mail)
    pbrowser.get(mail.link(prod.url("/cajacopi/nueva-contrasena?token=")))
    fill(pbrowser, "contrasena_nueva", "Tinaja-Roja-38")
    fill(pbrowser, "contrasena_confirmacion", "Tinaja-Roja-38").submit()
    wait_for_text(pbrowser, "Contraseña actualizada")
    confirmation = prod.wait_for_mail(address, count=2)
    assert_signed_and_sent_safely(prod, confirmation)

    pbrowser.get(prod.url("/cajacopi/ingreso"))
    fill(pbrowser, "correo", address)
    fill(pbrowser, "contrasena", "Tinaja-Roja-38").submit()
    wait_for_url(pbrowser, "/cajacopi/inicio")


def test_rate_limits_count_each_client_behind_the_proxy(prod):
    """SECOP's forgot-user-name form allows 10 requests per address in 15 minutes. Behind nginx
    every connection to Clave comes from 127.0.0.1 (trusted), so the client is nginx's
    X-Forwarded-For: one client's 11th request is refused, another's is not, and a client that
    writes its own X-Forwarded-For or Forwarded does not escape its count."""
    first, second = ProxiedClient(prod, "127.0.0.2"), ProxiedClient(prod, "127.0.0.3")
    before = last_audit_id(prod)
    for index in range(10):
        status, _, page = first.submit("/secop/olvide-usuario", {"correo": f"nadie{index}@example.com"})
        assert status == 200, (index, status, page[:300])
    status, headers, _ = first.submit("/secop/olvide-usuario", {"correo": "otro@example.com"})
    assert status == 429 and int(headers["Retry-After"]) > 0
    for spoof in ({"X-Forwarded-For": "203.0.113.7"}, {"Forwarded": "for=203.0.113.8"}):
        status, _, _ = first.submit("/secop/olvide-usuario", {"correo": "otro@example.com"}, headers=spoof)
        assert status == 429, spoof
    status, _, _ = second.submit("/secop/olvide-usuario", {"correo": "nadie@example.com"})
    assert status == 200

    log = prod.server_log()
    assert re.search(r"client=127\.0\.0\.2 .*peer=127\.0\.0\.1|peer=127\.0\.0\.1 .*client=127\.0\.0\.2", log), log[-2000:]
    assert "203.0.113." not in log, "a client-written address reached the log"
    # The audit log names the client too (the refused requests are audited), never the proxy.
    # (The browser of the journeys above really is 127.0.0.1: only this test's rows count.)
    with sqlite3.connect(f"file:{prod.db}?mode=ro", uri=True) as connection:
        audited = {row[0] for row in connection.execute(
            "SELECT DISTINCT client_address FROM audit_log WHERE id > ?", (before,))}
    assert "127.0.0.2" in audited and "127.0.0.3" in audited, audited
    assert not audited & {"127.0.0.1", "203.0.113.7", "203.0.113.8"}, audited
