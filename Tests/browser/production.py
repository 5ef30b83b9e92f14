"""Clave as a portal deploys it, for the real-browser suite: production mode behind a real nginx
that terminates TLS with a certificate from a test CA, mail to a real SMTP server (aiosmtpd,
STARTTLS and AUTH, the CA checked) signed with DKIM.

Nothing of development mode is there: no mailbox at /_correo, no captcha answers. So mail is read
from the SMTP server's folder, as it arrived, and the Cajacopi captcha is answered the way only
someone holding the database could: its answer is derived from the stored `captcha` server key
(CaptchaService and CaptchaStream in Sources/RecoveryFlows/Captcha), re-implemented here.

Chromium trusts the test CA through an NSS database in a HOME of its own (certutil, Debian's
libnss3-tools): the certificate chain and the host name are verified as for any site, no
certificate error is ignored.

Used by test_production_proxy.py; other suites (HTTPS served by Clave itself) reuse `TestPKI`,
`SMTPServer`, `trusting_browser` and `Mail`.
"""

import base64
import email
import email.policy
import hashlib
import hmac
import http.client
import json
import os
import re
import socket
import sqlite3
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from conftest import App, ROOT, checked, clave_binary, wait_for_banner

VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
NGINX = next((p for p in ("/usr/sbin/nginx", "/usr/bin/nginx") if os.path.exists(p)), "nginx")


def run(args, **kwargs):
    """Runs a setup command; its output is shown only when it fails."""
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path):
    deadline = time.time() + 20
    while time.time() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start:\n{log.read_text() if log.exists() else ''}")


class TestPKI:
    """A test CA and one server certificate it signed, for `localhost` and 127.0.0.1."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.ca = folder / "ca.pem"
        self.cert = folder / "server.pem"
        self.key = folder / "server.key"
        ca_key = folder / "ca.key"
        run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=Clave test CA", "-keyout", ca_key, "-out", self.ca,
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        csr = folder / "server.csr"
        run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
             "-keyout", self.key, "-out", csr])
        extensions = folder / "server.ext"
        extensions.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                              "extendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"
                              "keyUsage=critical,digitalSignature,keyEncipherment\n")
        run(["openssl", "x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", ca_key,
             "-CAcreateserial", "-days", "2", "-sha256", "-extfile", extensions, "-out", self.cert])

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts only the test CA and checks host names."""
        context = ssl.create_default_context(cafile=str(self.ca))
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    def nss_home(self) -> Path:
        """A HOME whose NSS database (what Chromium on Linux trusts) holds the test CA."""
        home = self.folder / "browser-home"
        nssdb = home / ".pki" / "nssdb"
        nssdb.mkdir(parents=True, exist_ok=True)
        run(["certutil", "-d", f"sql:{nssdb}", "-N", "--empty-password"])
        run(["certutil", "-d", f"sql:{nssdb}", "-A", "-n", "Clave test CA", "-t", "C,,", "-i", self.ca])
        return home


def trusting_browser(pki: TestPKI, width: int = 1280, height: int = 900):
    """A headless Chromium that trusts the test CA and nothing else extra."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--lang=es-CO"):
        options.add_argument(argument)
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            options.binary_location = candidate
            break
    # The performance log carries the documents' responses, which the page checks validate.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    environment = dict(os.environ, HOME=str(pki.nss_home()))
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver", env=environment), options=options)
    driver.set_page_load_timeout(30)
    return checked(driver)


class Mail:
    """One message as the SMTP server received it: raw bytes, parsed, and its envelope."""

    def __init__(self, eml: Path):
        self.path = eml
        self.raw = eml.read_bytes()
        self.envelope = json.loads(eml.with_suffix(".json").read_text())
        self.message = email.message_from_bytes(self.raw, policy=email.policy.default)
        self.to = self.envelope["rcpt_tos"][0]
        self.subject = str(self.message["Subject"])
        self.sender = str(self.message["From"])
        self.text = self.message.get_body(preferencelist=("plain",)).get_content()
        html = self.message.get_body(preferencelist=("html",))
        self.html = html.get_content() if html else ""

    def link(self, prefix: str) -> str:
        match = re.search(re.escape(prefix) + r"[^\s\"'<>]*", self.text)
        assert match, f"no link starting {prefix} in:\n{self.text}"
        return match.group(0)


class SMTPServer:
    """Tests/peers/smtp_peer.py: aiosmtpd with STARTTLS (the test CA's certificate) and AUTH."""

    user, password = "clave", "clave-smtp-secreta"

    def __init__(self, folder: Path, pki: TestPKI):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.log = open(folder / "peer.log", "w")
        self.process = subprocess.Popen(
            [str(VENV_PYTHON), str(ROOT / "Tests" / "peers" / "smtp_peer.py"), "--dir", str(folder),
             "--cert", str(pki.cert), "--key", str(pki.key), "--user", self.user, "--password", self.password],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline().strip()
        if not line.isdigit():
            raise RuntimeError("the SMTP peer did not start: " + (folder / "peer.log").read_text())
        self.port = int(line)

    def url(self, pki: TestPKI) -> str:
        return f"smtp://{self.user}:{self.password}@127.0.0.1:{self.port}?ca={urllib.parse.quote(str(pki.ca))}"

    def messages(self, to: str) -> list:
        """Every message to `to`, oldest first."""
        found = []
        for eml in sorted(self.folder.glob("msg-*.eml")):
            mail = Mail(eml)
            if mail.to.lower() == to.lower():
                found.append(mail)
        return found

    def wait_for_mail(self, to: str, count: int = 1, timeout: float = 30) -> Mail:
        """The `count`-th message to `to` once it has arrived."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            items = self.messages(to)
            if len(items) >= count:
                return items[count - 1]
            time.sleep(0.2)
        raise AssertionError(f"no mail #{count} for {to} within {timeout}s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.log.close()


class Nginx:
    """Debian's nginx, unprivileged, terminating TLS with the test certificate in front of Clave,
    with the `location` block README documents. With `upstream_tls` the hop to Clave is TLS
    too (Clave's own `--tls-cert`), and nginx verifies Clave's certificate against the test CA
    (README's block for a proxy on another machine)."""

    def __init__(self, folder: Path, pki: TestPKI, port: int, upstream: int, upstream_tls: bool = False):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.port = folder, port
        temp = "\n".join(f"    {kind}_temp_path {folder}/{kind};" for kind in
                         ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        upstream_verification = "\n".join(f"            {line}" for line in (
            "proxy_ssl_verify on;", f"proxy_ssl_trusted_certificate {pki.ca};", "proxy_ssl_name localhost;",
            "proxy_ssl_server_name on;", "proxy_ssl_protocols TLSv1.2 TLSv1.3;", "proxy_ssl_session_reuse on;",
        )) if upstream_tls else ""
        (folder / "nginx.conf").write_text(f"""
master_process off;
worker_processes 1;
error_log {folder}/error.log warn;
pid {folder}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
{temp}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate     {pki.cert};
        ssl_certificate_key {pki.key};
        ssl_protocols TLSv1.2 TLSv1.3;

        location / {{
            proxy_pass {"https" if upstream_tls else "http"}://127.0.0.1:{upstream};
{upstream_verification}
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Forwarded "";
        }}
    }}
}}
""")
        self.process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                         "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for_port(port, self.process, "nginx", folder / "error.log")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class ProductionApp:
    """`clave serve --mode production` on loopback behind `Nginx`, mailing through `SMTPServer`
    with DKIM. `base_url` is the https address the browser uses (nginx's).

    With `direct_tls`, no nginx: Clave terminates TLS itself (`--tls-cert`/`--tls-key`, the same
    test certificate) on the public port, with a 308 listener (`--redirect-http`) at
    `redirect_url`. With `upstream_tls`, both: nginx terminates the browser's TLS and opens its
    own, verified, to Clave's `--tls-cert` listener (a proxy on another machine)."""

    mail_domain = "clave-pruebas.co"
    dkim_selector = "s2026"

    def __init__(self, direct_tls: bool = False, upstream_tls: bool = False):
        self.folder = Path(tempfile.mkdtemp(prefix="clave-production-"))
        self.binary = clave_binary()
        self.db = self.folder / "clave.sqlite"
        self.pki = TestPKI(self.folder)
        self.smtp = SMTPServer(self.folder / "smtp", self.pki)
        self.dkim_key = self.folder / "dkim.pem"
        run(["openssl", "genrsa", "-out", self.dkim_key, "2048"])
        der = subprocess.run(["openssl", "rsa", "-in", self.dkim_key, "-pubout", "-outform", "DER"],
                             capture_output=True, check=True).stdout
        self.dkim_public = base64.b64encode(der).decode()

        public_port = free_port()
        self.base_url = f"https://localhost:{public_port}"
        self.log_path = self.folder / "server.log"
        self.log = open(self.log_path, "w")
        env = dict(os.environ, CLAVE_LOG_LEVEL="info")
        self.redirect_url = None
        if direct_tls:
            redirect_port = free_port()
            self.redirect_url = f"http://127.0.0.1:{redirect_port}"
            listening = ["--port", str(public_port), "--tls-cert", str(self.pki.cert), "--tls-key", str(self.pki.key),
                         "--redirect-http", str(redirect_port)]
        else:
            listening = ["--port", "0", "--trusted-proxy", "127.0.0.1"]
            if upstream_tls:
                listening += ["--tls-cert", str(self.pki.cert), "--tls-key", str(self.pki.key)]
        self.process = subprocess.Popen(
            [self.binary, "serve", "--mode", "production", "--host", "127.0.0.1", *listening,
             "--db", str(self.db), "--resources", str(ROOT / "Resources"), "--public-url", self.base_url,
             "--smtp-url", self.smtp.url(self.pki),
             "--mail-domain", self.mail_domain, "--ehlo-name", "clave.clave-pruebas.co",
             "--dkim-domain", self.mail_domain, "--dkim-selector", self.dkim_selector,
             "--dkim-key", str(self.dkim_key)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        self.banner = []
        upstream = self._wait_for_port()
        threading.Thread(target=self._drain, daemon=True).start()
        self.nginx = None if direct_tls else Nginx(self.folder / "nginx", self.pki, public_port, upstream,
                                                   upstream_tls=upstream_tls)

    def _wait_for_port(self) -> int:
        found = wait_for_banner(self.process, self.banner, r"https?://127\.0\.0\.1:(\d+)/")
        if found:
            return int(found[0])
        raise RuntimeError("clave serve (production) did not start:\n" + "".join(self.banner)
                           + self.log_path.read_text())

    def _drain(self):
        for line in self.process.stdout:
            self.banner.append(line)

    def url(self, path: str) -> str:
        return self.base_url + path

    def server_log(self) -> str:
        self.log.flush()
        return self.log_path.read_text()

    def stop(self) -> int:
        """SIGTERM, as systemd stops it; returns the exit status."""
        if self.nginx:
            self.nginx.stop()
        status = None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                status = self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                status = self.process.wait()
        self.smtp.stop()
        self.log.close()
        return self.process.returncode if status is None else status

    # The same user administration as the development App (`clave users add` on the file).
    add_user = App.add_user
    unique = staticmethod(App.unique)
    unique_digits = staticmethod(App.unique_digits)

    def wait_for_mail(self, to: str, count: int = 1) -> Mail:
        return self.smtp.wait_for_mail(to, count)

    def dkim_verifies(self, mail: Mail) -> bool:
        """Whether dkimpy verifies `mail` with our public key as the published TXT record."""
        result = subprocess.run([str(VENV_PYTHON), str(ROOT / "Tests" / "peers" / "dkim_verify.py"),
                                 str(mail.path), self.dkim_public], capture_output=True, text=True)
        return result.returncode == 0

    # The Cajacopi captcha, answered with the database's key ---------------------------------

    ALPHABET = "AEFHJLMNRTYadehmnrt34679"  # CaptchaAlphabet.standard
    LENGTH = (6, 8)                        # CaptchaConfiguration's default length

    def captcha_key(self) -> bytes:
        """The stored `captcha` server key (another store overrides this; the derivation stays)."""
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as connection:
            (key,) = connection.execute("SELECT key FROM server_keys WHERE name = 'captcha'").fetchone()
        return bytes(key)

    def captcha_answer(self, captcha_id: str, form_cookie: str) -> str:
        seed = hmac.new(self.captcha_key(), f"clave-captcha-answer\0{captcha_id}\0{form_cookie}".encode(),
                        hashlib.sha256).digest()
        stream = CaptchaStream(seed)
        low, high = self.LENGTH
        length = low + stream.uniform(high - low + 1)
        return "".join(self.ALPHABET[stream.uniform(len(self.ALPHABET))] for _ in range(length))


def trusting_browser_fixtures(app: str):
    """The module's Chromium that trusts the test CA of the module fixture named `app` (a
    `ProductionApp` or a `Cluster`), and a fresh-cookies view of it per test:
    `_prod_driver, pbrowser = trusting_browser_fixtures("prod")`."""
    @pytest.fixture(scope="module")
    def _prod_driver(request):
        driver = trusting_browser(request.getfixturevalue(app).pki)
        yield driver
        driver.quit()

    @pytest.fixture
    def pbrowser(_prod_driver):
        _prod_driver.delete_all_cookies()
        yield _prod_driver
    return _prod_driver, pbrowser


def production_fixture(**options):
    """A module-scoped `prod` fixture: a `ProductionApp(**options)`, stopped with SIGTERM at the
    module's end, which must exit 0 (`prod = production_fixture(direct_tls=True)`)."""
    @pytest.fixture(scope="module")
    def prod():
        app = ProductionApp(**options)
        yield app
        status = app.stop()
        assert status == 0, f"clave serve exited {status} on SIGTERM:\n{app.server_log()[-3000:]}"
    return prod


class CaptchaStream:
    """CaptchaStream.swift: HMAC-SHA256(seed, counter) blocks read 8 bytes at a time, big-endian;
    uniform integers by rejection."""

    def __init__(self, seed: bytes):
        self.seed, self.counter, self.block, self.offset = seed, 0, b"", 0

    def next(self) -> int:
        if self.offset + 8 > len(self.block):
            self.block = hmac.new(self.seed, self.counter.to_bytes(8, "big"), hashlib.sha256).digest()
            self.counter += 1
            self.offset = 0
        value = int.from_bytes(self.block[self.offset:self.offset + 8], "big")
        self.offset += 8
        return value

    def uniform(self, bound: int) -> int:
        top = 2**64 - 1
        limit = top - top % bound
        while True:
            value = self.next()
            if value < limit:
                return value % bound


class ProxiedClient:
    """A plain HTTPS client (Python's ssl, the test CA) connecting from a loopback address of
    its choice, so nginx sees distinct clients: 127.0.0.2, 127.0.0.3, ... It keeps cookies and
    reads each form's CSRF field, as a browser without JavaScript would."""

    def __init__(self, app: ProductionApp, source: str):
        self.app, self.source, self.cookies = app, source, {}
        self.port = int(app.base_url.rsplit(":", 1)[1])

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPSConnection("localhost", self.port, context=self.app.pki.client_context(),
                                                 source_address=(self.source, 0), timeout=30)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), text

    def submit(self, path: str, fields: dict, headers: dict | None = None):
        """GETs the form at `path`, then POSTs `fields` with its CSRF token."""
        status, _, page = self.request("GET", path)
        assert status == 200, (status, page[:500])
        match = re.search(r'name="csrf" value="([^"]+)"', page)
        assert match, page[:1000]
        return self.request("POST", path, dict(fields, csrf=match.group(1)), headers)
