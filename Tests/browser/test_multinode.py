"""Issue 14's proof that several nodes survive: three `clave serve --mode production` nodes on one
database (PostgreSQL, or one shared SQLite file with CLAVE_MULTINODE_DB=sqlite) behind Debian's
nginx doing round-robin with TLS (multinode.py), mail to a real SMTP server with DKIM.

1. The three recovery journeys with every request on a different node than the one before.
   SOI and SECOP II are driven by an HTTP client that reads each answer's `X-Clave-Upstream`
   header (nginx's $upstream_addr); the Cajacopi journey is a real browser, which cannot read
   response headers, so its requests' nodes are read from nginx's access log (the same
   $upstream_addr, for every request the browser made: pages, form posts, CSS, captcha image).
2. 1,000 reset requests from 16 clients at once while one node is killed with SIGKILL: every
   request that got its "sent" page has its email; a request that got no answer may have its
   email (its node committed it and died before answering). None twice, but for the one
   message no SMTP client can save (RFC 1047): the one the killed node's worker had just
   handed over when it died, before its database recorded it; the test accepts that one only
   when its first copy arrived at the instant of the kill and the second after the lease.
3. PostgreSQL stopped (fast shutdown) for a few seconds under load, then started: answers
   during the outage are 503 pages from Clave, never nginx's 502/504, never slower than the
   bound below; afterwards the same processes answer 200 again, none restarted.
4. The SMTP server stopped while 50 requests are answered, then started on the same port:
   every message arrives, once.

Reset requests are SECOP II's "Olvidé la contraseña" (a token and an outbox row in one
transaction). Its limits are 10 per client address per 15 minutes and 5 per user name per hour
(RateLimitPolicy.requestDefault), so every request here has a user and a source address of its
own (127.x.y.z, bound by the client; nginx's X-Forwarded-For names it and the nodes trust
127.0.0.1): the tests measure the cluster, not the rate limits.
"""

import os
import re
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from selenium.webdriver.common.by import By

from multinode import Cluster
from production import ProxiedClient, trusting_browser_fixtures
from waits import wait_for_text, wait_for_url, wait_until

DATABASE = os.environ.get("CLAVE_MULTINODE_DB", "postgres")
SENT = "Si el usuario está registrado"
# No answer may take longer than this, outage or not (nginx's own proxy_read_timeout is 30 s).
ANSWER_BOUND_SECONDS = 10


@pytest.fixture(scope="module")
def cluster(request):
    failed_before = request.session.testsfailed
    nodes = Cluster(nodes=3, db=DATABASE)
    yield nodes
    nodes.destroy()
    # Its folder (node and nginx logs, every email) stays for a look only when a test failed.
    if request.session.testsfailed == failed_before:
        shutil.rmtree(nodes.folder, ignore_errors=True)


_prod_driver, pbrowser = trusting_browser_fixtures("cluster")


class HoppingClient(ProxiedClient):
    """A ProxiedClient that notes which node answered each of its requests."""

    def __init__(self, cluster, source):
        super().__init__(cluster, source)
        self.trail = []

    def request(self, method, path, form=None, headers=None):
        status, answer_headers, body = super().request(method, path, form, headers)
        self.trail.append((method, path.split("?")[0], status, answer_headers.get("X-Clave-Upstream")))
        return status, answer_headers, body

    def form(self, path):
        status, _, page = self.request("GET", path)
        assert status == 200, (path, status, page[:300])
        return re.search(r'name="csrf" value="([^"]+)"', page).group(1)

    def post(self, path, fields, csrf=None):
        return self.request("POST", path, dict(fields, csrf=csrf or self.form(path)))


def assert_hops(cluster, trail):
    """Each request on another node than the one before, and all three nodes used."""
    nodes = [upstream for *_, upstream in trail]
    assert None not in nodes, trail
    repeats = [(trail[i - 1], trail[i]) for i in range(1, len(trail)) if nodes[i] == nodes[i - 1]]
    assert not repeats, f"consecutive requests on the same node: {repeats}"
    assert set(nodes) == {n.address for n in cluster.nodes}, trail


def assert_delivered_safely(cluster, mail):
    assert mail.envelope["tls"] is True and mail.envelope["auth"], mail.envelope
    assert f"d={cluster.mail_domain}" in str(mail.message["DKIM-Signature"]).replace(" ", "")
    assert "http://" not in mail.text


def test_nodes_share_one_database_and_migrate_once(cluster):
    """The three nodes started at the same moment on an empty database: each migration was
    applied by exactly one of them (their logs say `msg=migrated version=N`)."""
    versions = sorted(int(row[0]) for row in cluster.sql("SELECT version FROM schema_migrations"))
    applied = sorted(int(v) for node in cluster.nodes
                     for v in re.findall(r"msg=migrated version=(\d+)", cluster.log_path(node).read_text()))
    assert versions and applied == versions, (applied, versions)
    client = HoppingClient(cluster, "127.0.0.9")
    for _ in range(6):
        assert client.request("GET", "/readyz")[0] == 200
    assert_hops(cluster, client.trail)


def test_soi_journey_hopping_nodes(cluster):
    company, document = "900" + cluster_digits(6), cluster_digits(10)
    address = f"soi.nodos.{document}@example.com"
    cluster.add_user("soi", "Clave-Olvidada-2025", aportante="NIT:" + company, aportante_name="Aportes Nodos S.A.S.",
                     document="CC:" + document, email=address)
    client = HoppingClient(cluster, "127.0.1.2")
    status, _, page = client.post("/soi/olvido-clave", {
        "aportante_tipo": "NIT", "aportante_numero": company, "usuario_tipo": "CC", "usuario_numero": document,
        "correo": address})
    assert status == 200 and "Si los datos corresponden" in page, (status, page[:500])
    mail = cluster.smtp.wait_for_mail(address)
    assert_delivered_safely(cluster, mail)
    temporary = re.search(r"clave temporal[^:]*:\s*(\S+)", mail.text).group(1)

    login = {"empresa_tipo": "NIT", "empresa_numero": company, "usuario_tipo": "CC", "usuario_numero": document}
    status, headers, _ = client.post("/soi/ingreso", dict(login, clave=temporary))
    assert status == 303 and headers["Location"].endswith("/soi/cambio-clave"), (status, headers)
    status, headers, page = client.post("/soi/cambio-clave", {"clave_actual": temporary, "clave_nueva": "Aportes Al Dia 2026",
                                                              "clave_confirmacion": "Aportes Al Dia 2026"})
    assert status == 303 and headers["Location"].endswith("/soi/inicio"), (status, re.sub(r"\s+", " ", page)[-2500:])
    status, _, page = client.request("GET", "/soi/inicio")
    assert status == 200, page[:300]
    assert "¿No fue usted?" in cluster.smtp.wait_for_mail(address, count=2).text
    assert_hops(cluster, client.trail)


def test_secop_journeys_hopping_nodes(cluster):
    username = f"compras.nodos.{cluster_digits(8)}"
    address = f"{username}@example.com"
    cluster.add_user("secop", "Vieja-Clave-Secop-2026", username=username, email=address)
    client = HoppingClient(cluster, "127.0.1.3")

    status, _, page = client.post("/secop/olvide-usuario", {"correo": address})
    assert status == 200 and "Si hay usuarios del SECOP II" in page, page[:500]
    assert username in cluster.smtp.wait_for_mail(address).text

    status, _, page = client.post("/secop/olvide-contrasena", {"usuario": username})
    assert status == 200 and SENT in page, page[:500]
    mail = cluster.smtp.wait_for_mail(address, count=2)
    assert_delivered_safely(cluster, mail)
    link = mail.link(cluster.url("/secop/cambiar-contrasena?token="))
    token = link.split("token=", 1)[1]
    status, _, page = client.request("GET", link[len(cluster.base_url):])
    assert status == 200 and username in page, page[:500]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    status, _, page = client.post("/secop/cambiar-contrasena", {
        "token": token, "contrasena_nueva": "Girasol marino 2026!", "contrasena_confirmacion": "Girasol marino 2026!"},
        csrf=csrf)
    assert status == 200 and "Contraseña cambiada" in page, page[:500]
    status, headers, _ = client.post("/secop/ingreso", {"usuario": username, "contrasena": "Girasol marino 2026!"})
    assert status == 303 and headers["Location"].endswith("/secop/inicio"), (status, headers)
    assert client.request("GET", "/secop/inicio")[0] == 200
    assert_hops(cluster, client.trail)


def test_cajacopi_journey_in_a_browser_hopping_nodes(cluster, pbrowser):
    """The captcha is drawn, answered and checked by different nodes: its row, the server key
    and the form cookie's MAC are shared state."""
    document = cluster_digits(10)
    address = f"hanna.nodos.{document}@example.com"
    cluster.add_user("cajacopi", "Vieja-Clave-2020", email=address, document="CC:" + document,
                     phone="3001234567", birth_date="1990-05-17")
    mark = cluster.nginx.log_lines()

    pbrowser.get(cluster.url("/cajacopi/restablecer"))
    image = pbrowser.find_element(By.ID, "captcha-imagen")
    wait_until(pbrowser, lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image),
               "the captcha image")
    captcha_id = pbrowser.find_element(By.NAME, "captcha_id").get_attribute("value")
    form_cookie = pbrowser.get_cookie("clave_formulario")["value"]
    pbrowser.find_element(By.NAME, "correo").send_keys(address)
    pbrowser.find_element(By.NAME, "captcha").send_keys(cluster.captcha_answer(captcha_id, form_cookie))
    pbrowser.find_element(By.XPATH, "//button[normalize-space()='Enviar Solicitud']").click()
    wait_for_text(pbrowser, "Solicitud enviada")

    mail = cluster.smtp.wait_for_mail(address)
    assert_delivered_safely(cluster, mail)
    pbrowser.get(mail.link(cluster.url("/cajacopi/nueva-contrasena?token=")))
    pbrowser.find_element(By.NAME, "contrasena_nueva").send_keys("Tinaja-Roja-38")
    box = pbrowser.find_element(By.NAME, "contrasena_confirmacion")
    box.send_keys("Tinaja-Roja-38")
    box.submit()
    wait_for_text(pbrowser, "Contraseña actualizada")
    assert_delivered_safely(cluster, cluster.smtp.wait_for_mail(address, count=2))

    pbrowser.get(cluster.url("/cajacopi/ingreso"))
    pbrowser.find_element(By.NAME, "correo").send_keys(address)
    box = pbrowser.find_element(By.NAME, "contrasena")
    box.send_keys("Tinaja-Roja-38")
    box.submit()
    wait_for_url(pbrowser, "/cajacopi/inicio")

    trail = cluster.nginx.requests_since(mark)
    paths = [path for _, path, _, _ in trail]
    for step in ("/cajacopi/restablecer", "/cajacopi/nueva-contrasena", "/cajacopi/ingreso", "/cajacopi/inicio"):
        assert step in paths, paths
    assert any(p.startswith("/cajacopi/captcha/") for p in paths), paths
    assert_hops(cluster, trail)


# Many requests -------------------------------------------------------------------------------

def reset_request(cluster, source, username):
    """One person's "Olvidé la contraseña": the form (GET), then the POST. Returns what they saw:
    dict(status, sent, upstream, seconds, error, page)."""
    client = ProxiedClient(cluster, source)
    started = time.monotonic()
    outcome = {"username": username, "status": None, "sent": False, "upstream": None, "error": None, "page": ""}
    try:
        status, headers, page = client.request("GET", "/secop/olvide-contrasena")
        match = re.search(r'name="csrf" value="([^"]+)"', page)
        if status == 200 and match:
            status, headers, page = client.request("POST", "/secop/olvide-contrasena",
                                                   {"usuario": username, "csrf": match.group(1)})
        outcome.update(status=status, sent=status == 200 and SENT in page, upstream=headers.get("X-Clave-Upstream"),
                       content_type=headers.get("Content-Type", ""), retry_after=headers.get("Retry-After"), page=page)
    except OSError as error:  # a connection reset or timeout: no answer
        outcome["error"] = repr(error)
    outcome["seconds"] = time.monotonic() - started
    return outcome


def source_address(block: int, index: int) -> str:
    """A loopback source address of its own for request `index` of a test (`block` keeps tests apart)."""
    return f"127.{block}.{index // 250}.{index % 250 + 1}"


def outbox_rows(cluster, usernames) -> list:
    """The outbox rows of these users' email addresses (for a failure message)."""
    if not usernames:
        return []
    addresses = ", ".join(f"'{name}@example.com'" for name in usernames[:20])
    return cluster.sql(f"SELECT recipient, state, attempts, last_error FROM outbox WHERE recipient IN ({addresses})")


def emails_per_recipient(cluster, usernames) -> dict:
    received = cluster.smtp.recipients()
    return {name: received.get(f"{name}@example.com", 0) for name in usernames}


def test_a_node_killed_mid_run_loses_and_duplicates_nothing(cluster):
    cluster.wait_for_outbox_drained(60)
    usernames = cluster.add_secop_users("carga", 1000)
    victim = cluster.nodes[1]
    done = {"count": 0, "killed_after": None}
    lock = threading.Lock()

    def one(index):
        outcome = reset_request(cluster, source_address(20, index), usernames[index])
        with lock:
            done["count"] += 1
            if done["count"] == 300:
                cluster.kill_node(victim.index)
                done["killed_after"], done["killed_at"] = done["count"], time.time()
        return outcome

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(one, range(len(usernames))))
    elapsed = time.monotonic() - started
    assert done["killed_after"] == 300 and not victim.alive()

    answered = [o for o in outcomes if o["sent"]]
    unanswered = [o for o in outcomes if not o["sent"]]
    # Only the requests the dead node held at that moment may go unanswered (nginx's 502 for a
    # POST it had sent there), at most one per client in flight.
    assert len(unanswered) <= 16, [(o["status"], o["error"], o["upstream"]) for o in unanswered]
    assert all(o["status"] == 502 or o["error"] for o in unanswered), [(o["status"], o["page"][:200]) for o in unanswered]
    # "A, B": nginx found A dead (connection refused) and passed the request on to B.
    served = {o["upstream"].split(", ")[-1] for o in answered}
    assert victim.address in served and len(served) == 3, served

    # The dead node's claimed messages come back when their lease (15 s) ends; a node started
    # again on its port takes its share of the traffic again.
    cluster.start_node(victim.index)
    drained = cluster.wait_for_outbox_drained(120)
    assert cluster.outbox_dead() == 0
    counts = emails_per_recipient(cluster, usernames)
    # RFC 1047's duplicate: the SMTP server accepted a message (its reply to the final dot) and
    # the node died before its database recorded that; when the lease ends another node sends it
    # again. A node's worker sends one message at a time, so at most one can be caught so. Any
    # other second copy fails the test.
    twice = {name: n for name, n in counts.items() if n > 1}
    caught = {}
    for name, n in twice.items():
        first, second = cluster.smtp.arrivals(f"{name}@example.com")[:2]
        if n == 2 and abs(first - done["killed_at"]) < 1 and second - done["killed_at"] > 10:
            caught[name] = (round(first - done["killed_at"], 3), round(second - done["killed_at"], 1))
    missing = [o["username"] for o in answered if counts[o["username"]] == 0]
    print(f"\n1,000 reset requests over 3 nodes in {elapsed:.1f} s ({len(usernames) / elapsed:.0f}/s), node "
          f"{victim.address} killed after 300: {len(answered)} answered 'sent', {len(unanswered)} not "
          f"({sum(min(counts[o['username']], 1) for o in unanswered)} of those emailed anyway); outbox drained "
          f"{drained:.1f} s after the run; {sum(counts.values())} emails, {len(twice)} recipients twice, "
          f"{len(caught)} of them at the kill (RFC 1047)")
    assert len(caught) <= 1 and set(caught) == set(twice), (
        f"sent more than once: {twice}; arrivals after the kill (s): "
        f"{ {name: [round(t - done['killed_at'], 3) for t in cluster.smtp.arrivals(name + '@example.com')] for name in twice} }")
    assert not missing, f"answered 'sent' but no email: {missing}"


@pytest.mark.skipif(DATABASE != "postgres", reason="a PostgreSQL outage needs the PostgreSQL store")
def test_postgres_outage_answers_503_and_nodes_recover_without_restart(cluster):
    cluster.wait_for_outbox_drained(60)
    usernames = cluster.add_secop_users("corte", 1500)
    pids = {n.index: n.process.pid for n in cluster.nodes}
    outcomes, stop = [], threading.Event()
    cursor = {"next": 0}
    lock = threading.Lock()
    phases = {"down": None, "up": None}

    def load():
        while not stop.is_set():
            with lock:
                index = cursor["next"]
                cursor["next"] += 1
            if index >= len(usernames):
                return
            began = time.monotonic()
            outcome = reset_request(cluster, source_address(21, index), usernames[index])
            outcome["began"] = began
            with lock:
                outcomes.append(outcome)
            if not outcome["sent"]:
                time.sleep(0.2)  # as a person would before sending the form again

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(3)
        phases["down"] = time.monotonic()
        cluster.postgres.stop(mode="fast")
        time.sleep(4)
        cluster.postgres.start()
        phases["up"] = time.monotonic()
        # Every node must answer "sent" again, on its own (no restart), within 30 s.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with lock:
                recovered = {o["upstream"] for o in outcomes if o["sent"] and o["began"] > phases["up"]}
            if len(recovered) == 3:
                break
            time.sleep(0.5)
        time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    statuses = {}
    for o in outcomes:
        statuses[o["status"]] = statuses.get(o["status"], 0) + 1
    assert not [o for o in outcomes if o["error"]], [o["error"] for o in outcomes if o["error"]][:5]
    assert set(statuses) <= {200, 503}, statuses
    slowest = max(o["seconds"] for o in outcomes)
    assert slowest < ANSWER_BOUND_SECONDS, f"an answer took {slowest:.1f} s"
    refused = [o for o in outcomes if o["status"] == 503]
    assert refused, f"no request saw the outage: {statuses}"
    for o in refused:
        assert o["content_type"].startswith("text/html") and "<h1" in o["page"], o["page"][:500]
        assert o["retry_after"] and int(o["retry_after"]) > 0, o["retry_after"]
    heading = re.sub(r"<[^>]+>|\s+", " ", re.search(r"<h1.*?</h1>", refused[0]["page"], re.S).group(0)).strip()
    assert all(not o["sent"] or o["status"] == 200 for o in outcomes)
    recovered = {o["upstream"] for o in outcomes if o["sent"] and o["began"] > phases["up"]}
    assert recovered == {n.address for n in cluster.nodes}, (recovered, statuses)
    back_after = max(min(o["began"] + o["seconds"] for o in outcomes
                         if o["sent"] and o["began"] > phases["up"] and o["upstream"] == address) - phases["up"]
                     for address in recovered)
    assert {n.index: n.process.pid for n in cluster.nodes if n.alive()} == pids, "a node was restarted or died"

    drained = cluster.wait_for_outbox_drained(120)
    print(f"\nPostgreSQL down {phases['up'] - phases['down']:.1f} s under 4 clients: statuses {statuses}, slowest answer "
          f"{slowest:.2f} s; the 503 page says «{heading}»; all 3 nodes answered 'sent' again "
          f"within {back_after:.1f} s of the restart, none restarted; "
          f"outbox drained in {drained:.1f} s")
    counts = emails_per_recipient(cluster, [o["username"] for o in outcomes])
    twice = sorted(name for name, n in counts.items() if n > 1)
    lost = sorted(o["username"] for o in outcomes if o["sent"] and counts[o["username"]] == 0)
    assert not twice and not lost, (f"sent twice: {twice}; answered 'sent' but no email: {lost}; their outbox rows: "
                                    + repr(outbox_rows(cluster, twice + lost)))


def test_smtp_outage_loses_and_duplicates_nothing(cluster):
    cluster.wait_for_outbox_drained(60)
    usernames = cluster.add_secop_users("sinsmtp", 50)
    cluster.smtp.stop()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(lambda i: reset_request(cluster, source_address(22, i), usernames[i]),
                                     range(len(usernames))))
        assert all(o["sent"] for o in outcomes), [(o["status"], o["error"]) for o in outcomes if not o["sent"]]
        time.sleep(5)
        assert cluster.outbox_waiting() == len(usernames)
        assert not any(emails_per_recipient(cluster, usernames).values())
    finally:
        cluster.smtp.start()
    restarted = time.monotonic()
    # Each node waits about 30 s (RetryPolicy's first delay, ±20 %) before its next session.
    cluster.wait_for_outbox_drained(120)
    counts = emails_per_recipient(cluster, usernames)
    assert all(n == 1 for n in counts.values()), {k: v for k, v in counts.items() if v != 1}
    assert cluster.outbox_dead() == 0
    print(f"\nSMTP down while 50 requests were answered: all 50 delivered once, "
          f"{time.monotonic() - restarted:.1f} s after the server came back")


def cluster_digits(length):
    return str(int.from_bytes(os.urandom(8), "big"))[:length].rjust(length, "7")
