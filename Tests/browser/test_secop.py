"""SECOP II in a real browser: a person recovers the password from the login page's link to
logging in with the new one, reading the mail in the development mailbox; and an older link
says that a newer email replaced it."""

from selenium.webdriver.common.by import By

from waits import wait_for_text, wait_for_url, wait_until

OLD_PASSWORD = "Vieja-Clave-Secop-2026"
NEW_PASSWORD = "Girasol marino 2026!"


def field_by_label(browser, label_text):
    """The input a visible <label> names, as a person finds it."""
    label = browser.find_element(By.XPATH, f"//label[normalize-space()='{label_text}']")
    return browser.find_element(By.ID, label.get_attribute("for"))


def click_button(browser, text):
    browser.find_element(By.XPATH, f"//button[normalize-space()='{text}'] | //input[@type='submit' and @value='{text}']").click()


def request_reset(app, browser, shot, username, from_login=True):
    if from_login:
        browser.get(app.url("/secop/ingreso"))
        shot("ingreso")
        browser.find_element(By.PARTIAL_LINK_TEXT, "Olvidé la contraseña").click()
    else:
        browser.get(app.url("/secop/olvide-contrasena"))
    wait_for_url(browser, "/secop/olvide-contrasena")
    assert "Recuperar contraseña" in browser.find_element(By.TAG_NAME, "h1").text
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "una única vez" in page and "correo no deseado" in page
    field_by_label(browser, "Nombre de usuario").send_keys(username)
    shot("olvide-contrasena")
    click_button(browser, "Enviar correo")
    wait_for_text(browser, "Si el usuario está registrado")
    shot("correo-enviado")


def open_link_in_mail(app, browser, shot, message, username):
    """Opens the message in the development mailbox and clicks the link in its HTML part."""
    browser.get(app.mailbox_page(message))
    shot("buzon")
    link_text = f"Haga clic aquí para cambiar la contraseña de usuario {username}"
    frames = browser.find_elements(By.TAG_NAME, "iframe")
    if frames:
        browser.switch_to.frame(frames[0])
    link = wait_until(browser, lambda b: next(iter(b.find_elements(By.PARTIAL_LINK_TEXT, link_text)), None),
                      f"the link {link_text!r}")
    href = link.get_attribute("href")
    assert "/secop/cambiar-contrasena?token=" in href
    assert href.startswith(app.base_url)
    # Links in mail open in a new tab; a person would follow it in the same window, as here.
    browser.switch_to.default_content()
    browser.get(href)
    return href


def test_secop_password_recovery_journey(app, browser, shot):
    username = app.unique("compras.")
    email = f"{username}@example.com"
    app.add_user("secop", OLD_PASSWORD, username=username, email=email)

    request_reset(app, browser, shot, username)
    message = app.wait_for_mail(email)
    assert "registro@" in message["from"]
    assert "Nosotros nunca le solicitamos datos personales" in message["text"]

    open_link_in_mail(app, browser, shot, message, username)
    wait_for_url(browser, "/secop/cambiar-contrasena")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Está a punto de cambiar su contraseña de acceso" in body
    assert f"Nombre de usuario: {username}" in body
    shot("cambiar-contrasena")

    # A weak password first: the page says why, and the link still works.
    field_by_label(browser, "Nueva contraseña").send_keys("12345678")
    field_by_label(browser, "Confirmar contraseña").send_keys("12345678")
    click_button(browser, "Cambiar contraseña")
    wait_for_text(browser, "demasiado común")
    shot("contrasena-rechazada")

    field_by_label(browser, "Nueva contraseña").send_keys(NEW_PASSWORD)
    field_by_label(browser, "Confirmar contraseña").send_keys(NEW_PASSWORD)
    click_button(browser, "Cambiar contraseña")
    wait_for_text(browser, "Contraseña cambiada", "h1")
    shot("contrasena-cambiada")

    notice = app.wait_for_mail(email, count=2)
    assert "¿No fue usted?" in notice["text"]

    # Not logged in automatically: the person logs in with the new password.
    browser.find_element(By.LINK_TEXT, "Ir al ingreso").click()
    wait_for_url(browser, "/secop/ingreso")
    browser.find_element(By.NAME, "usuario").send_keys(username)
    browser.find_element(By.NAME, "contrasena").send_keys(NEW_PASSWORD)
    shot("ingreso-con-nueva")
    browser.find_element(By.NAME, "contrasena").submit()
    wait_for_url(browser, "/secop/inicio")
    assert username in browser.find_element(By.TAG_NAME, "body").text
    shot("inicio")


def test_secop_older_link_says_it_was_replaced(app, browser, shot):
    username = app.unique("contratos.")
    email = f"{username}@example.com"
    app.add_user("secop", OLD_PASSWORD, username=username, email=email)

    request_reset(app, browser, shot, username, from_login=False)
    first = app.wait_for_mail(email)
    request_reset(app, browser, shot, username, from_login=False)
    second = app.wait_for_mail(email, count=2)
    assert first["id"] != second["id"]

    open_link_in_mail(app, browser, shot, first, username)
    wait_for_text(browser, "Este enlace fue reemplazado", "h1")
    assert "Use el enlace del último correo" in browser.find_element(By.TAG_NAME, "body").text
    shot("enlace-reemplazado")

    open_link_in_mail(app, browser, shot, second, username)
    wait_for_text(browser, "Nombre de usuario: " + username)
    shot("enlace-vigente")


def test_secop_forgotten_user_name_arrives_by_mail(app, browser, shot):
    email = app.unique("entidad.") + "@example.com"
    first = app.unique("compras.")
    second = app.unique("contratos.")
    app.add_user("secop", OLD_PASSWORD, username=first, email=email)
    app.add_user("secop", OLD_PASSWORD, username=second, email=email)

    browser.get(app.url("/secop/ingreso"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "Olvidé el usuario").click()
    wait_for_url(browser, "/secop/olvide-usuario")
    field_by_label(browser, "Correo electrónico").send_keys(email)
    shot("olvide-usuario")
    click_button(browser, "Enviar correo")
    wait_for_text(browser, "Si hay usuarios del SECOP II registrados")
    shot("usuario-enviado")

    message = app.wait_for_mail(email)
    browser.get(app.mailbox_page(message))
    frames = browser.find_elements(By.TAG_NAME, "iframe")
    if frames:
        browser.switch_to.frame(frames[0])
    body = browser.find_element(By.TAG_NAME, "body").text
    assert first in body and second in body
    browser.switch_to.default_content()
    shot("buzon-usuarios")
