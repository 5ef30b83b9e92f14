#!/usr/bin/env python3
"""Verifies a DKIM signature with dkimpy, an implementation independent of ours.

Usage: dkim_verify.py MESSAGE_FILE PUBLIC_KEY_BASE64
The public key is served to dkimpy through its dnsfunc hook instead of DNS, as the TXT record
the operator would publish. Prints "ok" and exits 0 when the signature verifies, else 1.
"""
import sys

import dkim


def main():
    message = open(sys.argv[1], "rb").read()
    record = ("v=DKIM1; k=rsa; p=" + sys.argv[2]).encode()

    def dnsfunc(name, timeout=5):
        return record

    ok = dkim.verify(message, dnsfunc=dnsfunc)
    print("ok" if ok else "fail")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
