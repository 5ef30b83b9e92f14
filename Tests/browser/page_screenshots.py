"""`make screenshots`: every page state of the three journeys (forms, errors, sent, link states,
emails, the mailbox), each at 375 px (a phone) and 1366 px (a laptop), full page, into
.build/screenshots/pages/NN-state-WIDTH.png. Not a test file of `make test` (its name does not
start with test_); run by the Makefile target, with conftest's fixtures and page checks.
"""

import base64
import re
import shutil

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import ROOT
from journeys import soi_login_form, soi_user_with_temporary_password
from waits import wait_for_text

FOLDER = ROOT / ".build" / "screenshots" / "pages"
WIDTHS = (375, 1366)


class Camera:
    def __init__(self, browser):
        self.browser = browser
        self.count = 0
        shutil.rmtree(FOLDER, ignore_errors=True)
        FOLDER.mkdir(parents=True, exist_ok=True)

    def take(self, name):
        """The page showing now, full height, at each width (the page is not reloaded)."""
        self.count += 1
        for width in WIDTHS:
            self.browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600})
            height = self.browser.execute_script("return Math.max(document.documentElement.scrollHeight, 800)")
            shot = self.browser.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
            (FOLDER / f"{self.count:02d}-{name}-{width}.png").write_bytes(base64.b64decode(shot["data"]))
        self.browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def link_in(message, path):
    return re.search(re.escape(path) + r"\?token=[A-Za-z0-9_-]+", message["text"]).group(0)


def new_password(browser, camera, password, shows, name):
    """Types `password` in both fields of a new-password form, sends it, and takes `name`."""
    browser.find_element(By.ID, "contrasena_nueva").send_keys(password)
    browser.find_element(By.ID, "contrasena_confirmacion").send_keys(password + Keys.ENTER)
    wait_for_text(browser, shows)
    camera.take(name)


def submit(browser, caption):
    browser.find_element(By.XPATH, f"//button[normalize-space()='{caption}']").click()


def test_screenshots_of_every_page_state(app, browser):
    camera = Camera(browser)
    b = browser

    b.get(app.url("/"))
    camera.take("portales")
    b.get(app.url("/soi/nada"))
    camera.take("pagina-no-encontrada")

    # SOI
    b.get(app.url("/soi/ingreso"))
    camera.take("soi-ingreso")
    submit(b, "Ingresar")
    wait_for_text(b, "Hay un problema")
    camera.take("soi-ingreso-error")
    b.get(app.url("/soi/olvido-clave"))
    camera.take("soi-olvido-clave")
    submit(b, "Enviar")
    wait_for_text(b, "Hay un problema")
    camera.take("soi-olvido-clave-error")
    document, soi_email, temporary = soi_user_with_temporary_password(app, b, "soi.foto")
    camera.take("soi-olvido-clave-enviado")
    message = app.wait_for_mail(soi_email)
    b.get(app.url(f"/_correo/{message['id']}/html"))
    camera.take("correo-soi-clave-temporal")
    soi_login_form(app, b, document)
    b.find_element(By.ID, "clave").send_keys(temporary + Keys.ENTER)
    wait_for_text(b, "Cambio de Clave")
    camera.take("soi-cambio-clave")
    submit(b, "Cambiar Clave")
    wait_for_text(b, "Hay un problema")
    camera.take("soi-cambio-clave-error")

    # SECOP II
    user = app.unique("foto.")
    secop_email = user + "@example.com"
    app.add_user("secop", "Clave-Vieja-2020", username=user, email=secop_email)
    b.get(app.url("/secop/ingreso"))
    camera.take("secop-ingreso")
    b.get(app.url("/secop/olvide-contrasena"))
    camera.take("secop-olvide-contrasena")
    b.execute_script("document.getElementById('usuario').removeAttribute('required')")
    submit(b, "Enviar correo")
    wait_for_text(b, "Hay un problema")
    camera.take("secop-olvide-contrasena-error")
    b.find_element(By.ID, "usuario").send_keys(user + Keys.ENTER)
    wait_for_text(b, "le enviamos un correo")
    camera.take("secop-olvide-contrasena-enviado")
    b.get(app.url("/secop/olvide-usuario"))
    camera.take("secop-olvide-usuario")
    b.find_element(By.ID, "correo").send_keys(secop_email + Keys.ENTER)
    wait_for_text(b, "le enviamos un mensaje")
    camera.take("secop-olvide-usuario-enviado")
    reset = app.wait_for_mail(secop_email, count=2)
    reset = next(m for m in app.messages(secop_email) if "token=" in m["text"])
    b.get(app.url(f"/_correo/{reset['id']}/html"))
    camera.take("correo-secop-restablecer")
    link = link_in(reset, "/secop/cambiar-contrasena")
    b.get(app.url(link))
    camera.take("secop-cambiar-contrasena")
    new_password(b, camera, user, "Hay un problema", "secop-cambiar-contrasena-error")
    new_password(b, camera, "Mirador-Alto-4471", "Contraseña cambiada", "secop-contrasena-cambiada")
    b.get(app.url(link))
    camera.take("secop-enlace-usado")
    b.get(app.url("/secop/cambiar-contrasena?token=cortado"))
    camera.take("secop-enlace-no-valido")

    # Cajacopi
    email = app.unique("foto") + "@example.com"
    app.add_user("cajacopi", "Vieja-Clave-2020", email=email, document="CC:" + app.unique_digits(10),
                 phone="3001234567", birth_date="1990-05-17")
    b.get(app.url("/cajacopi/ingreso"))
    camera.take("cajacopi-ingreso")
    b.get(app.url("/cajacopi/restablecer"))
    camera.take("cajacopi-restablecer")
    b.find_element(By.ID, "correo").send_keys(email)
    b.find_element(By.ID, "captcha").send_keys("mal" + Keys.ENTER)
    wait_for_text(b, "Hay un problema")
    camera.take("cajacopi-restablecer-error")
    answer = app.captcha_answer(b.find_element(By.NAME, "captcha_id").get_attribute("value"))
    b.find_element(By.ID, "captcha").send_keys(answer + Keys.ENTER)
    wait_for_text(b, "Solicitud enviada")
    camera.take("cajacopi-solicitud-enviada")
    message = app.wait_for_mail(email)
    b.get(app.url(f"/_correo/{message['id']}/html"))
    camera.take("correo-cajacopi-restablecer")
    b.get(app.url(link_in(message, "/cajacopi/nueva-contrasena")))
    camera.take("cajacopi-nueva-contrasena")
    new_password(b, camera, "corta", "Hay un problema", "cajacopi-nueva-contrasena-error")
    new_password(b, camera, "Tinaja-Roja-38", "Contraseña actualizada", "cajacopi-contrasena-actualizada")
    confirmation = app.wait_for_mail(email, count=2)
    b.get(app.url(f"/_correo/{confirmation['id']}/html"))
    camera.take("correo-cajacopi-confirmacion")
    b.get(app.url("/cajacopi/nueva-contrasena?token=cortado"))
    camera.take("cajacopi-enlace-no-valido")

    # The development mailbox
    b.get(app.url("/_correo"))
    camera.take("buzon")
    b.get(app.mailbox_page(confirmation))
    camera.take("buzon-mensaje")
    assert camera.count == 34
