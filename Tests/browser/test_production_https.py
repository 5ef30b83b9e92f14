"""Production with HTTPS served by Clave itself (issue 12's "done when"): `clave serve --mode
production --tls-cert --tls-key` on the public port, no nginx, mail over STARTTLS with AUTH to
a real SMTP server, signed with DKIM, and a 308 listener for plain HTTP. A Chromium that trusts
only the test CA (NSS database, production.py's `trusting_browser`) runs the three journeys of
test_production_proxy.py, imported here so they run against this `prod` unchanged. SIGTERM must
stop the server with exit status 0.
"""

import http.client
import socket
import ssl
import warnings

from production import production_fixture, ProxiedClient
from test_production_proxy import _prod_driver, pbrowser  # noqa: F401 (fixtures, over this module's prod)
from test_production_proxy import test_cajacopi_journey_over_the_proxy as test_cajacopi_journey_over_https  # noqa: F401
from test_production_proxy import test_secop_journey_over_the_proxy as test_secop_journey_over_https  # noqa: F401
from test_production_proxy import test_soi_journey_over_the_proxy as test_soi_journey_over_https  # noqa: F401


prod = production_fixture(direct_tls=True)


def test_production_serves_https_itself(prod):
    banner = "".join(prod.banner)
    assert "Clave escuchando en https://127.0.0.1:" in banner and "modo production" in banner, banner
    assert "HTTPS: /CN=localhost" in banner and "Redirección HTTP: " in banner, banner
    client = ProxiedClient(prod, "127.0.0.9")
    status, headers, body = client.request("GET", "/healthz")
    assert status == 200 and body == "ok"
    assert "max-age=" in headers.get("Strict-Transport-Security", ""), headers
    for path in ("/metrics", "/_correo", "/_dev/captcha/x"):
        assert client.request("GET", path)[0] == 404, path
    status, headers, _ = client.request("GET", "/secop/olvide-contrasena")
    assert status == 200 and "Secure" in headers.get("Set-Cookie", ""), headers

    # TLS 1.3 with ALPN http/1.1 to a modern client; TLS 1.1 refused.
    port = int(prod.base_url.rsplit(":", 1)[1])
    context = prod.pki.client_context()
    context.set_alpn_protocols(["http/1.1"])
    with context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="localhost") as tls:
        assert tls.version() == "TLSv1.3" and tls.selected_alpn_protocol() == "http/1.1"
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.check_hostname, old.verify_mode = False, ssl.CERT_NONE
    with warnings.catch_warnings():  # asking for TLS 1.1 on purpose
        warnings.simplefilter("ignore", DeprecationWarning)
        old.minimum_version = old.maximum_version = ssl.TLSVersion.TLSv1_1
    try:
        old.set_ciphers("DEFAULT@SECLEVEL=0")
        with old.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10)):
            refused = False
    except (ssl.SSLError, OSError):
        refused = True
    assert refused, "a TLS 1.1 handshake succeeded"


def test_plain_http_is_sent_to_https_with_308(prod):
    host, port = prod.redirect_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("POST", "/secop/olvide-contrasena?x=1", body="usuario=a",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    assert response.status == 308
    assert response.getheader("Location") == prod.url("/secop/olvide-contrasena?x=1")
