"""The multi-node benchmark (scripts/bench.d/multinode.sh): SECOP II's reset request ("Olvidé la
contraseña" POST) per second, with wrk, against one node directly, one node behind nginx, and
three nodes behind nginx, each on a fresh database (PostgreSQL, or a shared SQLite file with
CLAVE_MULTINODE_DB=sqlite) started by multinode.py's Cluster.

Every request names a user of its own (USERS of them, made in one INSERT ... SELECT) and
claims a client address of its own in X-Forwarded-For (10.x.y.z), which the nodes believe
because they trust 127.0.0.1, where wrk and nginx connect from: the figure is the cluster's,
not the rate limits'. The form cookie and CSRF token come from one GET and are good on every
node for two hours (the signed form token, a key in the database). Mail is not measured: the
nodes' SMTP URL points at a closed port, so the messages wait in the outbox.

Each answer is padded to at least 250 ms (UniformTiming), so a connection makes at most about
3.5 requests/s: CONNECTIONS sets how many wrk keeps open.
"""

import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from multinode import Cluster
from production import ProxiedClient

DATABASE = os.environ.get("CLAVE_MULTINODE_DB", "postgres")
DURATION = os.environ.get("MULTINODE_BENCH_DURATION", "10s")
CONNECTIONS = int(os.environ.get("MULTINODE_BENCH_CONNECTIONS", "256"))
USERS = int(os.environ.get("MULTINODE_BENCH_USERS", "40000"))

LUA = r"""
-- One reset request per call: a user name and a client address of its own.
local counter = 0
local offset = 0
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
function init(args)
  offset = tonumber(offset) or 0
end
function request()
  local n = (offset * 1000003 + counter) % USERS + 1
  counter = counter + 1
  local address = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  local body = "csrf=" .. CSRF .. "&usuario=bench." .. n
  return wrk.format("POST", "/secop/olvide-contrasena", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = COOKIE,
    ["X-Forwarded-For"] = address,
  }, body)
end
"""


def form_credentials(cluster):
    """A form cookie and its CSRF token from one GET through nginx."""
    client = ProxiedClient(cluster, "127.0.0.1")
    status, _, page = client.request("GET", "/secop/olvide-contrasena")
    assert status == 200, status
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    return cookie, csrf


def run_wrk(url: str, cookie: str, csrf: str, folder: Path) -> dict:
    script = folder / "reset.lua"
    script.write_text(f"USERS = {USERS - 1}\nCOOKIE = {cookie!r}\nCSRF = {urllib.parse.quote(csrf)!r}\n" + LUA)
    result = subprocess.run(["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", DURATION, "--timeout", "10s", "--latency",
                             "-s", str(script), url + "/secop/olvide-contrasena"], capture_output=True, text=True,
                            timeout=300)
    out = result.stdout
    if result.returncode != 0:
        raise RuntimeError(out + result.stderr)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rate": rate, "p50": p50, "p99": p99, "total": total, "bad": int(bad.group(1)) if bad else 0,
            "errors": errors.group(1) if errors else "none"}


def line(name: str, figures: dict) -> str:
    return (f"{name:<28} {figures['rate']:8.1f} requests/s   p50 {figures['p50']:>9}   p99 {figures['p99']:>9}   "
            f"({figures['total']} requests, non-2xx {figures['bad']}, socket errors {figures['errors']})")


def node_complaints(cluster, most: int = 6) -> list:
    """The nodes' warning and error lines, by message, most frequent first: what the non-2xx
    answers were."""
    counts, first = {}, {}
    for node in cluster.nodes:
        for text in cluster.log_path(node).read_text(errors="replace").splitlines():
            if "level=warning" in text or "level=error" in text:
                message = re.search(r'msg="([^"]*)"|msg=(\S+)', text)
                key = (message.group(1) or message.group(2)) if message else text[:80]
                counts[key] = counts.get(key, 0) + 1
                first.setdefault(key, text)
    ranked = sorted(counts.items(), key=lambda item: -item[1])[:most]
    return ([f"node log: {n} x {first[message][:300]}" for message, n in ranked]
            or ["node logs: no warnings"])


def retried_transactions(cluster) -> int:
    """The nodes' clave_store_retried_transactions_total, summed, from their admin listeners."""
    total = 0
    for node in cluster.nodes:
        with urllib.request.urlopen(f"http://127.0.0.1:{node.admin_port}/metrics", timeout=10) as answer:
            text = answer.read().decode()
        total += sum(int(float(n)) for n in re.findall(r"^clave_store_retried_transactions_total\{[^}]*\} (\S+)$", text, re.M))
    return total


def bench(nodes: int, direct: bool) -> list:
    cluster = Cluster(nodes=nodes, db=DATABASE, access_log=False, smtp=False, log_level="warning",
                      worker_connections=4096)
    try:
        cluster.add_secop_users("bench", USERS)
        cookie, csrf = form_credentials(cluster)
        folder = cluster.folder / "wrk"
        folder.mkdir()
        results = []
        if direct:
            figures = run_wrk(f"http://127.0.0.1:{cluster.nodes[0].port}", cookie, csrf, folder)
            results.append(line("1 node, direct", figures))
        figures = run_wrk(cluster.base_url.replace("localhost", "127.0.0.1"), cookie, csrf, folder)
        results.append(line(f"{nodes} node{'s' if nodes > 1 else ''} behind nginx", figures))
        sent = cluster.sql("SELECT COUNT(*) FROM outbox")[0][0]
        results.append(f"{'':<28} (outbox rows written: {sent}; transactions run again after a serialization "
                       f"failure, over the runs: {retried_transactions(cluster)})")
        if figures["bad"] not in ("0", 0):
            results += [f"{'':<28} {line}" for line in node_complaints(cluster)]
        return results
    finally:
        cluster.destroy()
        shutil.rmtree(cluster.folder, ignore_errors=True)


def main():
    print(f"POST /secop/olvide-contrasena, wrk -t 2 -c {CONNECTIONS} -d {DURATION}, distinct users and client "
          f"addresses, database {DATABASE}, binary {os.environ.get('CLAVE_BIN', '(swift build)')}")
    for text in bench(1, direct=True) + bench(3, direct=False):
        print(text)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
