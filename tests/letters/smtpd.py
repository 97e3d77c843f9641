#!/usr/bin/python3
"""smtpd.py — a real SMTP server for the letters tests (aiosmtpd from
Debian's python3-aiosmtpd) on 127.0.0.1: STARTTLS required (or TLS from
the start with --smtps, or no TLS at all with --plain to prove the client
refuses), AUTH LOGIN/PLAIN required with one user, and every accepted
message written to OUTDIR/NNNN.eml with its envelope in NNNN.rcpt.
Writes the port to --port-file when listening; runs until SIGTERM.
Usage: smtpd.py --outdir D --port-file F --cert C --key K --user U
                --password P [--port N] [--smtps | --plain]"""
import argparse, os, signal, ssl, sys, threading
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ap = argparse.ArgumentParser()
ap.add_argument("--outdir", required=True)
ap.add_argument("--port-file", required=True)
ap.add_argument("--cert", required=True)
ap.add_argument("--key", required=True)
ap.add_argument("--user", required=True)
ap.add_argument("--password", required=True)
ap.add_argument("--port", type=int, default=0)
ap.add_argument("--smtps", action="store_true")
ap.add_argument("--plain", action="store_true")
a = ap.parse_args()
os.makedirs(a.outdir, exist_ok=True)
lock = threading.Lock()


class Handler:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            n = len([f for f in os.listdir(a.outdir) if f.endswith(".eml")])
            base = os.path.join(a.outdir, "%04d" % (n + 1))
            with open(base + ".rcpt.tmp", "w") as f:
                f.write("\n".join(envelope.rcpt_tos) + "\n")
            os.rename(base + ".rcpt.tmp", base + ".rcpt")
            data = envelope.original_content or envelope.content
            if isinstance(data, str):
                data = data.encode()
            with open(base + ".eml.tmp", "wb") as f:
                f.write(data)
            os.rename(base + ".eml.tmp", base + ".eml")
        return "250 Message accepted for delivery"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login == a.user.encode()
          and auth_data.password == a.password.encode())
    # handled=False: aiosmtpd answers 535 itself on a wrong password.
    return AuthResult(success=ok, handled=False)


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(a.cert, a.key)
port = a.port or free_port()
kw = dict(hostname="127.0.0.1", port=port, authenticator=authenticator,
          auth_required=True)
if a.plain:
    kw.update(auth_require_tls=False)
elif a.smtps:
    # The connection is TLS from the first byte, but aiosmtpd only knows of
    # TLS it started itself (STARTTLS): let it offer AUTH here.
    kw.update(ssl_context=ctx, auth_require_tls=False)
else:
    kw.update(tls_context=ctx, require_starttls=True)
c = Controller(Handler(), **kw)
c.start()
tmp = a.port_file + ".tmp"
with open(tmp, "w") as f:
    f.write("%d\n" % port)
os.rename(tmp, a.port_file)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *x: stop.set())
signal.signal(signal.SIGINT, lambda *x: stop.set())
stop.wait()
c.stop()
sys.exit(0)
