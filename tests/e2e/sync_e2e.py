#!/usr/bin/env python3
"""sync_e2e.py — This file contains the sync client's end-to-end tests,
driven against real HTTPS on loopback with a test CA made here:

  e2e    kiosk store -> aggregator: every response arrives once with only
         the protocol's fields; question-set rollout (new version saved,
         broken version refused with the validator's message, a version
         the folder holds under another name skipped or, with other bytes,
         refused); rostctl sync on wrong input; a TLS 1.1-only server
         refused; pins (backup key alone passes, neither key is a TLS
         error); and "nothing identifying leaves": every byte
         the client handed to TLS is captured and searched for the planted
         names, phone numbers, personnummer, e-mail addresses and the unit.
  fault  >= 1,000 rounds through a proxy that refuses, cuts the request,
         loses the reply after the commit, answers 500 / captive-portal
         HTML / 429 / 503, stalls, or presents another CA's certificate,
         mixed with rounds with a wrong pin, a revoked token and a server
         that is down.  Then: every response exactly once, queue empty.

  agg    the same store -> aggregator run and the fault mix (1,000 rounds,
         SYNC_FAULT_ROUNDS) against the REAL aggregator, rost-agg
         (sync/agg), on SQLite or, with PR_AGG_TEST_DB=postgresql://...,
         on PostgreSQL; the phone follow-up's weekly call statistics go
         along every round and must end equal to the kiosk's, never
         doubled by a resend;
         rollout into a folder that holds the shipped sets rost-agg
         published (no copies saved, `rostctl sets`/`counts` load it, a
         differing same-version set refused, old duplicate copies load);
         faults at the TCP level (refuse, cut the request, cut the reply
         after the upload, stall, another CA) and from stand-in servers
         (500, captive portal, 429, 503); a revoked device's token.

  bench  10,000 queued responses synced to rost-agg (tests/bench/bench_sync).

usage: sync_e2e.py e2e|fault DRIVER OUTDIR
       sync_e2e.py agg DRIVER OUTDIR ROST_AGG
       sync_e2e.py bench BENCH_SYNC OUTDIR ROST_AGG
(ROSTCTL from the environment or next to the driver's build tree)
"""
import datetime
import json
import os
import shutil
import socket
import sqlite3
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sync_testsrv as ts  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOKEN = "dev-token-kiosk1-0123456789abcdef0123456789abcdef"
REVOKED = "dev-token-revoked-fedcba9876543210fedcba98765432"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


# A port that stays down for the whole test: bound but never listening, so
# a connection is refused and no other test's server can take the port
# meanwhile (a port merely found free and closed was once taken by a parallel test's
# server, and the "down" rounds met its certificate instead).
_DOWN = []


def down_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    _DOWN.append(s)
    return s.getsockname()[1]


def setup(out):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    ca1, crt1, key1 = ts.make_ca(out, "good")
    ca2, crt2, key2 = ts.make_ca(out, "other")
    with open(os.path.join(out, "token"), "w") as f:
        f.write(TOKEN + "\n")
    with open(os.path.join(out, "revoked"), "w") as f:
        f.write(REVOKED + "\n")
    return (ca1, crt1, key1), (ca2, crt2, key2)


def write_config(out, name, ca, extra="", token="token"):
    p = os.path.join(out, name)
    with open(p, "w") as f:
        f.write("# sync test config\nsync_url = https://127.0.0.1:1\n"
                "sync_token_file = %s\nsync_ca_file = %s\n"
                "sync_connect_timeout_ms = 1000\nsync_timeout_ms = 1000\n"
                "sync_low_speed_bytes = 1000\nsync_low_speed_time_s = 1\n%s"
                % (os.path.join(out, token), ca, extra))
    return p


def driver(drv, args, timeout=900):
    t0 = time.time()
    r = subprocess.run([drv] + args, capture_output=True, text=True,
                       timeout=timeout)
    sys.stdout.write(r.stdout)
    if r.returncode != 0:
        sys.stdout.write(r.stderr[-4000:])
        fail("driver exited %d" % r.returncode)
    return time.time() - t0


def check_exactly_once(store, uuids_file):
    created = [l.strip() for l in open(uuids_file) if l.strip()]
    total, distinct, have = store.counts()
    lost = len(set(created) - have)
    dup = total - distinct
    extra = len(have - set(created))
    return created, total, lost, dup, extra


def rostctl_path(drv):
    env = os.environ.get("ROSTCTL")
    if env:
        return env
    p = os.path.join(os.path.dirname(os.path.dirname(drv)), "survey", "rostctl")
    return p if os.path.exists(p) else None


def test_e2e(drv, out):
    (ca1, crt1, key1), (ca2, crt2, key2) = setup(out)
    store = ts.Store(os.path.join(out, "agg.db"))
    sets = os.path.join(out, "srv-sets")
    os.makedirs(sets)
    # The server publishes the next version of the kiosk set (R, shipped + 1).
    j = json.load(open(os.path.join(ROOT, "assets/surveys/kiosk-besok.json")))
    R = j["version"] + 1
    j["version"] = R
    with open(os.path.join(sets, "kiosk-besok.json"), "w") as f:
        json.dump(j, f, ensure_ascii=False, indent=1)
    cfg = {"tokens": {TOKEN}, "store": store, "sets_dir": sets}
    srv, port = ts.serve(crt1, key1, cfg)
    url = "https://127.0.0.1:%d" % port
    kiosk_sets = os.path.join(out, "kiosk-sets")
    os.makedirs(kiosk_sets)
    conf = write_config(out, "kiosk.conf", ca1,
                        "sync_sets_dir = %s\nsync_batch = 7\n" % kiosk_sets)
    tap = os.path.join(out, "sent.bin")
    uuids = os.path.join(out, "uuids")
    db = os.path.join(out, "kiosk.db")

    # 1. 60 responses, planted identifiers, synced directly in batches of 7.
    driver(drv, ["--store", db, "--config", conf, "--uuids", uuids,
                 "--direct-url", url, "--rounds", "3", "--initial", "60",
                 "--add-max", "2", "--tap", tap, "--plant", "1",
                 "--spread-days", "42"])
    created, total, lost, dup, extra = check_exactly_once(store, uuids)
    print("e2e: created %d, stored %d, lost %d, duplicated %d"
          % (len(created), total, lost, dup))
    if lost or dup or extra or total != len(created):
        fail("aggregator does not hold every response exactly once")
    rows = store.db.execute("SELECT body FROM resp").fetchall()
    phones = 0
    periods = set()
    for (b,) in rows:
        r = json.loads(b)
        if set(r) != ts.ALLOWED:
            fail("record has other fields: %s" % sorted(r))
        # Six weeks offline: visits from 2026-10-14 to 2026-11-24.
        if not re.match(r"^2026-W(4[2-8])$", r["period"]):
            fail("period is %s, want an ISO week 2026-W42..W48" % r["period"])
        periods.add(r["period"])
        if r["mode"] == "phone":
            phones += 1
            if r["track"] not in ("gron", "gul", "rod") or \
                    r["care"] not in ("somatisk", "psykiatrisk"):
                fail("phone record without track/care")
        elif r["track"] is not None or r["care"] is not None:
            fail("kiosk record carries phone fields")
    if phones < 5:
        fail("too few phone interviews in the run (%d)" % phones)
    if len(periods) < 5:
        fail("responses from six weeks landed in only %d weeks" % len(periods))
    print("periods: %s" % ", ".join(sorted(periods)))
    # Rollout: version R saved next to the kiosk's sets, byte for byte.
    saved = os.path.join(kiosk_sets, "kiosk-besok.v%d.json" % R)
    if not os.path.exists(saved):
        fail("new set version was not saved")
    if open(saved, "rb").read() != open(os.path.join(sets, "kiosk-besok.json"), "rb").read():
        fail("saved set differs from the published one")
    if [f for f in os.listdir(kiosk_sets) if "tmp" in f]:
        fail("temp file left in the sets directory")
    # A list without sha256: the version the folder holds (under any file
    # name) is compared with the server's copy; the same bytes are nothing
    # to do, other bytes are refused and the local file stays.
    rc = rostctl_path(drv)
    if not rc:
        fail("rostctl not found (set ROSTCTL)")
    cfg["no_sha"] = True
    local = os.path.join(out, "kiosk-sets-nosha")
    os.makedirs(local)
    shutil.copyfile(saved, os.path.join(local, "kiosk-besok-local.json"))
    nosha = [rc, "sync", "--store", db, "--url", url, "--token-file",
             os.path.join(out, "token"), "--ca", ca1, "--sets", local]
    r = subprocess.run(nosha, capture_output=True, text=True)
    print("rostctl sync (no sha256, same bytes): exit %d\n%s" % (r.returncode, r.stdout))
    if r.returncode != 0 or "new question-set versions 0" not in r.stdout or \
            os.listdir(local) != ["kiosk-besok-local.json"]:
        fail("a set version the folder holds was saved again")
    with open(os.path.join(local, "kiosk-besok-local.json"), "a") as f:
        f.write("\n")
    r = subprocess.run(nosha, capture_output=True, text=True)
    print("rostctl sync (no sha256, other bytes): exit %d\n%s" % (r.returncode, r.stderr[-600:]))
    if r.returncode != 1 or "holds other content" not in r.stderr or \
            os.listdir(local) != ["kiosk-besok-local.json"]:
        fail("a differing set under the same id and version was not refused")
    cfg["no_sha"] = False

    # 2. Nothing identifying leaves: search every byte sent.
    sent = open(tap, "rb").read()
    if len(sent) < 10000 or b"POST /api/v1/responses" not in sent:
        fail("capture is empty or has no upload (%d bytes)" % len(sent))
    planted = ["19121212-1212", "191212121212", "1212121212", "070-174 06 05",
               "0701740605", "701740605", "karin.lindqvist", "example.se",
               "08-123 456 78", "194503152383", "4503152383", "+46 70 174 06 07",
               "+46701740607", "850769-4237", "031-12 34 56", "Lindqvist",
               "Karin", "Bengt", "\u00c5kesson", "SE2321000032", "TEST01",
               "2026-11-24", "2026-11-20"]
    leaks = [p for p in planted if p.encode() in sent]
    print("leak check: %d bytes sent, %d planted identifiers searched, %d found"
          % (len(sent), len(planted), len(leaks)))
    if leaks:
        fail("identifying data left the kiosk: %s" % leaks)
    if b"[personnummer]" not in sent or b"[telefon]" not in sent or b"[e-post]" not in sent:
        fail("scrubbed markers missing from the upload")

    # 3. A broken set version is refused with the validator's message.
    bad = dict(j)
    bad["version"] = R + 1
    bad["questions"] = [dict(q) for q in j["questions"]]
    bad["questions"][0]["type"] = "nonsense"
    with open(os.path.join(sets, "kiosk-besok-v%d.json" % (R + 1)), "w") as f:
        json.dump(bad, f)
    rc = rostctl_path(drv)
    if rc:
        with sqlite3.connect(db) as con:
            con.execute("UPDATE meta SET value='0' WHERE key='sync_last_ok'")
        r = subprocess.run([rc, "sync", "--store", db, "--url", url, "--token-file",
                            os.path.join(out, "token"), "--ca", ca1, "--sets", kiosk_sets],
                           capture_output=True, text=True)
        print("rostctl sync (broken set): exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
        if r.returncode != 1 or "kiosk-besok v%d refused" % (R + 1) not in r.stderr:
            fail("broken set not refused with a message")
        # ... but the round's uploads went, so it counts as a contact: the
        # kiosk shows the refusal without backing off.
        with sqlite3.connect(db) as con:
            last = con.execute("SELECT value FROM meta WHERE key='sync_last_ok'").fetchone()
        if not last or int(last[0]) <= 0:
            fail("a refused set made the round count as no contact (sync_last_ok %r)" % (last,))
        if os.path.exists(os.path.join(kiosk_sets, "kiosk-besok.v%d.json" % (R + 1))):
            fail("broken set was saved")
        os.unlink(os.path.join(sets, "kiosk-besok-v%d.json" % (R + 1)))
        # A set whose bytes do not match the list's SHA-256 is not saved.
        good4 = dict(j)
        good4["version"] = R + 2
        with open(os.path.join(sets, "kiosk-besok-v%d.json" % (R + 2)), "w") as f:
            json.dump(good4, f, ensure_ascii=False)
        cfg["sha_lie"] = True
        r = subprocess.run([rc, "sync", "--store", db, "--url", url, "--token-file",
                            os.path.join(out, "token"), "--ca", ca1, "--sets", kiosk_sets],
                           capture_output=True, text=True)
        cfg["sha_lie"] = False
        print("rostctl sync (sha mismatch): exit %d\n%s" % (r.returncode, r.stderr))
        if r.returncode != 1 or "sha256 does not match" not in r.stderr or \
                os.path.exists(os.path.join(kiosk_sets, "kiosk-besok.v%d.json" % (R + 2))):
            fail("a set not matching its SHA-256 was accepted")
        os.unlink(os.path.join(sets, "kiosk-besok-v%d.json" % (R + 2)))
        # Wrong input is named.
        r = subprocess.run([rc, "sync", "--store", db, "--url", "http://127.0.0.1:1",
                            "--token-file", "x"], capture_output=True, text=True)
        if r.returncode != 2 or "https://" not in r.stderr:
            fail("rostctl sync accepted an http:// URL")
        # TLS 1.2 is the floor, set by the client itself.
        tls_floor(rc, out, ca1, crt1, key1, db)
        # Pins: the backup key alone is enough (the server's key was
        # rotated to it); neither key is a TLS error.
        dummy = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
        for pins, want in ((dummy + ";" + ts.spki_pin(crt1), 0),
                           (dummy + ";" + dummy.replace("A", "B"), 1)):
            r = subprocess.run([rc, "sync", "--store", db, "--url", url, "--token-file",
                                os.path.join(out, "token"), "--ca", ca1, "--pins", pins],
                               capture_output=True, text=True)
            print("rostctl sync (pins %s): exit %d" % ("backup matches" if want == 0
                                                     else "none match", r.returncode))
            if r.returncode != want or (want and "TLS error" not in r.stderr):
                fail("pins %s: exit %d, %s" % (pins, r.returncode, r.stderr[-300:]))
        # A revoked token is reported as such.
        r = subprocess.run([rc, "sync", "--store", db, "--url", url, "--token-file",
                            os.path.join(out, "revoked"), "--ca", ca1],
                           capture_output=True, text=True)
        print("rostctl sync (revoked): exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
        if r.returncode != 1 or "token revoked/unknown" not in r.stderr:
            fail("revoked token not reported")
        # Captive portal: a 200 with HTML acknowledges nothing.
        cap_cfg = {"tokens": {TOKEN}, "store": store, "mode": "captive"}
        csrv, cport = ts.serve(crt1, key1, cap_cfg)
        driver(drv, ["--store", db, "--config", conf, "--uuids", uuids,
                     "--direct-url", url, "--rounds", "0", "--initial", "3",
                     "--drain", "0"])
        r = subprocess.run([rc, "sync", "--store", db, "--url",
                            "https://127.0.0.1:%d" % cport, "--token-file",
                            os.path.join(out, "token"), "--ca", ca1],
                           capture_output=True, text=True)
        print("rostctl sync (captive portal): exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
        if r.returncode != 1 or "not an aggregator reply" not in r.stderr or "queue 3" not in r.stdout:
            fail("captive portal page was taken for success")
        csrv.shutdown()
        # 429 with Retry-After: the wait is reported (the worker uses it as
        # the minimum delay; see test_sync_backoff).
        bsrv, bport = ts.serve(crt1, key1, {"tokens": {TOKEN}, "store": store,
                                            "mode": "e429", "retry_after": 120})
        r = subprocess.run([rc, "sync", "--store", db, "--url",
                            "https://127.0.0.1:%d" % bport, "--token-file",
                            os.path.join(out, "token"), "--ca", ca1],
                           capture_output=True, text=True)
        print("rostctl sync (429): exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
        if r.returncode != 1 or "retry after 120 s" not in r.stdout:
            fail("Retry-After of a 429 not taken")
        # The same when the queue is empty and the set list is the only
        # request (most rounds).
        driver(drv, ["--store", os.path.join(out, "empty.db"), "--config", conf,
                     "--uuids", os.path.join(out, "empty-uuids"), "--direct-url", url,
                     "--rounds", "0", "--initial", "0", "--drain", "0"])
        r = subprocess.run([rc, "sync", "--store", os.path.join(out, "empty.db"),
                            "--url", "https://127.0.0.1:%d" % bport, "--token-file",
                            os.path.join(out, "token"), "--ca", ca1],
                           capture_output=True, text=True)
        print("rostctl sync (429 on the set list): exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
        if r.returncode != 1 or "retry after 120 s" not in r.stdout:
            fail("Retry-After of a 429 to the set list not taken")
        bsrv.shutdown()
        # A reply that names uuids that were not sent marks nothing; a reply
        # that answers half the batch marks exactly that half.
        fsrv, fport = ts.serve(crt1, key1, {"tokens": {TOKEN}, "store": ts.Store(
            os.path.join(out, "foreign.db")), "ack": "foreign"})
        args = [rc, "sync", "--store", db, "--url", "https://127.0.0.1:%d" % fport,
                "--token-file", os.path.join(out, "token"), "--ca", ca1]
        r = subprocess.run(args, capture_output=True, text=True)
        print("rostctl sync (foreign uuids): exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
        if r.returncode != 1 or "acknowledged none" not in r.stderr or "queue 3" not in r.stdout:
            fail("a reply naming other uuids was taken as an acknowledgement")
        fsrv.shutdown()
        hsrv, hport = ts.serve(crt1, key1, {"tokens": {TOKEN}, "store": store, "ack": "half"})
        args[5] = "https://127.0.0.1:%d" % hport
        r = subprocess.run(args, capture_output=True, text=True)
        print("rostctl sync (half acknowledged): exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
        # 3 queued: the first request stores 3 and acknowledges 1; the next
        # sends 2 (duplicates now) and gets 1 back; the last sends 1 and gets
        # none: exactly 2 marked, 1 left for later.
        if "stored 1, duplicates 1" not in r.stdout or "queue 1" not in r.stdout:
            fail("a partly answered batch was not marked exactly")
        hsrv.shutdown()
        # 413: the client halves its batches until they fit.
        small = {"tokens": {TOKEN}, "store": store, "sets_dir": sets, "max_body": 4000}
        ssrv, sport = ts.serve(crt1, key1, small)
        driver(drv, ["--store", db, "--config", conf, "--uuids", uuids,
                     "--direct-url", url, "--rounds", "0", "--initial", "30",
                     "--drain", "0"])
        r = subprocess.run([rc, "sync", "--store", db, "--url",
                            "https://127.0.0.1:%d" % sport, "--token-file",
                            os.path.join(out, "token"), "--ca", ca1],
                           capture_output=True, text=True)
        print("rostctl sync (413 limit): exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr[-500:]))
        if r.returncode != 0 or "queue 0" not in r.stdout or "stored 30" not in r.stdout \
                or "requests 1," in r.stdout:
            fail("413 did not lead to smaller batches that all got through")
        ssrv.shutdown()
        # The network is back: the three go, once.
        created, total, lost, dup, extra = check_exactly_once(store, uuids)
        if lost or dup or extra:
            fail("after the captive portal the queue did not drain exactly once")
    else:
        fail("rostctl not found (set ROSTCTL)")

    # 4. The kiosk's sync thread: 8 s through faults while patients keep
    # answering, then the network is back; every response once.
    csrv, cport = ts.serve(crt1, key1, {"tokens": {TOKEN}, "store": store,
                                        "mode": "e503"})
    _, wrong = ts.serve(crt2, key2, {"tokens": {TOKEN}, "store": store})
    proxy = ts.FaultProxy({"pass": port, "cut_body": port, "e503": cport,
                           "wrong_cert": wrong},
                          {"pass": 2, "refuse": 2, "cut_body": 2, "e503": 2,
                           "wrong_cert": 2}, seed=5)
    driver(drv, ["--store", db, "--config", conf, "--uuids", uuids,
                 "--direct-url", url, "--proxy-url",
                 "https://127.0.0.1:%d" % proxy.port, "--worker-secs", "8",
                 "--revoked-token", os.path.join(out, "revoked")])
    created, total, lost, dup, extra = check_exactly_once(store, uuids)
    print("worker: created %d, stored %d, lost %d, duplicated %d"
          % (len(created), total, lost, dup))
    if lost or dup or extra or total != len(created):
        fail("after the worker run the aggregator does not hold every response once")
    srv.shutdown()
    print("sync e2e: ok")


def test_fault(drv, out, rounds=1000):
    (ca1, crt1, key1), (ca2, crt2, key2) = setup(out)
    store = ts.Store(os.path.join(out, "agg.db"))
    base = {"tokens": {TOKEN}, "store": store}
    srv, port = ts.serve(crt1, key1, dict(base))
    routes = {"pass": port}
    for mode in ("e500", "captive", "e429", "e503", "stall"):
        _, routes[mode] = ts.serve(crt1, key1, dict(base, mode=mode, stall_s=3))
    _, routes["lost_reply"] = ts.serve(crt1, key1, dict(base, after_commit="drop"))
    _, routes["truncated"] = ts.serve(crt1, key1, dict(base, after_commit="truncate"))
    _, routes["wrong_cert"] = ts.serve(crt2, key2, dict(base))
    routes["cut_body"] = port
    weights = {"pass": 40, "refuse": 6, "cut_body": 8, "lost_reply": 8,
               "truncated": 5, "e500": 5, "captive": 5, "e429": 4, "e503": 4,
               "stall": 2, "tcp_stall": 1, "wrong_cert": 5}
    proxy = ts.FaultProxy(routes, weights, seed=20261124)
    pin_good = ts.spki_pin(crt1)
    conf = write_config(out, "kiosk.conf", ca1,
                        "sync_pins = %s;sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
                        "sync_batch = 40\n" % pin_good)
    uuids = os.path.join(out, "uuids")
    t = driver(drv, ["--store", os.path.join(out, "kiosk.db"), "--config", conf,
                     "--uuids", uuids, "--rounds", str(rounds), "--seed", "7",
                     "--initial", "300", "--add-max", "3",
                     "--proxy-url", "https://127.0.0.1:%d" % proxy.port,
                     "--direct-url", "https://127.0.0.1:%d" % port,
                     "--down-url", "https://127.0.0.1:%d" % down_port(),
                     "--revoked-token", os.path.join(out, "revoked"),
                     "--bad-pin", "sha256//BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="])
    print("proxy faults drawn: " + ", ".join("%s %d" % kv for kv in sorted(proxy.counts.items())))
    created, total, lost, dup, extra = check_exactly_once(store, uuids)
    print("rounds %d, responses %d, lost %d, duplicated %d (%.1f s; "
          "%d resends answered duplicate)"
          % (rounds, len(created), lost, dup, t, store.resends))
    if lost or dup or extra or total != len(created):
        fail("aggregator does not hold every response exactly once")
    if store.resends == 0:
        fail("no reply was lost after a commit; the test proved nothing")
    for f in ("lost_reply", "cut_body", "captive", "wrong_cert", "e500"):
        if proxy.counts[f] < rounds // 100:
            fail("fault %s drawn only %d times" % (f, proxy.counts[f]))
    print("sync fault: ok")


class AggDB:
    """The aggregator's database: a SQLite file, or the PostgreSQL database
    named by PR_AGG_TEST_DB (pg.sh rundb makes a fresh one per test)."""

    def __init__(self, out):
        self.pg = os.environ.get("PR_AGG_TEST_DB", "")
        self.path = os.path.join(out, "agg.db")
        self.url = self.pg if self.pg else "sqlite:" + self.path

    def rows(self, sql):
        if self.pg:
            r = subprocess.run(["psql", "-tA", "-F", "|", self.pg, "-c", sql],
                               capture_output=True, text=True, check=True)
            return [tuple(l.split("|")) for l in r.stdout.splitlines() if l]
        con = sqlite3.connect(self.path)
        try:
            return [tuple("" if v is None else str(v) for v in row)
                    for row in con.execute(sql)]
        finally:
            con.close()


def agg_start(agg, out, crt, key):
    db = AggDB(out)

    def enrol(name):
        r = subprocess.run([agg, "enrol", "--token", "--unit", "SE2321000032-TEST01",
                            "--name", name, "--db", db.url], capture_output=True,
                           text=True, check=True)
        dev = re.search(r"Enhet (\S+) registrerad", r.stderr).group(1)
        return r.stdout.strip(), dev

    token, _ = enrol("kiosk1")
    revoked, dev2 = enrol("kiosk2")
    token3, dev3 = enrol("kiosk3")
    subprocess.run([agg, "revoke", dev2, "--db", db.url], check=True,
                   capture_output=True)
    for name, tok in (("token", token), ("revoked", revoked), ("token3", token3)):
        with open(os.path.join(out, name), "w") as f:
            f.write(tok + "\n")
    db.dev3 = dev3
    pf = os.path.join(out, "agg.port")
    log = open(os.path.join(out, "agg.log"), "w")
    proc = subprocess.Popen([agg, "serve", "--db", db.url, "--listen", "127.0.0.1:0",
                             "--cert", crt, "--key", key, "--sets-dir",
                             os.path.join(ROOT, "assets", "surveys"),
                             "--port-file", pf], stdout=log, stderr=log)
    for _ in range(200):
        if os.path.exists(pf):
            break
        if proc.poll() is not None:
            fail("rost-agg exited: see " + log.name)
        time.sleep(0.05)
    return proc, int(open(pf).read()), db


def agg_counts(db, uuids_file):
    created = [l.strip() for l in open(uuids_file) if l.strip()]
    rows = [r[0] for r in db.rows("SELECT uuid FROM responses")]
    answers = int(db.rows("SELECT count(*) FROM answers")[0][0])
    have = set(rows)
    return created, len(rows), len(set(created) - have), len(rows) - len(have), answers


CALL_ITEMS = ("entries", "attempts", "sip_offered", "sip_accepted", "complete",
              "partial", "refused", "noanswer", "busy", "voicemail",
              "wrongnumber", "callback", "deceased", "readmitted", "language",
              "unable", "notreached")


def call_stats_equal(db, device, kiosk_db):
    """The aggregator's call statistics of device, per week and item, equal
    the kiosk store's (whatever resends the faults caused)."""
    con = sqlite3.connect(kiosk_db)
    mine = {}
    for week, item, n in con.execute("SELECT week, item, SUM(n) FROM call_stat "
                                     "GROUP BY week, item"):
        if n:
            mine[(week, item)] = n
    con.close()
    theirs = {}
    for row in db.rows("SELECT week_start, %s FROM callstats WHERE device = '%s'"
                       % (", ".join(CALL_ITEMS), device)):
        monday = int(row[0])
        iso = (datetime.date(1970, 1, 1) + datetime.timedelta(days=monday)).isocalendar()
        week = "%04d-W%02d" % (iso[0], iso[1])
        for item, n in zip(CALL_ITEMS, row[1:]):
            if int(n):
                theirs[(week, item)] = int(n)
    return mine, theirs


def agg_metric(port, ca, name):
    import ssl
    import urllib.request
    ctx = ssl.create_default_context(cafile=ca)
    body = urllib.request.urlopen("https://127.0.0.1:%d/metrics" % port,
                                  context=ctx, timeout=5).read().decode()
    m = re.search(r"^%s(?:\{[^}]*\})? (\d+)" % re.escape(name), body, re.M)
    return int(m.group(1)) if m else -1


def tls_floor(rc, out, ca, crt, key, db):
    """The kiosk refuses a server that speaks only TLS 1.1, even where the
    system's OpenSSL would allow it (OPENSSL_CONF with SECLEVEL=0 and
    MinProtocol TLSv1): CURLOPT_SSLVERSION is what refuses, not Debian's
    defaults (which refuse TLS 1.1 on their own, so a test without the
    weak config could not fail)."""
    import http.server
    import ssl
    import threading
    import warnings
    warnings.simplefilter("ignore", DeprecationWarning)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    ctx.load_cert_chain(crt, key)
    srv = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    weak = os.path.join(out, "weak-openssl.cnf")
    with open(weak, "w") as f:
        f.write("openssl_conf = openssl_init\n[openssl_init]\nssl_conf = ssl_sect\n"
                "[ssl_sect]\nsystem_default = sd\n[sd]\nMinProtocol = TLSv1\n"
                "CipherString = DEFAULT:@SECLEVEL=0\n")
    try:
        # Control: the server is up and really speaks TLS 1.1.
        cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        cctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        cctx.minimum_version = ssl.TLSVersion.TLSv1
        cctx.load_verify_locations(ca)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            with cctx.wrap_socket(sock, server_hostname="127.0.0.1") as tls:
                if tls.version() != "TLSv1.1":
                    fail("test server negotiated %s, not TLSv1.1" % tls.version())
        env = dict(os.environ, OPENSSL_CONF=weak)
        r = subprocess.run([rc, "sync", "--store", db, "--url",
                            "https://127.0.0.1:%d" % port, "--token-file",
                            os.path.join(out, "token"), "--ca", ca],
                           capture_output=True, text=True, env=env)
        print("rostctl sync (TLS 1.1 server, weak OpenSSL config): exit %d\n%s"
              % (r.returncode, r.stderr[-400:]))
        if r.returncode != 1 or "TLS error" not in r.stderr:
            fail("the sync client talked to a TLS 1.1 server")
    finally:
        srv.shutdown()


def run(args):
    r = subprocess.run(args, capture_output=True, text=True)
    return r


def shipped_rollout(rc, url, out, ca, db):
    """rost-agg publishes the shipped sets at first start; a kiosk whose
    sets folder holds those very files must not save copies of them (a
    folder with the same id and version twice was refused by `rostctl
    sets`, `rostctl counts` and `rost-phone --sets`), must refuse a server
    set that differs under the same id and version, and a folder an older
    kiosk already filled with identical copies must still load."""
    shipped_src = os.path.join(ROOT, "assets", "surveys")
    names = sorted(f for f in os.listdir(shipped_src) if f.endswith(".json"))
    sync = [rc, "sync", "--store", db, "--url", url, "--token-file",
            os.path.join(out, "token"), "--ca", ca, "--sets"]

    def check_loads(d, want_warn):
        r = run([rc, "sets", d])
        print("rostctl sets %s: exit %d\n%s%s" % (os.path.basename(d), r.returncode,
                                                 r.stdout, r.stderr))
        if r.returncode != 0:
            fail("rostctl sets refuses %s: %s" % (d, r.stderr.strip()))
        if len(r.stdout.strip().splitlines()) != len(names):
            fail("rostctl sets %s lists %d sets, want %d"
                 % (d, len(r.stdout.strip().splitlines()), len(names)))
        if want_warn != ("qset.duplicate_copy" in r.stderr):
            fail("duplicate-copy warning %s for %s"
                 % ("missing" if want_warn else "unexpected", d))
        r = run([rc, "counts", "--store", db, "--sets", d])
        if r.returncode != 0 or "complete" not in r.stdout:
            fail("rostctl counts refuses %s: %s" % (d, r.stderr.strip()))

    # 1. The folder holds exactly the shipped files.
    d = os.path.join(out, "kiosk-shipped")
    shutil.copytree(shipped_src, d)
    before = sorted(os.listdir(d))
    for _ in range(2):
        r = run(sync + [d])
        print("rostctl sync (shipped sets folder): exit %d\n%s%s"
              % (r.returncode, r.stdout, r.stderr[-1500:]))
        if r.returncode != 0 or "new question-set versions 0" not in r.stdout:
            fail("sync into the shipped sets folder failed or saved copies")
    if sorted(os.listdir(d)) != before:
        fail("sync added files next to the shipped sets: %s"
             % sorted(set(os.listdir(d)) - set(before)))
    check_loads(d, False)

    # 2. A local file with other bytes under the same id and version: the
    # server's copy is refused, named, and the local file stays.
    d = os.path.join(out, "kiosk-conflict")
    shutil.copytree(shipped_src, d)
    kb = os.path.join(d, "kiosk-besok.json")
    j = json.load(open(kb))
    j["title"]["sv"] = j["title"]["sv"] + " (lokalt ändrad)"
    with open(kb, "w") as f:
        json.dump(j, f, ensure_ascii=False, indent=1)
    mine = open(kb, "rb").read()
    r = run(sync + [d])
    print("rostctl sync (same version, other content): exit %d\n%s%s"
          % (r.returncode, r.stdout, r.stderr[-1500:]))
    if r.returncode != 1 or "holds other content under the same id and version" \
            not in r.stderr or "kiosk-besok.json" not in r.stderr:
        fail("a server set differing under the same id and version was not refused")
    if "sync.set_conflict" not in r.stderr:
        fail("the set conflict was not logged")
    if open(kb, "rb").read() != mine or sorted(os.listdir(d)) != before:
        fail("a conflicting set overwrote or joined the local file")
    check_loads(d, False)

    # 3. A folder an older kiosk already filled with identical copies.
    d = os.path.join(out, "kiosk-olddup")
    shutil.copytree(shipped_src, d)
    for n in names:
        shutil.copyfile(os.path.join(d, n), os.path.join(d, n[:-5] + ".v1.json"))
    check_loads(d, True)
    r = run(sync + [d])
    if r.returncode != 0 or "new question-set versions 0" not in r.stdout:
        fail("sync into a folder with old duplicate copies failed: %s" % r.stderr[-800:])
    print("shipped sets folder: %d sets, no copies saved, conflict refused, "
          "old duplicates load" % len(names))


def test_agg(drv, out, agg, rounds=1000):
    (ca1, crt1, key1), (ca2, crt2, key2) = setup(out)
    proc, port, db = agg_start(agg, out, crt1, key1)
    try:
        url = "https://127.0.0.1:%d" % port
        kiosk_sets = os.path.join(out, "kiosk-sets")
        os.makedirs(kiosk_sets)
        # 1. End to end: 200 responses with planted identifiers, batches of 40.
        conf = write_config(out, "kiosk.conf", ca1,
                            "sync_batch = 40\nsync_sets_dir = %s\n" % kiosk_sets)
        uuids = os.path.join(out, "uuids")
        tap = os.path.join(out, "sent.bin")
        driver(drv, ["--store", os.path.join(out, "e2e.db"), "--config", conf,
                     "--uuids", uuids, "--direct-url", url, "--rounds", "2",
                     "--initial", "200", "--tap", tap, "--plant", "1"])
        created, total, lost, dup, answers = agg_counts(db, uuids)
        print("rost-agg e2e: created %d, stored %d (answers %d), lost %d, duplicated %d"
              % (len(created), total, answers, lost, dup))
        if lost or dup or total != len(created) or answers < 4 * total:
            fail("rost-agg does not hold every response exactly once")
        sent = open(tap, "rb").read()
        for p in ("19121212-1212", "070-174 06 05", "karin.lindqvist", "Karin",
                  "SE2321000032", "2026-11-24"):
            if p.encode() in sent:
                fail("identifying data left the kiosk: " + p)

        # Rollout into a folder that already holds the shipped sets (what
        # rost-agg published at first start): nothing is saved twice and
        # the folder still loads with the real validator.
        rc = rostctl_path(drv)
        if not rc:
            fail("rostctl not found (set ROSTCTL)")
        shipped_rollout(rc, url, out, ca1, os.path.join(out, "e2e.db"))

        # Responses to a set version the aggregator does not know yet are
        # rejected and parked (the queue still counts them); once that
        # version is published and fetched they go through.
        if rc:
            db9 = os.path.join(out, "v9.db")
            driver(drv, ["--store", db9, "--config", conf, "--uuids", uuids,
                         "--direct-url", url, "--rounds", "0", "--initial", "2",
                         "--drain", "0", "--set-version", "9"])
            args = [rc, "sync", "--store", db9, "--url", url, "--token-file",
                    os.path.join(out, "token"), "--ca", ca1, "--sets", kiosk_sets]
            r = subprocess.run(args, capture_output=True, text=True)
            print("rostctl sync (unknown version): exit %d\n%s" % (r.returncode, r.stdout))
            if r.returncode != 0 or "rejected 2 (parked 2)" not in r.stdout or "queue 2" not in r.stdout:
                fail("responses to an unknown set version were not parked")
            r = subprocess.run(args, capture_output=True, text=True)
            if "sent 0" not in r.stdout:
                fail("parked responses were sent again without a new set version")
            j = json.load(open(os.path.join(ROOT, "assets/surveys/kiosk-besok.json")))
            j["version"] = 9
            v9 = os.path.join(out, "kiosk-besok-v9.json")
            with open(v9, "w") as f:
                json.dump(j, f, ensure_ascii=False)
            subprocess.run([agg, "publish", v9, "--db", db.url],
                           check=True, capture_output=True)
            r = subprocess.run(args, capture_output=True, text=True)
            r = subprocess.run(args, capture_output=True, text=True)
            print("rostctl sync (after publish): exit %d\n%s" % (r.returncode, r.stdout))
            if r.returncode != 0 or "queue 0" not in r.stdout or \
                    not os.path.exists(os.path.join(kiosk_sets, "kiosk-besok.v9.json")):
                fail("parked responses did not go through after the set was published")
            created, total, lost, dup, answers = agg_counts(db, uuids)
            if lost or dup or total != len(created):
                fail("rost-agg does not hold every response exactly once")

        # 2. Faults against the real aggregator.
        fault_uuids = os.path.join(out, "fault-uuids")
        base = {"tokens": set(), "store": ts.Store(os.path.join(out, "unused.db"))}
        routes = {m: port for m in ("pass", "cut_body", "cut_reply")}
        for mode in ("e500", "captive", "e429", "e503", "stall"):
            _, routes[mode] = ts.serve(crt1, key1, dict(base, mode=mode, stall_s=3))
        _, routes["wrong_cert"] = ts.serve(crt2, key2, dict(base))
        weights = {"pass": 40, "refuse": 6, "cut_body": 8, "cut_reply": 12,
                   "e500": 5, "captive": 5, "e429": 4, "e503": 4, "stall": 2,
                   "tcp_stall": 1, "wrong_cert": 5}
        proxy = ts.FaultProxy(routes, weights, seed=4711)
        conf = write_config(out, "fault.conf", ca1,
                            "sync_pins = %s;sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
                            "sync_batch = 40\n" % ts.spki_pin(crt1), token="token3")
        dup0 = agg_metric(port, ca1, "rost_agg_responses_duplicate_total")
        t = driver(drv, ["--store", os.path.join(out, "fault.db"), "--config", conf,
                         "--uuids", fault_uuids, "--rounds", str(rounds), "--seed", "11",
                         "--initial", "300", "--add-max", "3", "--calls", "3",
                         "--proxy-url", "https://127.0.0.1:%d" % proxy.port,
                         "--direct-url", url,
                         "--down-url", "https://127.0.0.1:%d" % down_port(),
                         "--revoked-token", os.path.join(out, "revoked"),
                         "--bad-pin", "sha256//BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="])
        dups = agg_metric(port, ca1, "rost_agg_responses_duplicate_total") - dup0
        print("proxy faults drawn: " + ", ".join("%s %d" % kv for kv in sorted(proxy.counts.items())))
        created2, total2, lost2, dup2, _ = agg_counts(db, fault_uuids)
        created_all = len(created) + len(created2)
        _, _, lost2, _, _ = agg_counts(db, fault_uuids)
        print("rounds %d, responses %d, lost %d, duplicated %d (%.1f s; "
              "rost-agg answered %d resends as duplicate)"
              % (rounds, len(created2), lost2, total2 - created_all, t, dups))
        if lost2 or total2 != created_all:
            fail("rost-agg does not hold every response exactly once")
        if rounds >= 300 and dups <= 0:
            fail("no reply was cut after a commit; the test proved nothing")
        mine, theirs = call_stats_equal(db, db.dev3, os.path.join(out, "fault.db"))
        print("call statistics: kiosk %d week/item counts (%d calls), aggregator %d, "
              "differing %d"
              % (len(mine), sum(n for (w, i), n in mine.items() if i == "attempts"),
                 len(theirs), len(set(mine.items()) ^ set(theirs.items()))))
        if mine != theirs or not mine:
            fail("the aggregator's call statistics differ from the kiosk's: %s"
                 % sorted(set(mine.items()) ^ set(theirs.items()))[:10])
        print("sync agg: ok (%s)" % ("PostgreSQL" if db.pg else "SQLite"))
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def bench(bench_bin, out, agg):
    tiny = os.environ.get("PR_BENCH_TINY", "0") not in ("", "0")
    (ca1, crt1, key1), _ = setup(out)
    proc, port, _ = agg_start(agg, out, crt1, key1)
    try:
        r = subprocess.run([bench_bin, "--url", "https://127.0.0.1:%d" % port,
                            "--ca", ca1, "--token-file", os.path.join(out, "token"),
                            "--dir", out, "--reps", os.environ.get("SYNC_BENCH_REPS", "5")]
                           # PR_BENCH_TINY (check.sh): once, 200 responses
                           + (["--reps", "1", "--n", "200"] if tiny else []),
                           capture_output=True, text=True, timeout=1200)
        sys.stdout.write(r.stdout)
        sys.stdout.write(r.stderr[-2000:])
        if r.returncode != 0:
            fail("bench_sync exited %d" % r.returncode)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("e2e", "fault", "agg", "bench"):
        print(__doc__)
        sys.exit(2)
    drv, out = os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    if sys.argv[1] == "bench":
        bench(drv, out, os.path.abspath(sys.argv[4]))
    elif sys.argv[1] == "agg":
        test_agg(drv, out, os.path.abspath(sys.argv[4]),
                 int(os.environ.get("SYNC_FAULT_ROUNDS", "1000")))
    elif sys.argv[1] == "e2e":
        test_e2e(drv, out)
    else:
        test_fault(drv, out, int(os.environ.get("SYNC_FAULT_ROUNDS", "200")))


if __name__ == "__main__":
    main()
