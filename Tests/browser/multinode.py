"""Several `clave serve` nodes on one database behind nginx, for issue 14's proof that the
"several nodes" shape survives (test_multinode.py) and for its benchmark
(scripts/bench.d/multinode.sh).

- `PostgresServer`: a real PostgreSQL 15 the way Tests/TestSupport/PostgresPeer.swift starts
  one: initdb with SCRAM-SHA-256 and a password file, TLS on with a certificate from the test CA
  (SAN IP:127.0.0.1, so `sslmode=verify-full` against 127.0.0.1 holds), a free loopback port,
  the Unix socket in its own folder, run as the unprivileged `postgres` user through setpriv
  when the tests are root (initdb and postgres refuse root).
- `Cluster`: N nodes of `clave serve --mode production` (each on its own loopback port, the
  same --public-url, --db, SMTP server and DKIM key, `--trusted-proxy 127.0.0.1`) behind one
  nginx doing round-robin over them and terminating TLS with the test CA's certificate. Every
  answer carries `X-Clave-Upstream: $upstream_addr`, and nginx's access log names the node of
  every request with its start time (for a browser, whose response headers a test cannot
  read). The database is `db="postgres"` or `db="sqlite"` (one file shared by every node).
- Faults: `kill_node` (SIGKILL), `start_node` (the same port again), `PostgresServer.restart`,
  `stop`/`start`, and `RestartableSMTPServer.stop`/`start` (the same port and folder).

No fixtures here: test_multinode.py makes them, multinode_bench.py runs without pytest.
"""

import atexit
import ctypes
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from conftest import App, ROOT, clave_binary, wait_for_banner
from production import (NGINX, VENV_PYTHON, ProductionApp, SMTPServer, TestPKI, free_port, run,
                        wait_for_port)

PG_BINARIES = Path("/usr/lib/postgresql/15/bin")
_LIBC = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """In a child before exec: SIGKILL it if the test process dies, however it dies (a test
    run killed with SIGKILL leaves no node or nginx behind). PostgreSQL is stopped by
    `destroy()` or atexit instead: pg_ctl detaches it."""
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
PG_SERVICE_USER = "postgres"


def as_postgres(binary: str, *arguments, **kwargs):
    """Runs a PostgreSQL binary as the `postgres` user when we are root (setpriv execs it, so
    no extra parent process stays around), directly otherwise."""
    command = [str(PG_BINARIES / binary), *map(str, arguments)]
    if os.getuid() == 0:
        command = ["/usr/bin/setpriv", f"--reuid={PG_SERVICE_USER}", f"--regid={PG_SERVICE_USER}", "--init-groups",
                   *command]
    return run(command, **kwargs)


class PostgresServer:
    """A PostgreSQL 15 of the test's own, with a database `clave` owned by the role `clave`."""

    admin = "clave_admin"
    user = "clave"
    # Characters a URL must percent-encode, so the URL handling is exercised too.
    password = "n0des:secreto@clave/14"
    database = "clave"

    def __init__(self, pki: TestPKI, max_connections: int = 100):
        if not (PG_BINARIES / "initdb").exists():
            raise RuntimeError(f"PostgreSQL 15 is not installed in {PG_BINARIES}; run `make deps`")
        self.pki = pki
        # Its own folder under /tmp: the postgres user must reach it, and the test's folders are 0700 root.
        self.folder = Path(tempfile.mkdtemp(prefix="clave-multinode-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = free_port()
        shutil.copy(pki.cert, self.folder / "server.pem")
        shutil.copy(pki.key, self.folder / "server-key.pem")
        os.chmod(self.folder / "server-key.pem", 0o600)
        (self.folder / "pwfile").write_text("admin-" + os.urandom(8).hex())
        if os.getuid() == 0:
            run(["chown", "-R", f"{PG_SERVICE_USER}:", self.folder])
        os.chmod(self.folder, 0o700)
        as_postgres("initdb", "-D", self.data, "-U", self.admin, "--auth=scram-sha-256",
                    f"--pwfile={self.folder / 'pwfile'}", "--no-sync", "--no-locale", "-E", "UTF8")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"""
listen_addresses = '127.0.0.1'
port = {self.port}
unix_socket_directories = '{self.folder}'
ssl = on
ssl_cert_file = '{self.folder}/server.pem'
ssl_key_file = '{self.folder}/server-key.pem'
password_encryption = 'scram-sha-256'
max_connections = {max_connections}
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
""")
        (self.data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n")
        self.start()
        self.psql(f"CREATE ROLE {self.user} LOGIN PASSWORD '{self.password}'", database="postgres")
        self.psql(f"CREATE DATABASE {self.database} OWNER {self.user}", database="postgres")

    def url(self) -> str:
        """The `--db` URL: TLS verified against the test CA, host 127.0.0.1 (the certificate's SAN)."""
        return (f"postgres://{self.user}:{urllib.parse.quote(self.password, safe='')}@127.0.0.1:{self.port}/"
                f"{self.database}?sslmode=verify-full&sslrootcert={urllib.parse.quote(str(self.pki.ca), safe='')}")

    def start(self):
        as_postgres("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "start", stdin=subprocess.DEVNULL)

    def stop(self, mode: str = "fast"):
        as_postgres("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop")

    def restart(self):
        """`pg_ctl restart -m fast`: every session ended (FATAL 57P01), then the server again."""
        as_postgres("pg_ctl", "-D", self.data, "-l", self.log, "-m", "fast", "-w", "-t", "60", "restart",
                    stdin=subprocess.DEVNULL)

    def psql(self, sql: str, database: str | None = None) -> list:
        """Runs `sql` as the superuser over the Unix socket; rows as lists of strings."""
        out = run(["/usr/lib/postgresql/15/bin/psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                   "-h", self.folder, "-p", str(self.port), "-U", self.admin, "-d", database or self.database,
                   "-c", sql])
        return [line.split("\t") for line in out.splitlines() if line]

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def destroy(self):
        try:
            if self.is_running():
                self.stop(mode="immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


class RestartableSMTPServer(SMTPServer):
    """The production suite's SMTP server (aiosmtpd, STARTTLS, AUTH), which can be stopped and
    started again on the same port and folder: an outage of the mail relay."""

    def __init__(self, folder: Path, pki: TestPKI):
        # Not SMTPServer.__init__: it cannot name the port, which a restart must keep.
        self.folder, self.pki, self.port = folder, pki, 0
        folder.mkdir(parents=True, exist_ok=True)
        self.start()

    def start(self):
        """Starts the server, on the port it had if it ran before (asyncio sets SO_REUSEADDR)."""
        assert not getattr(self, "process", None) or self.process.poll() is not None, "the SMTP server is running"
        self.log = open(self.folder / "peer.log", "a")
        self.process = subprocess.Popen(
            [str(VENV_PYTHON), str(ROOT / "Tests" / "peers" / "smtp_peer.py"), "--dir", str(self.folder),
             "--cert", str(self.pki.cert), "--key", str(self.pki.key), "--user", self.user,
             "--password", self.password, "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=self.log, text=True, preexec_fn=_die_with_parent)
        line = self.process.stdout.readline().strip()
        if not line.isdigit() or (self.port and int(line) != self.port):
            raise RuntimeError(f"the SMTP peer did not start on {self.port or 'a free port'}: {line!r} "
                               + (self.folder / "peer.log").read_text()[-2000:])
        self.port = int(line)

    def arrivals(self, to: str) -> list:
        """When each message to `to` was accepted (its file's time), oldest first."""
        times = []
        for envelope in self.folder.glob("msg-*.json"):
            if to.lower() in (r.lower() for r in json.loads(envelope.read_text())["rcpt_tos"]):
                times.append(envelope.with_suffix(".eml").stat().st_mtime)
        return sorted(times)

    def recipients(self) -> dict:
        """How many messages each recipient received (from the envelopes; cheap for thousands)."""
        counts = {}
        for envelope in self.folder.glob("msg-*.json"):
            for to in json.loads(envelope.read_text())["rcpt_tos"]:
                counts[to.lower()] = counts.get(to.lower(), 0) + 1
        return counts


class Node:
    """One `clave serve --mode production` process of the cluster, on a fixed loopback port."""

    def __init__(self, index: int, port: int, admin_port: int):
        self.index, self.port, self.admin_port = index, port, admin_port
        self.process = None
        self.banner = []
        self.starts = 0

    @property
    def address(self) -> str:
        """How nginx names it in $upstream_addr."""
        return f"127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Cluster:
    """`nodes` Clave nodes on one database (`db`: "postgres" or "sqlite") behind an nginx
    round-robin load balancer with TLS. `base_url` is nginx's https address; `pki`, `base_url`
    and `url()` make it usable by production.py's `ProxiedClient`."""

    mail_domain = ProductionApp.mail_domain
    dkim_selector = ProductionApp.dkim_selector

    def __init__(self, nodes: int = 3, db: str = "postgres", workers: int | None = None, access_log: bool = True,
                 smtp: bool = True, worker_connections: int = 1024, log_level: str = "info"):
        assert db in ("postgres", "sqlite"), db
        self.engine = db
        self.folder = Path(tempfile.mkdtemp(prefix="clave-multinode-"))
        self.binary = clave_binary()
        self.workers, self.access_log, self.log_level = workers, access_log, log_level
        self.pki = TestPKI(self.folder)
        self.postgres = None
        self.smtp = None
        self.nginx = None
        self.nodes = []
        self.destroyed = False
        # Whatever ends the test run (a failure, Ctrl-C, SIGTERM from a CI timeout), this cluster's
        # processes go with it.
        atexit.register(self.destroy)
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            if db == "postgres":
                self.postgres = PostgresServer(self.pki)
                self.db = self.postgres.url()
            else:
                self.sqlite_path = self.folder / "clave.sqlite"
                self.db = str(self.sqlite_path)
            if smtp:
                self.smtp = RestartableSMTPServer(self.folder / "smtp", self.pki)
                self.smtp_url = self.smtp.url(self.pki)
            else:
                # Nothing listens there: mail waits in the outbox (the benchmark measures requests only).
                self.smtp_url = f"smtp://clave:x@127.0.0.1:{free_port()}?ca={urllib.parse.quote(str(self.pki.ca))}"
            self.dkim_key = self.folder / "dkim.pem"
            run(["openssl", "genrsa", "-out", self.dkim_key, "2048"])
            self.port = free_port()
            self.base_url = f"https://localhost:{self.port}"
            self.nodes = [Node(i, free_port(), free_port()) for i in range(nodes)]
            # Every node at once, so their start-up migrations race as they would in a deployment.
            for node in self.nodes:
                self._spawn(node)
            for node in self.nodes:
                self._wait_started(node)
            self.nginx = LoadBalancer(self.folder / "nginx", self.pki, self.port, [n.port for n in self.nodes],
                                      worker_connections=worker_connections)
        except BaseException:
            self.destroy()
            raise

    # Nodes -----------------------------------------------------------------------------------

    def node_arguments(self, node: Node) -> list:
        arguments = [self.binary, "serve", "--mode", "production", "--host", "127.0.0.1", "--port", str(node.port),
                     "--trusted-proxy", "127.0.0.1", "--admin-listen", f"127.0.0.1:{node.admin_port}",
                     "--db", self.db, "--resources", str(ROOT / "Resources"),
                     "--public-url", self.base_url, "--smtp-url", self.smtp_url,
                     "--mail-domain", self.mail_domain, "--ehlo-name", "clave.clave-pruebas.co",
                     "--dkim-domain", self.mail_domain, "--dkim-selector", self.dkim_selector,
                     "--dkim-key", str(self.dkim_key), "--access-log", "on" if self.access_log else "off"]
        if self.workers:
            arguments += ["--workers", str(self.workers)]
        return arguments

    def log_path(self, node: Node) -> Path:
        return self.folder / f"node{node.index}.log"

    def _spawn(self, node: Node):
        node.starts += 1
        log = open(self.log_path(node), "a")
        log.write(f"==== start {node.starts}\n")
        log.flush()
        node.banner = []
        node.process = subprocess.Popen(self.node_arguments(node), cwd=ROOT, stdout=subprocess.PIPE, stderr=log,
                                        text=True, env=dict(os.environ, CLAVE_LOG_LEVEL=self.log_level),
                                        preexec_fn=_die_with_parent)
        log.close()

    def _wait_started(self, node: Node):
        if not wait_for_banner(node.process, node.banner, rf"(https?://127\.0\.0\.1:{node.port})/", timeout=90):
            raise RuntimeError(f"node {node.index} did not start:\n" + "".join(node.banner)
                               + self.log_path(node).read_text()[-4000:])
        process = node.process
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
        wait_for_port(node.port, process, f"node {node.index}", self.log_path(node))

    def start_node(self, index: int):
        """Starts node `index` again on its own port (after `kill_node`)."""
        node = self.nodes[index]
        assert not node.alive(), f"node {index} is running"
        self._spawn(node)
        self._wait_started(node)

    def kill_node(self, index: int):
        """SIGKILL: no shutdown at all, as when a machine loses power."""
        node = self.nodes[index]
        node.process.send_signal(signal.SIGKILL)
        node.process.wait(timeout=10)

    def node_by_address(self, address: str) -> Node:
        return next(n for n in self.nodes if n.address == address)

    def server_log(self) -> str:
        return "\n".join(f"---- node {n.index}\n" + self.log_path(n).read_text()[-3000:] for n in self.nodes)

    def url(self, path: str) -> str:
        return self.base_url + path

    # The database ----------------------------------------------------------------------------

    def sql(self, query: str) -> list:
        """Rows of `query` on the shared database (psql on PostgreSQL, sqlite3 on the file), as strings."""
        if self.postgres:
            return self.postgres.psql(query)
        with sqlite3.connect(self.sqlite_path, timeout=30) as connection:
            rows = connection.execute(query).fetchall()
            connection.commit()
        return [[None if v is None else str(v) for v in row] for row in rows]

    def captcha_key(self) -> bytes:
        if self.postgres:
            return bytes.fromhex(self.sql("SELECT encode(key, 'hex') FROM server_keys WHERE name = 'captcha'")[0][0])
        with sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True) as connection:
            return bytes(connection.execute("SELECT key FROM server_keys WHERE name = 'captcha'").fetchone()[0])

    # The Cajacopi captcha's answer, derived from the stored key as production.py derives it.
    ALPHABET, LENGTH = ProductionApp.ALPHABET, ProductionApp.LENGTH
    captcha_answer = ProductionApp.captcha_answer

    def outbox_waiting(self) -> int:
        """Messages not yet sent nor given up (pending, or claimed by a node)."""
        return int(self.sql("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')")[0][0])

    def outbox_dead(self) -> int:
        return int(self.sql("SELECT COUNT(*) FROM outbox WHERE state = 'dead'")[0][0])

    def wait_for_outbox_drained(self, timeout: float) -> float:
        """Waits until every queued message was sent (or given up); returns the seconds waited."""
        started = time.time()
        while self.outbox_waiting() > 0:
            if time.time() - started > timeout:
                raise AssertionError(f"{self.outbox_waiting()} message(s) still queued after {timeout}s:\n"
                                     + "\n".join("\t".join(map(str, r)) for r in self.sql(
                                         "SELECT id, recipient, state, attempts, last_error FROM outbox "
                                         "WHERE state IN ('pending', 'sending') LIMIT 5")))
            time.sleep(0.5)
        return time.time() - started

    # `clave users add` against `self.db`, the shared database's --db.
    add_user = App.add_user

    def add_secop_users(self, prefix: str, count: int) -> list:
        """`count` SECOP II users `PREFIX.N` <PREFIX.N@example.com>: one made by `clave users add`
        (a real password hash), the rest copied from it in one INSERT ... SELECT, every column but
        the id, user name and email taken from that row. 1,000 `clave users add` would take
        minutes of password hashing that a reset request never looks at."""
        template = f"{prefix}.0"
        self.add_user("secop", "Plantilla-Clave-2026", username=template, email=f"{template}@example.com")
        if self.postgres:
            columns = [r[0] for r in self.sql("SELECT column_name FROM information_schema.columns "
                                              "WHERE table_name = 'users' ORDER BY ordinal_position")]
            series = f"generate_series(1, {count - 1}) AS g(n)"
        else:
            columns = [r[1] for r in self.sql("PRAGMA table_info(users)")]
            series = f"(WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {count - 1}) SELECT n FROM g) AS g"
        copied = [c for c in columns if c not in ("id", "username", "email")]
        name = f"'{prefix}.' || g.n"
        self.sql(f"INSERT INTO users (username, email, {', '.join(copied)}) "
                 f"SELECT {name}, {name} || '@example.com', {', '.join('t.' + c for c in copied)} "
                 f"FROM users t, {series} WHERE t.username = '{template}'")
        return [f"{prefix}.{n}" for n in range(count)]

    # Everything ------------------------------------------------------------------------------

    def destroy(self):
        """Stops everything this cluster started (nginx, nodes, SMTP, PostgreSQL), whatever state it
        is in; a second call does nothing."""
        if self.destroyed:
            return
        self.destroyed = True
        errors = []
        for step in ([lambda: self.nginx and self.nginx.stop()]
                     + [lambda n=n: self._stop_node(n) for n in self.nodes]
                     + [lambda: self.smtp and self.smtp.process.poll() is None and self.smtp.stop(),
                        lambda: self.postgres and self.postgres.destroy()]):
            try:
                step()
            except Exception as error:  # keep stopping the rest
                errors.append(error)
        if errors:
            raise errors[0]

    def _stop_node(self, node: Node):
        if node.alive():
            node.process.terminate()
            try:
                node.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                node.process.kill()
                node.process.wait()


def _exit_on_sigterm(signum, frame):
    """SIGTERM as SystemExit, so fixtures' finalizers and atexit stop the cluster."""
    raise SystemExit(128 + signum)


class LoadBalancer:
    """Debian's nginx terminating TLS (the test CA's certificate) and spreading requests round
    robin over the nodes, as README's "Several nodes" configures it."""

    def __init__(self, folder: Path, pki: TestPKI, port: int, upstreams: list, worker_connections: int = 1024):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.port = folder, port
        temp = "\n".join(f"    {kind}_temp_path {folder}/{kind};" for kind in
                         ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in upstreams)
        self.access_log = folder / "access.log"
        (folder / "nginx.conf").write_text(f"""
master_process off;
worker_processes 1;
error_log {folder}/error.log warn;
pid {folder}/nginx.pid;
events {{ worker_connections {worker_connections}; }}
http {{
    log_format upstreams '$msec $request_time $remote_addr "$request_method $uri" $status up=$upstream_addr '
                         'upstatus=$upstream_status "$http_user_agent"';
    access_log {self.access_log} upstreams;
{temp}
    upstream clave {{
{servers}
        keepalive 32;
        keepalive_timeout 10s;   # under Clave's 15 s idle close, so nginx never reuses a closing connection
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate     {pki.cert};
        ssl_certificate_key {pki.key};
        ssl_protocols TLSv1.2 TLSv1.3;

        location / {{
            proxy_pass http://clave;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Forwarded "";
            proxy_connect_timeout 2s;
            proxy_send_timeout 30s;
            proxy_read_timeout 30s;
            # A node that refuses the connection or times out is skipped; a POST already sent
            # to a node that then dies is not replayed on another (no non_idempotent).
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 3;
            add_header X-Clave-Upstream $upstream_addr always;
        }}
    }}
}}
""")
        self.process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                         "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        preexec_fn=_die_with_parent)
        wait_for_port(port, self.process, "nginx", folder / "error.log")

    def log_lines(self) -> int:
        """How many requests the access log holds (a mark to read the requests after it)."""
        return len(self.access_log.read_text().splitlines()) if self.access_log.exists() else 0

    def requests_since(self, mark: int) -> list:
        """The requests logged after `mark`, in the order nginx started them (a line is written
        when a request ends; its start is $msec - $request_time): (method, path, status, upstream)."""
        found = []
        for order, line in enumerate(self.access_log.read_text().splitlines()[mark:]):
            match = re.match(r'(\S+) (\S+) \S+ "(\S+) (\S+)" (\d+) up=(\S+) ', line)
            if match:
                started = round(float(match.group(1)) - float(match.group(2)), 3)
                found.append((started, order, match.group(3), match.group(4), int(match.group(5)), match.group(6)))
        return [entry[2:] for entry in sorted(found)]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
