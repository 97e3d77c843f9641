#!/usr/bin/python3
"""check.py — reads the messages the test SMTP server received and checks
them.  Subcommands:
  summary MAILDIR            one line per message: file|to|subject
  text EML                   the plain-text part
  mime MAILDIR               every message is well-formed MIME: Date,
                             Message-ID (unique), encoded UTF-8 subject,
                             alternative(text, related(html, png...)),
                             each cid: in the HTML has its PNG part
  content MAILDIR APIDIR     every figure in every monthly letter equals the
                             API's (APIDIR/<indicator>.json, a region reader's
                             /api/v1/indicators for the same span); hidden
                             cells read "visas inte" and nothing else.
                             Prints how many cells and hidden cells it saw."""
import email, email.policy, glob, html, json, os, re, sys
from decimal import Decimal, ROUND_HALF_UP


def load(path):
    with open(path, "rb") as f:
        return email.message_from_binary_file(f, policy=email.policy.default)


def parts(msg):
    text = htm = None
    imgs = {}
    for p in msg.walk():
        ct = p.get_content_type()
        if ct == "text/plain":
            text = p.get_content()
        elif ct == "text/html":
            htm = p.get_content()
        elif ct == "image/png":
            imgs[p["Content-ID"].strip("<>")] = p.get_content()
    return text, htm, imgs


def msgs(d):
    return sorted(glob.glob(os.path.join(d, "*.eml")))


def fmt_pct(v):
    q = Decimal(repr(v * 100)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return str(q).replace(".", ",")


def want_cells(c):
    """The table cells the letter must show for API cell c."""
    if c.get("suppressed"):
        return ["visas inte (skyddar små grupper)"]
    if not c.get("n"):
        return ["inga svar"]
    return [fmt_pct(c["share"]) + " %",
            fmt_pct(c["ci_low"]) + "–" + fmt_pct(c["ci_high"]) + " %",
            str(c["n"])]


ROW = re.compile(r'<tr data-(indicator|period|unit)="([^"]*)">(.*?)</tr>', re.S)
TABLE = re.compile(r'<table class="(month|trend|units)"(?: data-indicator="([^"]*)")?>(.*?)</table>', re.S)


def cells_of(row_html):
    out = []
    for m in re.finditer(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html, re.S):
        out.append(html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip())
    return out


def main():
    cmd = sys.argv[1]
    if cmd == "summary":
        for p in msgs(sys.argv[2]):
            m = load(p)
            print("%s|%s|%s" % (os.path.basename(p), m["To"].addresses[0].addr_spec, m["Subject"]))
        return 0
    if cmd == "text":
        print(parts(load(sys.argv[2]))[0])
        return 0
    if cmd == "mime":
        ids = set()
        for p in msgs(sys.argv[2]):
            raw = open(p, "rb").read()
            head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
            assert re.search(r"^Subject: =\?UTF-8\?B\?", head, re.M), (p, "subject not RFC 2047")
            assert all(len(l) <= 78 for l in raw.split(b"\r\n")), (p, "line too long")
            m = load(p)
            for h in ("Date", "Message-ID", "From", "To", "MIME-Version"):
                assert m[h], (p, "no " + h)
            assert m["Message-ID"] not in ids, (p, "Message-ID twice")
            ids.add(m["Message-ID"])
            assert m.get_content_type() == "multipart/alternative", p
            kinds = [x.get_content_type() for x in m.iter_parts()]
            assert kinds[0] == "text/plain" and kinds[1] in ("text/html", "multipart/related"), (p, kinds)
            text, htm, imgs = parts(m)
            assert "Patientröst" in m["Subject"] and text and htm, p
            for cid in re.findall(r'src="cid:([^"]+)"', htm):
                assert cid in imgs and imgs[cid][:8] == b"\x89PNG\r\n\x1a\n", (p, cid)
        print("mime ok: %d messages" % len(ids))
        return 0
    if cmd == "content":
        maildir, apidir = sys.argv[2], sys.argv[3]
        api = {os.path.basename(f)[:-5]: json.load(open(f)) for f in glob.glob(apidir + "/*.json")}
        seen = hidden = letters = 0
        for p in msgs(maildir):
            m = load(p)
            subj = m["Subject"]
            if "månadsbrev" not in subj:
                continue
            letters += 1
            text, htm, _ = parts(m)
            region = subj.endswith("regionen")
            unit = None if region else subj.rsplit("– ", 1)[1]
            tables = TABLE.findall(htm)
            assert tables, p
            for kind, ind, body in tables:
                for attr, key, row in ROW.findall(body):
                    got = cells_of(row)[1:]
                    if kind == "month":
                        a = api[key]
                        units = [u["unit"] for u in a["units"]]
                        c = a["units"][units.index(unit)]["cells"][-2]
                        g = a["series"][-1]["region"]
                        w = want_cells(c)
                        assert got[:len(w)] == w, (p, key, got, w)
                        gw = want_cells(g)
                        gw = gw[:1] + gw[2:] if len(gw) == 3 else ["inga svar" if gw[0] == "inga svar" else "visas inte"]
                        assert got[len(w) + 1:] == gw, (p, key, "region", got, gw)
                    elif kind == "trend":
                        a = api[ind]
                        i = [s["period"] for s in a["series"]].index(key)
                        if region:
                            c = a["series"][i]["region"]
                        else:
                            units = [u["unit"] for u in a["units"]]
                            c = a["units"][units.index(unit)]["cells"][i]
                        w = want_cells(c)
                        assert got == w, (p, ind, key, got, w)
                    else:
                        a = api[ind]
                        if key:
                            units = [u["unit"] for u in a["units"]]
                            c = a["units"][units.index(key)]["cells"][-2]
                        else:
                            c = a["series"][-1]["region"]
                        w = want_cells(c)
                        assert got == w, (p, ind, key, got, w)
                    seen += 1
                    hidden += 1 if w[0].startswith("visas inte") else 0
            # The plain-text part says the same: every hidden cell of the
            # HTML is hidden in the text, and no other figure is there.
            assert text.count("visas inte") == htm.count("visas inte"), (p, "text/html hidden counts differ")
        print("content ok: %d letters, %d rows compared, %d hidden" % (letters, seen, hidden))
        return 0 if letters and seen else 1
    return 2


sys.exit(main())
