"""A real TLS client (Python's ssl module) for the HTTPS live tests; one JSON line out.

  keepalive PORT CA N [--tls12]   N GETs of / on one connection
  resume PORT CA                  two connections, the second resuming the first's session
  hammer PORT CA SECONDS [DIR]    keep-alive connections in a loop; per connection: the
                                  certificate's serial and how many requests it answered.
                                  With DIR: appends each finished connection's serial to
                                  DIR/serials and stops when DIR/stop appears (SECONDS is then
                                  the limit), so a test acts mid-traffic however slowly this
                                  process started
  silent PORT BYTES               connect, send BYTES of a ClientHello, time until closed
  idle PORT CA                    finish the handshake, send nothing, time until closed
"""
import json
import os
import socket
import ssl
import sys
import time


def context(ca, tls12=False):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.set_alpn_protocols(["http/1.1"])
    if tls12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def get(conn, path="/"):
    conn.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise EOFError("closed before a response head")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            raise EOFError("closed mid-body")
        body += chunk
    return int(head.split(b" ")[1]), body[:length].decode()


def connect(port, ctx, session=None):
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    return ctx.wrap_socket(raw, server_hostname="localhost", session=session)


def main():
    mode = sys.argv[1]
    if mode == "keepalive":
        port, ca, n = int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
        with connect(port, context(ca, "--tls12" in sys.argv)) as conn:
            answers = [get(conn) for _ in range(n)]
            print(json.dumps({"version": conn.version(), "alpn": conn.selected_alpn_protocol(),
                              "cipher": conn.cipher()[0], "statuses": [a[0] for a in answers],
                              "bodies": [a[1] for a in answers]}))
    elif mode == "resume":
        port, ca = int(sys.argv[2]), sys.argv[3]
        ctx = context(ca)
        with connect(port, ctx) as first:
            get(first)  # TLS 1.3 tickets arrive after the handshake
            session = first.session
        with connect(port, ctx, session) as second:
            status, _ = get(second)
            print(json.dumps({"reused": second.session_reused, "status": status}))
    elif mode == "hammer":
        port, ca, seconds = int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
        folder = sys.argv[5] if len(sys.argv) > 5 else None
        ctx = context(ca)
        end = time.monotonic() + seconds
        connections, errors = [], []
        while time.monotonic() < end:
            if folder and os.path.exists(os.path.join(folder, "stop")):
                break
            try:
                with connect(port, ctx) as conn:
                    serial = conn.getpeercert()["serialNumber"]
                    served = 0
                    for _ in range(20):
                        status, _ = get(conn)
                        served += status == 200
                    connections.append({"serial": serial, "served": served})
                    if folder:
                        with open(os.path.join(folder, "serials"), "a") as f:
                            f.write(serial + "\n")
            except Exception as error:  # reported, never hidden
                errors.append(repr(error))
        print(json.dumps({"connections": connections, "errors": errors}))
    elif mode == "silent":
        port, count = int(sys.argv[2]), int(sys.argv[3])
        # The start of a TLS record carrying a ClientHello, never finished.
        hello = bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]) + bytes(32)
        raw = socket.create_connection(("127.0.0.1", port), timeout=30)
        start = time.monotonic()
        raw.sendall(hello[:count])
        closed = raw.recv(100) == b""
        print(json.dumps({"closed": closed, "seconds": time.monotonic() - start}))
    elif mode == "idle":
        port, ca = int(sys.argv[2]), sys.argv[3]
        raw = socket.create_connection(("127.0.0.1", port), timeout=30)
        conn = context(ca).wrap_socket(raw, server_hostname="localhost")
        start = time.monotonic()
        try:
            closed = conn.recv(100) == b""
        except (ssl.SSLError, ConnectionError):
            closed = True  # closed without close_notify: still closed
        print(json.dumps({"closed": closed, "seconds": time.monotonic() - start}))


main()
