#!/usr/bin/env python3
"""Writes the sample organisation's mailbox and client exports
(testdata/sample/mailbox-stats.csv, folder-stats.csv, clients.csv) from
testdata/sample/directory.ldif, so that the exports name the directory's
users and computers. Deterministic: run it again after the LDIF changes.

  python3 scripts/gen-mailbox-sample.py
"""
import base64, os, random, struct, uuid

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "sample")
GB, MB, KB = 1 << 30, 1 << 20, 1 << 10

def parse_ldif(path):
    entries, cur, last = [], {}, None
    lines = open(path, encoding="utf-8").read().split("\n")
    unfolded = []
    for l in lines:
        if l.startswith(" ") and unfolded:
            unfolded[-1] += l[1:]
        else:
            unfolded.append(l)
    for l in unfolded:
        if not l.strip():
            if cur: entries.append(cur)
            cur = {}
            continue
        if l.startswith("#") or ":" not in l:
            continue
        k, v = l.split(":", 1)
        if v.startswith(":"):
            raw = base64.b64decode(v[1:].strip())
            if k.lower() in ("msexchmailboxguid", "objectguid"):
                v = str(uuid.UUID(bytes_le=raw))
            else:
                v = raw.decode("utf-8", "replace")
        else:
            v = v.strip()
        cur.setdefault(k.lower(), []).append(v)
    if cur: entries.append(cur)
    return entries

def en_size(b):
    if b == 0: return "0 B (0 bytes)"
    for unit, f in (("GB", GB), ("MB", MB), ("KB", KB)):
        if b >= f:
            return "%.3f %s (%s bytes)" % (b / f, unit, format(b, ","))
    return "%d B (%s bytes)" % (b, format(b, ","))

def de_size(b):
    s = en_size(b).replace(",", "_").replace(".", ",").replace("_", ".").replace("bytes", "Bytes")
    return s

FOLDERS = {
 "de": [("Posteingang", "Inbox"), ("Gesendete Elemente", "SentItems"), ("Gelöschte Elemente", "DeletedItems"), ("Kalender", "Calendar"), ("Kontakte", "Contacts"), ("Entwürfe", "Drafts"), ("Projekte", "User Created")],
 "fr": [("Boîte de réception", "Inbox"), ("Éléments envoyés", "SentItems"), ("Éléments supprimés", "DeletedItems"), ("Calendrier", "Calendar"), ("Contacts", "Contacts"), ("Brouillons", "Drafts"), ("Projets", "User Created")],
 "es": [("Bandeja de entrada", "Inbox"), ("Elementos enviados", "SentItems"), ("Elementos eliminados", "DeletedItems"), ("Calendario", "Calendar"), ("Contactos", "Contacts"), ("Borradores", "Drafts"), ("Proyectos", "User Created")],
 "en": [("Inbox", "Inbox"), ("Sent Items", "SentItems"), ("Deleted Items", "DeletedItems"), ("Calendar", "Calendar"), ("Contacts", "Contacts"), ("Drafts", "Drafts"), ("Projects", "User Created")],
}
TOP = {"de": "Oberste Ebene des Informationsspeichers", "fr": "Partie supérieure de la banque d'informations", "es": "Parte superior del almacén de información", "en": "Top of Information Store"}

def lang(name):
    low = name.lower()
    if any(s in low for s in ("schmidt", "braun", "krüger", "lange", "klein", "schmitt", "müller", "wagner", "becker", "hoffmann", "fischer", "weber")): return "de"
    if any(s in low for s in ("dubois", "martin", "bernard", "lefèvre", "moreau", "laurent")): return "fr"
    if any(s in low for s in ("fernández", "garcía", "lópez", "martínez", "sánchez", "pérez")): return "es"
    return "en"

def main():
    rnd = random.Random(20261124)
    ents = parse_ldif(os.path.join(ROOT, "directory.ldif"))
    users = [e for e in ents if "user" in [c.lower() for c in e.get("objectclass", [])] and "computer" not in [c.lower() for c in e.get("objectclass", [])] and "msexchmailboxguid" in e]
    computers = [e for e in ents if "computer" in [c.lower() for c in e.get("objectclass", [])]]
    mrows, frows = [], []
    special = {}  # display name -> overrides
    for i, u in enumerate(users):
        name = u.get("displayname", u.get("cn", ["?"]))[0]
        cn = u.get("cn", [name])[0]
        guid = u["msexchmailboxguid"][0]
        ident = "corp.northwind.local/Northwind/Staff/" + cn
        items = rnd.randint(800, 24000)
        size = rnd.randint(150 * MB, 9 * GB)
        deleted = rnd.randint(0, 300 * MB)
        if i == 0: size, items = int(57.3 * GB), 212000        # over 50 GB: quota, two licences
        if i == 1: size, items = int(26.2 * GB), 99000         # over BPOS 25 GB
        if i == 2: size, items = 50 * GB, 150000               # exactly 50 GB: passes
        mrows.append([name, str(items), en_size(size), en_size(deleted), str(rnd.randint(0, 900)), u.get("legacyexchangedn", [""])[0], guid,
                      "BelowLimit", "NW-MBX01\\DB0%d" % (i % 3 + 1), "05.11.2026 08:%02d:11" % (i % 60), ident])
        lg = lang(name)
        fl = FOLDERS[lg]
        # split the size over the folders
        weights = [rnd.random() + 0.2 for _ in fl]
        tot = sum(weights)
        fsizes = [int(size * w / tot) for w in weights]
        fitems = [max(0, int(items * w / tot)) for w in weights]
        if name == "Anna Schmidt":
            fitems[0], fitems[1], fitems[3] = 20000, 20001, 5001   # at, over (BPOS), calendar over
        top_subject = [rnd.randint(1 * MB, 24 * MB) for _ in fl]
        if i == 0: top_subject[0] = 187 * MB + 12345              # over the 150 MB migration limit
        frows.append([ident + "\\", TOP[lg], "/", "Root", "0", de_size(0), str(sum(fitems)), de_size(sum(fsizes)), "", ""])
        for j, ((fname, ftype), n, b, ts) in enumerate(zip(fl, fitems, fsizes, top_subject)):
            b = max(b, 0)
            frows.append([ident + "\\" + fname, fname, "/" + fname, ftype, str(n), de_size(b), str(n), de_size(b),
                          "RE: Quartalsbericht" if lg == "de" else "RE: quarterly report", de_size(ts)])
        if i % 7 == 0:
            frows.append([ident + "\\" + fl[6][0] + "\\2025", "2025", "/" + fl[6][0] + "/2025", "User Created", "120", de_size(4 * MB), "120", de_size(4 * MB), "Angebot", de_size(3 * MB)])
    mh = ["DisplayName", "ItemCount", "TotalItemSize", "TotalDeletedItemSize", "DeletedItemCount", "LegacyDN", "MailboxGuid", "StorageLimitStatus", "Database", "LastLogonTime", "Identity"]
    def q(row, sep):
        return sep.join('"' + c.replace('"', '""') + '"' for c in row)
    with open(os.path.join(ROOT, "mailbox-stats.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write("#TYPE Microsoft.Exchange.Management.MapiTasks.Presentation.MailboxStatistics\r\n")
        f.write(q(mh, ",") + "\r\n")
        for r in mrows: f.write(q(r, ",") + "\r\n")
    fh = ["Identity", "Name", "FolderPath", "FolderType", "ItemsInFolder", "FolderSize", "ItemsInFolderAndSubfolders", "FolderAndSubfolderSize", "TopSubject", "TopSubjectSize"]
    with open(os.path.join(ROOT, "folder-stats.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write(q(fh, ";") + "\r\n")
        for r in frows: f.write(q(r, ";") + "\r\n")
    # clients: host,product,version; some rows by FQDN, some by short name.
    products = [
        ("Microsoft Office Professional Plus 2007", "12.0.6425.1000"),
        ("Microsoft Office Professional Plus 2007", "12.0.6211.1000"),
        ("Microsoft Office Professional Plus 2010", "14.0.7015.1000"),
        ("Microsoft Office Outlook 2003", "11.0.8169.0"),
        ("Microsoft 365 Apps for enterprise - de-de", "16.0.17928.20114"),
        ("Microsoft Office Professional Plus 2016", "16.0.4266.1001"),
    ]
    browsers = [("Windows Internet Explorer 8", "8.0.7601.17514"), ("Windows Internet Explorer 6", "6.0.2900.5512"),
                ("Internet Explorer", "11.0.9600.19036"), ("Mozilla Firefox (115.9.1esr x64 de)", "115.9.1"), ("Microsoft Edge", "131.0.2903.70")]
    rows = []
    for k, c in enumerate(sorted(computers, key=lambda e: e.get("cn", [""])[0])):
        cn = c.get("cn", ["?"])[0]
        fq = c.get("dnshostname", [cn])[0]
        host = fq if k % 2 == 0 else cn.upper()
        os_name = c.get("operatingsystem", [""])[0]
        if "server" in os_name.lower():
            continue
        p = products[4] if "11" in os_name else products[k % len(products)]
        rows.append((host, p[0], p[1]))
        b = browsers[4] if "11" in os_name else browsers[k % 4]
        rows.append((host, b[0], b[1]))
        if k % 5 == 1:
            rows.append((host, "Microsoft Office Communicator 2007 R2", "3.5.6907.0"))
        if k % 5 == 2:
            rows.append((host, "Microsoft Lync 2010", "4.0.7577.0"))
        rows.append((host, "Adobe Acrobat Reader DC", "24.002.20687"))
    with open(os.path.join(ROOT, "clients.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("host,product,version\n")
        for r in rows:
            f.write(",".join('"%s"' % x if "," in x else x for x in r) + "\n")
    print("mailboxes", len(mrows), "folders", len(frows), "client rows", len(rows))

main()
