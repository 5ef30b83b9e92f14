"""Production with TLS on both hops: nginx terminates the browser's TLS (as in
test_production_proxy.py) and connects to Clave over TLS too, verifying Clave's `--tls-cert`
against the test CA (`proxy_ssl_verify on`), the shape for a proxy or load balancer on another
machine. The journeys and the per-client rate limits of test_production_proxy.py run against it
unchanged; SIGTERM must stop the server with exit status 0.
"""

from production import production_fixture
from test_production_proxy import _prod_driver, pbrowser  # noqa: F401 (fixtures, over this module's prod)
from test_production_proxy import test_rate_limits_count_each_client_behind_the_proxy as test_rate_limits_per_client_over_tls_upstream  # noqa: F401
from test_production_proxy import test_secop_journey_over_the_proxy as test_secop_journey_over_tls_upstream  # noqa: F401


prod = production_fixture(upstream_tls=True)


def test_nginx_reaches_clave_over_verified_tls(prod):
    banner = "".join(prod.banner)
    assert "Clave escuchando en https://127.0.0.1:" in banner, banner
    conf = (prod.nginx.folder / "nginx.conf").read_text()
    assert "proxy_pass https://127.0.0.1:" in conf and "proxy_ssl_verify on;" in conf
