#!/usr/bin/env python3
"""A real SMTP server for Clave's tests: aiosmtpd on 127.0.0.1, port chosen by the kernel.

Prints the port on the first line of stdout once it listens. Every accepted message is saved
in --dir as msg-NNNN.eml (the raw bytes after un-dot-stuffing) and msg-NNNN.json (envelope,
whether TLS was on, who authenticated). Every AUTH attempt is appended to auth.log with the
TLS state at that moment, so tests can prove AUTH only ever happens over TLS.

Faults: the file <dir>/faults holds one action per line; each DATA consumes the first line:
  ok | 421 | 451 | 550 | drop | slow
  (drop = close the connection instead of answering DATA; slow = wait 3 s, then accept)
"""
import argparse
import asyncio
import json
import os
import re
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, directory):
        self.directory = directory
        # A peer started again on the same folder (an SMTP outage in a test) numbers on from
        # the messages already there instead of overwriting them.
        numbers = [int(match.group(1)) for name in os.listdir(directory)
                   if (match := re.fullmatch(r"msg-(\d+)\.eml", name))]
        self.count = max(numbers, default=0)

    def next_fault(self):
        path = os.path.join(self.directory, "faults")
        try:
            with open(path) as f:
                lines = [line.strip() for line in f if line.strip()]
        except FileNotFoundError:
            return "ok"
        if not lines:
            return "ok"
        with open(path + ".tmp", "w") as f:
            f.write("\n".join(lines[1:]) + ("\n" if len(lines) > 1 else ""))
        os.replace(path + ".tmp", path)
        return lines[0]

    async def handle_DATA(self, server, session, envelope):
        fault = self.next_fault()
        if fault == "drop":
            server.transport.abort()
            return "421 4.3.0 dropped"
        if fault == "slow":
            await asyncio.sleep(3)
        elif fault == "421":
            return "421 4.3.2 service shutting down"
        elif fault == "451":
            return "451 4.3.0 try again later"
        elif fault == "550":
            return "550 5.1.1 mailbox unavailable"
        self.count += 1
        base = os.path.join(self.directory, "msg-%04d" % self.count)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "tls": over_tls(server, session),
            "auth": session.authenticated and str(getattr(session, "login_data", "")),
        }
        with open(base + ".json", "w") as f:
            json.dump(meta, f)
        os.replace(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 OK queued"


class NoEhloSMTP(SMTP):
    """A server from before RFC 1869: refuses EHLO, so clients must fall back to HELO."""

    async def smtp_EHLO(self, hostname):
        await self.push("502 5.5.1 EHLO not implemented")


def over_tls(server, session):
    """STARTTLS sets session.ssl; implicit TLS shows in the transport instead."""
    return session.ssl is not None or server.transport.get_extra_info("sslcontext") is not None


def make_authenticator(directory, user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        with open(os.path.join(directory, "auth.log"), "a") as f:
            f.write("%s tls=%d\n" % (mechanism, 1 if over_tls(server, session) else 0))
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode() and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False)
    return authenticate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--size", type=int, default=33554432)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--exclude-auth", action="append", default=[],
                        help="an AUTH mechanism not to offer (PLAIN, LOGIN)")
    parser.add_argument("--no-ehlo", action="store_true")
    args = parser.parse_args()

    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    handler = Handler(args.dir)
    authenticator = make_authenticator(args.dir, args.user, args.password) if args.user else None

    server_class = NoEhloSMTP if args.no_ehlo else SMTP

    def factory():
        return server_class(
            handler,
            hostname="peer.test",
            data_size_limit=args.size,
            tls_context=None if args.implicit_tls else context,
            require_starttls=bool(context) and not args.implicit_tls,
            auth_required=bool(args.user),
            # With implicit TLS every byte is encrypted, but aiosmtpd only counts STARTTLS as
            # TLS; the auth log still records the real state for the tests.
            auth_require_tls=not args.implicit_tls,
            authenticator=authenticator,
            auth_exclude_mechanism=args.exclude_auth,
        )

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        factory, host="127.0.0.1", port=args.port, ssl=context if args.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write("%d\n" % port)
    sys.stdout.flush()
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
