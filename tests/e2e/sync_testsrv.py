"""sync_testsrv.py — This file contains the test side of the sync client's
end-to-end tests: a test PKI made with openssl on the spot, an HTTPS
server that speaks sync/PROTOCOL.md (stores by uuid in SQLite, answers
stored/duplicate/rejected, serves question sets), servers that misbehave on
purpose (500, captive-portal HTML, stall, 429/503, reply lost after commit,
truncated reply), and a TCP proxy that picks a fault per connection.

Python 3 standard library only.  Loopback addresses only.  It stands in for
the real aggregator (sync/agg, rost-agg) while that is being built; the
wire format is the same.
"""
import hashlib
import json
import os
import random
import re
import socket
import sqlite3
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ALLOWED = {"uuid", "set", "version", "mode", "lang", "proxy", "status",
           "period", "track", "care", "answers"}
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
PERIOD_RE = re.compile(r"^\d{4}-(W\d{2}|\d{2})$")


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_ca(d, name):
    """A CA and a server certificate for 127.0.0.1 signed by it."""
    key, crt = os.path.join(d, name + "-ca.key"), os.path.join(d, name + "-ca.pem")
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", crt,
         "-days", "2", "-subj", "/CN=Patientrost test CA " + name])
    skey = os.path.join(d, name + "-srv.key")
    csr = os.path.join(d, name + "-srv.csr")
    scrt = os.path.join(d, name + "-srv.pem")
    ext = os.path.join(d, name + "-ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    run(["openssl", "req", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", skey, "-out", csr,
         "-subj", "/CN=127.0.0.1"])
    run(["openssl", "x509", "-req", "-in", csr, "-CA", crt, "-CAkey", key,
         "-CAcreateserial", "-out", scrt, "-days", "2", "-extfile", ext])
    return crt, scrt, skey


def spki_pin(cert):
    """sha256//<base64> of the certificate's public key, for CURLOPT_PINNEDPUBLICKEY."""
    pub = subprocess.run(["openssl", "x509", "-in", cert, "-pubkey", "-noout"],
                         check=True, capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"],
                         input=pub, check=True, capture_output=True).stdout
    import base64
    return "sha256//" + base64.b64encode(hashlib.sha256(der).digest()).decode()


class Store:
    """The test aggregator's storage: one row per stored response."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.resends = 0          # uploads of a uuid already stored
        self.db = sqlite3.connect(path, check_same_thread=False)
        # No UNIQUE constraint on purpose: a double store would show.
        self.db.execute("CREATE TABLE IF NOT EXISTS resp(uuid TEXT, hash TEXT, body TEXT)")
        self.db.commit()

    def put(self, rec):
        h = hashlib.sha256(json.dumps(rec, sort_keys=True).encode()).hexdigest()
        with self.lock:
            row = self.db.execute("SELECT hash FROM resp WHERE uuid=?",
                                  (rec["uuid"],)).fetchone()
            if row:
                self.resends += 1
                return "duplicate" if row[0] == h else "conflict"
            self.db.execute("INSERT INTO resp VALUES(?,?,?)",
                            (rec["uuid"], h, json.dumps(rec)))
            self.db.commit()
            return "stored"

    def counts(self):
        with self.lock:
            total = self.db.execute("SELECT count(*) FROM resp").fetchone()[0]
            distinct = self.db.execute("SELECT count(DISTINCT uuid) FROM resp").fetchone()[0]
            uuids = {r[0] for r in self.db.execute("SELECT uuid FROM resp")}
        return total, distinct, uuids


def check_record(r):
    """Protocol shape of one response; returns a reason or None."""
    if not isinstance(r, dict) or set(r.keys()) != ALLOWED:
        return "members are not exactly the protocol's"
    if not isinstance(r["uuid"], str) or not UUID_RE.match(r["uuid"]):
        return "bad uuid"
    if r["mode"] not in ("kiosk", "phone") or r["status"] not in ("complete", "abandoned"):
        return "bad mode or status"
    if not isinstance(r["period"], str) or not PERIOD_RE.match(r["period"]):
        return "bad period"
    if not isinstance(r["answers"], list):
        return "bad answers"
    for a in r["answers"]:
        if not isinstance(a, dict) or "q" not in a or not (set(a) <= {"q", "a", "text"}):
            return "bad answer"
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "testagg"

    def log_message(self, *a):
        pass

    def send(self, code, obj, ctype="application/json", extra=None):
        body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length", "0"))
        if n > self.server.cfg["max_body"]:
            return None
        return self.rfile.read(n)

    def auth(self):
        h = self.headers.get("Authorization", "")
        tok = h[7:] if h.startswith("Bearer ") else None
        if tok not in self.server.cfg["tokens"]:
            self.send(401, {"error": "token", "message": "unknown or revoked token"})
            return False
        return True

    def do_GET(self):
        mode = self.server.cfg["mode"]
        if mode != "ok":
            return self.fault(mode, b"")
        if not self.auth():
            return
        sets_dir = self.server.cfg.get("sets_dir")
        if self.path == "/api/v1/sets":
            out = []
            for fn in sorted(os.listdir(sets_dir or ".")) if sets_dir else []:
                if fn.endswith(".json"):
                    data = open(os.path.join(sets_dir, fn), "rb").read()
                    j = json.loads(data)
                    sha = hashlib.sha256(data).hexdigest()
                    if self.server.cfg.get("sha_lie"):   # list and file differ
                        sha = hashlib.sha256(data + b" ").hexdigest()
                    item = {"id": j["id"], "version": j["version"], "sha256": sha}
                    if self.server.cfg.get("no_sha"):    # the member is optional
                        del item["sha256"]
                    out.append(item)
            return self.send(200, {"sets": out})
        m = re.match(r"^/api/v1/sets/([a-z0-9_-]+)/(\d+)$", self.path)
        if m and sets_dir:
            for fn in os.listdir(sets_dir):
                if fn.endswith(".json"):
                    data = open(os.path.join(sets_dir, fn), "rb").read()
                    j = json.loads(data)
                    if j["id"] == m.group(1) and j["version"] == int(m.group(2)):
                        return self.send(200, data)
        self.send(404, {"error": "not_found", "message": "no such set"})

    def fault(self, mode, body):
        if mode == "e500":
            return self.send(500, b"Internal Server Error", "text/plain")
        if mode == "captive":
            return self.send(200, b"<html><body>Logga in p\xc3\xa5 G\xc3\xa4st-WiFi</body></html>",
                             "text/html")
        if mode in ("e429", "e503"):
            return self.send(int(mode[1:]), {"error": "busy", "message": "try later"},
                             extra={"Retry-After": str(self.server.cfg.get("retry_after", 0))})
        if mode == "stall":
            time.sleep(self.server.cfg.get("stall_s", 5))
            return self.send(500, b"late", "text/plain")
        raise RuntimeError(mode)

    def do_POST(self):
        cfg = self.server.cfg
        body = self.read_body()
        if cfg["mode"] != "ok":
            return self.fault(cfg["mode"], body or b"")
        if not self.auth():
            return
        if self.path != "/api/v1/responses":
            return self.send(404, {"error": "not_found", "message": "no route"})
        if body is None:
            self.close_connection = True
            return self.send(413, {"error": "too_large", "message": "body over limit"},
                             extra={"Retry-After": "0"})
        cfg["bodies"].append(body) if "bodies" in cfg else None
        try:
            j = json.loads(body)
        except ValueError:
            return self.send(400, {"error": "json", "message": "malformed JSON"})
        if not isinstance(j, dict) or set(j) != {"protocol", "responses"} or j["protocol"] != 1:
            return self.send(400, {"error": "shape", "message": "not protocol 1"})
        if len(j["responses"]) > cfg["max_batch"]:
            return self.send(429, {"error": "batch", "message": "too many"},
                             extra={"Retry-After": "0"})
        results = []
        for r in j["responses"]:
            why = check_record(r)
            if why:
                return self.send(400, {"error": "shape", "message": why})
            st = cfg["store"].put(r)
            if st == "conflict":
                results.append({"uuid": r["uuid"], "status": "rejected", "reason": "conflict"})
            else:
                results.append({"uuid": r["uuid"], "status": st})
        ack = cfg.get("ack", "all")
        if ack == "foreign":          # acknowledges uuids it was not sent
            results = [{"uuid": "0badc0de-0000-4000-8000-%012d" % i, "status": "stored"}
                       for i in range(len(results))]
        elif ack == "half":           # answers only the first half
            results = results[: len(results) // 2]
        reply = json.dumps({"protocol": 1, "results": results}).encode()
        after = cfg.get("after_commit", "reply")
        if after == "drop":           # committed, but the reply is lost
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if after == "truncate":       # committed, half a reply arrives
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply[: len(reply) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send(200, reply)


class QuietServer(ThreadingHTTPServer):
    """Cut connections are the point of these tests: no tracebacks."""

    def handle_error(self, request, client_address):
        pass


def serve(cert, key, cfg, port=0):
    """Start an HTTPS server (TLS 1.2+) on 127.0.0.1 in a thread."""
    srv = QuietServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.cfg = cfg
    cfg.setdefault("mode", "ok")
    cfg.setdefault("max_body", 4 << 20)
    cfg.setdefault("max_batch", 1000)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    return srv, srv.server_address[1]


class FaultProxy:
    """TCP proxy: per connection, pick a fault by weight and a backend."""

    def __init__(self, routes, weights, seed):
        self.routes = routes              # fault name -> backend port or None
        self.weights = weights            # fault name -> weight
        self.rng = random.Random(seed)
        self.counts = {k: 0 for k in weights}
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.loop, daemon=True).start()

    def pick(self):
        with self.lock:
            names = list(self.weights)
            f = self.rng.choices(names, [self.weights[n] for n in names])[0]
            self.counts[f] += 1
            cut = self.rng.randint(300, 12000)
        return f, cut

    def loop(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.conn, args=(c,), daemon=True).start()

    def conn(self, c):
        f, cut = self.pick()
        if f == "refuse":                     # server down: reset at once
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            c.close()
            return
        if f == "tcp_stall":                  # accepts, then nothing
            time.sleep(3)
            c.close()
            return
        try:
            s = socket.create_connection(("127.0.0.1", self.routes[f]))
        except OSError:
            c.close()
            return
        limit = cut if f == "cut_body" else None
        done = threading.Event()
        up = {"bytes": 0}

        def pump(src, dst, lim, upstream):
            sent = 0
            try:
                while True:
                    data = src.recv(16384)
                    if not data:
                        break
                    if upstream:
                        up["bytes"] += len(data)
                    # cut_reply: once a whole upload went up (more than a
                    # handshake and a GET), the server's next bytes are its
                    # reply after the commit: drop them and cut.
                    if f == "cut_reply" and not upstream and up["bytes"] > 2500:
                        break
                    if lim is not None and sent + len(data) >= lim:
                        dst.sendall(data[: lim - sent])
                        break
                    dst.sendall(data)
                    sent += len(data)
            except OSError:
                pass
            done.set()

        threading.Thread(target=pump, args=(c, s, limit, True), daemon=True).start()
        threading.Thread(target=pump, args=(s, c, None, False), daemon=True).start()
        done.wait()
        for x in (c, s):
            try:
                x.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            x.close()
