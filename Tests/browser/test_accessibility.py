"""Journeys as people meet them: without sight (the audio captcha, the error summary), on a
phone (375 px), with the keyboard (Enter, focus), from a broken emailed link. Every page these
tests reach also passes axe-core and the Nu HTML Checker (conftest's autouse page checks)."""

import contextlib
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from journeys import soi_login_form, soi_user_with_temporary_password
from waits import wait_for_text, wait_for_url, wait_until

PHONE = (375, 812)
DESKTOP = (1280, 900)


@contextlib.contextmanager
def window(browser, size):
    browser.set_window_size(*size)
    try:
        yield
    finally:
        browser.set_window_size(*DESKTOP)


def field_value(browser, name):
    return browser.find_element(By.NAME, name).get_attribute("value")


def cajacopi_user(app):
    email = app.unique("oido") + "@example.com"
    app.add_user("cajacopi", "Vieja-Clave-2020", email=email, document="CC:" + app.unique_digits(10),
                 phone="3001234567", birth_date="1990-05-17")
    return email


def audio_answer(app, captcha_id):
    return app._get(f"/_dev/captcha/{captcha_id}?tipo=audio").decode().strip()


def test_enter_in_the_cajacopi_form_sends_the_request(app, browser):
    email = cajacopi_user(app)
    browser.get(app.url("/cajacopi/restablecer"))
    browser.find_element(By.ID, "correo").send_keys(email)
    answer = app.captcha_answer(field_value(browser, "captcha_id"))
    # Enter in the captcha box: the form's default button is «Enviar Solicitud», not «Refrescar».
    browser.find_element(By.ID, "captcha").send_keys(answer + Keys.ENTER)
    wait_for_text(browser, "Solicitud enviada")
    assert app.wait_for_mail(email)["subject"] == "Restablecimiento de Contraseña - Cajacopi"


def test_refrescar_redirects_to_a_page_that_reloads_cleanly(app, browser):
    browser.get(app.url("/cajacopi/restablecer"))
    browser.find_element(By.ID, "correo").send_keys("recargar+1@example.com")
    first = field_value(browser, "captcha_id")
    browser.find_element(By.XPATH, "//button[normalize-space()='Refrescar']").click()
    wait_until(browser, lambda b: field_value(b, "captcha_id") != first, "a new captcha")
    assert browser.current_url == app.url("/cajacopi/restablecer?correo=recargar%2B1%40example.com")
    assert field_value(browser, "correo") == "recargar+1@example.com"
    second = field_value(browser, "captcha_id")
    # A reload is a plain GET of the request page: no «Método no permitido», no resubmission.
    browser.refresh()
    wait_until(browser, lambda b: field_value(b, "captcha_id") != second, "another captcha after reloading")
    assert "Método no permitido" not in browser.page_source
    assert browser.find_element(By.TAG_NAME, "h1").text == "Olvide mi Contraseña (Verificar Datos)"


def test_the_audio_captcha_plays_and_its_digits_answer_once(app, browser):
    email = cajacopi_user(app)
    browser.get(app.url("/cajacopi/restablecer"))
    audio = browser.find_element(By.ID, "captcha-audio")
    captcha_id = field_value(browser, "captcha_id")
    assert audio.get_attribute("src").endswith(f"/cajacopi/captcha/{captcha_id}.wav")
    assert browser.find_element(By.ID, "captcha-audio-titulo").text == "Escuchar"
    # The browser loads and decodes it: a valid source with a duration, and it plays (muted).
    browser.execute_script("arguments[0].muted = true; arguments[0].load();", audio)
    duration = wait_until(browser, lambda b: b.execute_script(
        "const a = arguments[0]; return a.readyState >= 1 && !a.error && a.duration > 0 ? a.duration : 0;", audio),
        "the audio's metadata")
    assert 3 < duration < 15
    played = browser.execute_async_script(
        "const a = arguments[0], done = arguments[1]; a.play().then(() => done('playing')).catch(e => done(String(e)));",
        audio)
    assert played == "playing"
    described = browser.find_element(By.ID, "captcha").get_attribute("aria-describedby").split()
    assert "captcha-pista-audio" in described
    assert "números" in browser.find_element(By.ID, "captcha-pista-audio").text

    digits = audio_answer(app, captcha_id)
    assert re.fullmatch(r"\d{6}", digits)
    browser.find_element(By.ID, "correo").send_keys(email)
    browser.find_element(By.ID, "captcha").send_keys(digits)
    browser.find_element(By.XPATH, "//button[normalize-space()='Enviar Solicitud']").click()
    wait_for_text(browser, "Solicitud enviada")
    app.wait_for_mail(email)
    # Used: the same id is neither heard nor seen again.
    for kind in ("wav", "png"):
        status = browser.execute_async_script(
            "fetch(arguments[0]).then(r => arguments[1](r.status));", f"/cajacopi/captcha/{captcha_id}.{kind}")
        assert status == 404


def test_a_broken_reset_link_is_the_portals_own_page_with_the_way_forward(app, browser):
    cases = [
        ("/secop/cambiar-contrasena", "Este enlace no es válido", "/secop/olvide-contrasena"),
        ("/secop/cambiar-contrasena?token=cortado", "Este enlace no es válido", "/secop/olvide-contrasena"),
        ("/secop/cambiar-contra", "Enlace no válido", "/secop/olvide-contrasena"),
        ("/cajacopi/nueva-contrasena", "Enlace no válido", "/cajacopi/restablecer"),
        ("/cajacopi/nueva-contrasena?token=", "Enlace no válido", "/cajacopi/restablecer"),
        ("/cajacopi/nueva-contrase", "Enlace no válido", "/cajacopi/restablecer"),
    ]
    for path, heading, request_path in cases:
        browser.get(app.url(path))
        assert browser.find_element(By.TAG_NAME, "h1").text == heading, path
        assert "Página no encontrada" not in browser.title, path
        link = browser.find_element(By.PARTIAL_LINK_TEXT, "Solicitar un nuevo")
        assert link.get_attribute("href") == app.url(request_path), path
    link.click()
    wait_for_url(browser, "/cajacopi/restablecer")


def test_a_failed_form_shows_the_summary_first_and_focuses_it_on_a_phone(app, browser):
    with window(browser, PHONE):
        for path, submit in (("/soi/olvido-clave", "Enviar"), ("/secop/olvide-contrasena", "Enviar correo")):
            browser.get(app.url(path))
            if path.startswith("/secop"):
                browser.execute_script("document.getElementById('usuario').removeAttribute('required')")
            browser.find_element(By.XPATH, f"//button[normalize-space()='{submit}']").click()
            wait_for_text(browser, "Hay un problema")
            assert browser.title.startswith("Error: "), path
            assert browser.execute_script("return document.activeElement.id") == "resumen-errores", path
            top = browser.execute_script(
                "const r = document.getElementById('resumen-errores').getBoundingClientRect();"
                "return r.top >= 0 && r.bottom <= window.innerHeight;")
            assert top, f"{path}: the summary is on the first screen at 375 px"
            first = browser.find_element(By.CSS_SELECTOR, "#resumen-errores a")
            target = first.get_attribute("href").split("#", 1)[1]
            field = browser.find_element(By.ID, target)
            assert field.get_attribute("aria-invalid") == "true"
            message = browser.find_element(By.ID, field.get_attribute("aria-describedby").split()[0])
            assert message.text.strip().endswith(first.text.strip()), path
            first.click()
            assert browser.execute_script("return document.activeElement.id") == target
            assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def test_focus_indicators_reach_3_to_1_on_every_portal(app, browser):
    contrast = """
    const el = document.activeElement, style = getComputedStyle(el);
    const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = c => { const v = c.map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
                       return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
    let bg = null, node = el.parentElement;
    while (node) { const b = getComputedStyle(node).backgroundColor;
                   if (b && b !== 'rgba(0, 0, 0, 0)' && b !== 'transparent') { bg = b; break; } node = node.parentElement; }
    const a = lum(rgb(style.outlineColor)), b = lum(rgb(bg || 'rgb(255,255,255)'));
    return [style.outlineStyle, parseFloat(style.outlineWidth), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
    """
    for portal in ("soi", "secop", "cajacopi"):
        browser.get(app.url(f"/{portal}/ingreso"))
        body = browser.find_element(By.TAG_NAME, "body")
        for _ in range(4):  # the skip link, the header's links, then the form
            body.send_keys(Keys.TAB)
            body = browser.switch_to.active_element
            style, width, ratio = browser.execute_script(contrast)
            assert style != "none" and width >= 2, f"{portal}: no visible focus on {body.tag_name}"
            assert ratio >= 3, f"{portal}: focus contrast {ratio:.2f}:1 on {body.tag_name}"


def test_every_email_reads_on_a_phone_and_shows_its_link_as_text(app, browser):
    # One of each: SECOP's link and user-name reminder, Cajacopi's link, SOI's temporary password.
    secop_user = app.unique("fono.")
    secop_email = secop_user + "@example.com"
    app.add_user("secop", "Clave-Vieja-2020", username=secop_user, email=secop_email)
    for path, field, value in (("/secop/olvide-contrasena", "usuario", secop_user),
                               ("/secop/olvide-usuario", "correo", secop_email)):
        browser.get(app.url(path))
        browser.find_element(By.NAME, field).send_keys(value + Keys.ENTER)
        wait_for_text(browser, "le enviamos un")
    _, soi_email, _ = soi_user_with_temporary_password(app, browser, "soi.fono")
    email = cajacopi_user(app)
    browser.get(app.url("/cajacopi/restablecer"))
    browser.find_element(By.ID, "correo").send_keys(email)
    browser.find_element(By.ID, "captcha").send_keys(app.captcha_answer(field_value(browser, "captcha_id")) + Keys.ENTER)
    wait_for_text(browser, "Solicitud enviada")
    app.wait_for_mail(secop_email, count=2)
    app.wait_for_mail(email)
    app.wait_for_mail(soi_email)
    messages = app.messages(secop_email) + app.messages(email) + app.messages(soi_email)
    assert len(messages) == 4
    with window(browser, PHONE):
        for message in messages:
            browser.get(app.url(f"/_correo/{message['id']}/html"))
            widths = browser.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth];")
            assert widths[0] <= widths[1], f"«{message['subject']}» is {widths[0]} px wide at {widths[1]} px"
            links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href*='token=']")]
            for link in links:
                assert link in browser.find_element(By.TAG_NAME, "body").text, \
                    f"«{message['subject']}»: the link is also written out to copy"
            temporary = browser.find_elements(By.ID, "clave-temporal")
            if temporary:
                # SOI's temporary password: its own line, selected as one unit by a click.
                assert browser.execute_script("return getComputedStyle(arguments[0]).userSelect", temporary[0]) == "all"
                box = temporary[0].rect
                assert box["x"] >= 0 and box["x"] + box["width"] <= widths[1], "the password fits the phone"


def test_the_mailbox_opens_a_clicked_link_in_the_whole_window_and_fits_a_phone(app, browser):
    user = app.unique("marco.")
    address = user + "@example.com"
    app.add_user("secop", "Clave-Vieja-2020", username=user, email=address)
    browser.get(app.url("/secop/olvide-contrasena"))
    browser.find_element(By.NAME, "usuario").send_keys(user + Keys.ENTER)
    wait_for_text(browser, "le enviamos un correo")
    message = app.wait_for_mail(address)
    assert message
    with window(browser, PHONE):
        browser.get(app.url("/_correo"))
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), \
            "the mailbox list fits 375 px"
    browser.get(app.mailbox_page(message))
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, "iframe.mail-html"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "Haga clic aquí").click()
    browser.switch_to.default_content()
    wait_for_url(browser, "/secop/cambiar-contrasena?token=")
    wait_for_text(browser, "Cambiar contraseña")
    assert browser.execute_script("return window.self === window.top")


def test_soi_login_takes_the_temporary_password_pasted_with_spaces_and_line_breaks(app, browser):
    document, _, temporary = soi_user_with_temporary_password(app, browser, "soi.pega")
    soi_login_form(app, browser, document)
    # As a mail client copies it: a line break before, spaces and a line break after.
    browser.execute_script("arguments[0].value = arguments[1];", browser.find_element(By.ID, "clave"),
                           "\n  " + temporary + "  \r\n")
    browser.find_element(By.XPATH, "//button[normalize-space()='Ingresar']").click()
    wait_for_text(browser, "Cambio de Clave", "h1")


def test_the_page_checks_themselves_catch_a_violation_and_an_html_error(browser, tmp_path):
    """The checks could pass by checking nothing: show each one failing on a broken page."""
    import json
    import subprocess

    import page_checks

    browser.get("data:text/html;charset=utf-8,<!doctype html><html><head><title>x</title></head>"
                "<body><img src='x.png'><input type='text'></body></html>")
    browser.execute_script(page_checks.axe_source())
    found = json.loads(browser.execute_async_script(page_checks.AXE_RUN, page_checks.AXE_TAGS))
    blocking = {v["id"] for v in found if v["impact"] in page_checks.BLOCKING_IMPACTS}
    assert {"image-alt", "label", "html-has-lang"} <= blocking
    bad = tmp_path / "roto.html"
    bad.write_text("<!doctype html><html lang='es'><head><title>x</title></head><body><p><div></p></span></body></html>")
    result = subprocess.run(["java", "-jar", str(page_checks.vnu_jar()), "--errors-only", "--format", "json", str(bad)],
                            capture_output=True, text=True, timeout=120)
    errors = [m for m in json.loads(result.stderr)["messages"] if m["type"] == "error"]
    assert any("span" in m["message"] for m in errors), errors
