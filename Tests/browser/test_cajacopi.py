"""Cajacopi (Hanna): a person recovers their password in a real browser, from the login page's
link to logging in with the new password, reading the mail in the development mailbox."""

from selenium.webdriver.common.by import By

from waits import wait_for_text as wait_text, wait_until


def field_value(browser, name):
    return browser.find_element(By.NAME, name).get_attribute("value")


def type_into(browser, label_text, value):
    """Finds an input by its visible label, as a person would, and types into it."""
    label = browser.find_element(By.XPATH, f"//label[normalize-space()='{label_text}']")
    box = browser.find_element(By.ID, label.get_attribute("for"))
    box.clear()
    box.send_keys(value)


def press(browser, caption):
    browser.find_element(By.XPATH, f"//button[normalize-space()='{caption}'] | //a[normalize-space()='{caption}']").click()


def test_cajacopi_recovery_journey(app, browser, shot):
    email = app.unique("hanna") + "@example.com"
    app.add_user("cajacopi", "Vieja-Clave-2020", email=email, document="CC:" + app.unique_digits(10),
                 phone="3001234567", birth_date="1990-05-17")

    # The login page's "¿Olvidaste tu contraseña? Restablecer Contraseña" link.
    browser.get(app.url("/cajacopi/ingreso"))
    shot("ingreso")
    assert "¿Olvidaste tu contraseña?" in browser.page_source
    browser.find_element(By.LINK_TEXT, "Restablecer Contraseña").click()
    wait_text(browser, "Olvide mi Contraseña (Verificar Datos)")
    assert "Escriba las Letras (Sin Espacios, Tener en cuentas las Mayus. y Minus.)" in browser.page_source
    image = browser.find_element(By.ID, "captcha-imagen")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image)
    shot("restablecer")

    # Type the email, then press "Refrescar" once: a new image, the email kept.
    type_into(browser, "Email", email)
    first_captcha = field_value(browser, "captcha_id")
    press(browser, "Refrescar")
    # The old page's field goes stale while the new one loads: keep asking until it is the new page's.
    wait_until(browser, lambda b: field_value(b, "captcha_id") != first_captcha, "a new captcha")
    assert field_value(browser, "correo") == email
    shot("restablecer-refrescado")

    answer = app.captcha_answer(field_value(browser, "captcha_id"))
    type_into(browser, "Captcha", answer)
    shot("restablecer-lleno")
    press(browser, "Enviar Solicitud")
    wait_text(browser, "Solicitud enviada")
    shot("solicitud-enviada")

    # The email, read in the development mailbox; its button opens the new-password page.
    message = app.wait_for_mail(email)
    assert message["subject"] == "Restablecimiento de Contraseña - Cajacopi"
    browser.get(app.mailbox_page(message))
    wait_text(browser, "Restablecimiento de Contraseña")
    shot("correo-restablecer")
    browser.get(app.url(f"/_correo/{message['id']}/html"))
    shot("correo-restablecer-html")
    button = browser.find_element(By.LINK_TEXT, "Restablecer Contraseña")
    href = button.get_attribute("href")
    assert href.startswith(app.url("/cajacopi/nueva-contrasena?token="))
    button.click()
    wait_text(browser, "RESTABLECER CONTRASEÑA")
    for rule in ("Mínimo 8 caracteres.", "Caracteres en mayúscula.", "Caracteres en minúscula.",
                 "Debe contener números."):
        assert rule in browser.page_source
    shot("nueva-contrasena")

    # A weak password first: the rules it breaks are shown, the link still works.
    type_into(browser, "Nueva Contraseña", "hanna1990")
    type_into(browser, "Confirmar Contraseña", "hanna1990")
    press(browser, "Actualizar Contraseña")
    wait_text(browser, "La contraseña no cumple con lo requerido")
    assert "Debe contener caracteres en mayúscula." in browser.page_source
    assert "No debe contener su fecha de nacimiento." in browser.page_source
    shot("contrasena-debil")

    type_into(browser, "Nueva Contraseña", "Tinaja-Roja-38")
    type_into(browser, "Confirmar Contraseña", "Tinaja-Roja-38")
    press(browser, "Actualizar Contraseña")
    wait_text(browser, "Contraseña actualizada")
    shot("contrasena-actualizada")

    # The confirmation email, with its "¿No fue usted?" line.
    confirmation = app.wait_for_mail(email, count=2)
    assert confirmation["subject"] == "Su contraseña fue actualizada - Cajacopi"
    assert "¿No fue usted?" in confirmation["text"]
    browser.get(app.mailbox_page(confirmation))
    wait_text(browser, "¿No fue usted?")
    shot("correo-confirmacion")

    # Log in with the new password.
    browser.get(app.url("/cajacopi/ingreso"))
    type_into(browser, "Correo electrónico", email)
    type_into(browser, "Contraseña", "Tinaja-Roja-38")
    press(browser, "Ingresar")
    wait_text(browser, "Bienvenido a Hanna")
    assert email in browser.page_source
    shot("inicio")
