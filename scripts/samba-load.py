#!/usr/bin/python3
"""Load LDIF into a stopped Samba AD DC's sam.ldb (test harness only).

Usage: samba-load.py SMB_CONF [--schema FILE] [--ldif FILE]...
                             [--contacts N --group-members M]

Writes directly to the database with the Samba Python bindings (the same
ldb library ldbadd uses), which is far faster than LDAP adds through a
running server. ${SCHEMA} and ${BASE} in LDIF files are replaced with the
schema naming context and the domain's base DN.
"""
import argparse
import sys
import time

import ldb
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB


def apply(db, text):
    n = 0
    for changetype, msg in db.parse_ldif(text):
        if changetype == ldb.CHANGETYPE_MODIFY:
            db.modify(msg)
        else:
            db.add(msg)
        n += 1
    return n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("smbconf")
    p.add_argument("--schema")
    p.add_argument("--ldif", action="append", default=[])
    p.add_argument("--contacts", type=int, default=0,
                   help="add N small contacts under OU=Bulk")
    p.add_argument("--group-members", type=int, default=0,
                   help="make the first M bulk contacts members of CN=Big Group")
    p.add_argument("--bench", type=int, default=0,
                   help="add N users of the usual kinds under OU=Bench "
                   "(mail, UPN, proxy addresses, GAL attributes), N/20 "
                   "contacts, N/40 computers and N/400 groups (the first "
                   "with 3,000 members)")
    a = p.parse_args()

    lp = LoadParm()
    lp.load(a.smbconf)
    if a.schema:
        lp.set("dsdb:schema update allowed", "true")
    db = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
    base = str(db.domain_dn())
    schema = str(db.get_schema_basedn())

    def expand(text):
        return text.replace("${SCHEMA}", schema).replace("${BASE}", base)

    t0 = time.time()
    if a.schema:
        with open(a.schema, encoding="utf-8") as f:
            n = apply(db, expand(f.read()))
        db.modify_ldif("dn:\nchangetype: modify\nadd: schemaUpdateNow\nschemaUpdateNow: 1\n")
        print("schema: %d changes" % n, file=sys.stderr)
    for path in a.ldif:
        with open(path, encoding="utf-8") as f:
            n = apply(db, expand(f.read()))
        print("%s: %d entries" % (path, n), file=sys.stderr)
    if a.contacts:
        # One transaction per batch: a single transaction over thousands of
        # adds gets slower with every add (about 330 adds/s for the first
        # thousands on an idle machine).
        batch = 500
        db.add({"dn": "OU=Bulk,%s" % base, "objectClass": "organizationalUnit"})
        for start in range(0, a.contacts, batch):
            db.transaction_start()
            try:
                for i in range(start, min(start + batch, a.contacts)):
                    db.add({
                        "dn": "CN=bulk%06d,OU=Bulk,%s" % (i, base),
                        "objectClass": "contact",
                        "displayName": "Bulk Contact %d" % i,
                        "mail": "bulk%06d@partner.example" % i,
                    })
                db.transaction_commit()
            except Exception:
                db.transaction_cancel()
                raise
        members = min(a.group_members, a.contacts)
        if members:
            db.add({
                "dn": "CN=Big Group,OU=Bulk,%s" % base,
                "objectClass": "group",
                "sAMAccountName": "biggroup",
                "member": ["CN=bulk%06d,OU=Bulk,%s" % (i, base) for i in range(members)],
            })
        print("bulk: %d contacts, group of %d in %.1fs" % (
            a.contacts, members, time.time() - t0), file=sys.stderr)
    if a.bench:
        bench(db, base, a.bench)
        print("bench: %d users and the rest in %.1fs" % (
            a.bench, time.time() - t0), file=sys.stderr)


def batched(db, msgs, size=2000):
    """Add msgs in transactions of size adds (large transactions are what
    makes an offline load take minutes, not hours)."""
    chunk = []
    for m in msgs:
        chunk.append(m)
        if len(chunk) == size:
            commit(db, chunk)
            chunk = []
    if chunk:
        commit(db, chunk)


def commit(db, chunk):
    db.transaction_start()
    try:
        for m in chunk:
            db.add(m)
        db.transaction_commit()
    except Exception:
        db.transaction_cancel()
        raise


DEPTS = ["Sales", "Finance", "Engineering", "Support", "Legal", "Marketing",
         "Operations", "Research"]
CITIES = [("Berlin", "BE", "10115", "DE", "Germany"),
          ("Lyon", "ARA", "69001", "FR", "France"),
          ("Leeds", "WYK", "LS1", "GB", "United Kingdom"),
          ("Porto", "13", "4000-001", "PT", "Portugal")]


def bench(db, base, n):
    """The benchmark directory: n users as a consultant meets them."""
    ou = "OU=Bench,%s" % base
    db.add({"dn": ou, "objectClass": "organizationalUnit"})

    def users():
        for i in range(n):
            dept = DEPTS[i % len(DEPTS)]
            city = CITIES[i % len(CITIES)]
            sam = "u%06d" % i
            mail = "user.%06d@preflight.test" % i
            proxies = ["SMTP:" + mail,
                       "smtp:%s@preflight.mail.example" % sam,
                       "smtp:u.%d@old.example" % i,
                       "X500:/o=Org/ou=Exchange/cn=Recipients/cn=%s" % sam]
            if i % 2:
                proxies.append("sip:%s" % mail)
            yield {
                "dn": "CN=User %06d,%s" % (i, ou),
                "objectClass": "user",
                "sAMAccountName": sam,
                "userPrincipalName": mail,
                "givenName": "Given%d" % i,
                "sn": "Family%d" % i,
                "displayName": "User %06d" % i,
                "mail": mail,
                "mailNickname": sam,
                "proxyAddresses": proxies,
                "title": "Specialist",
                "department": dept,
                "physicalDeliveryOfficeName": city[0],
                "telephoneNumber": "+49 30 %07d" % i,
                "mobile": "+49 170 %07d" % i,
                "streetAddress": "%d Main Street" % (i % 200 + 1),
                "l": city[0], "st": city[1], "postalCode": city[2],
                "c": city[3], "co": city[4],
                "userAccountControl": "512",
                "pwdLastSet": "-1",
            }
    batched(db, users())

    def contacts():
        for i in range(n // 20):
            mail = "partner%06d@partner.example" % i
            yield {
                "dn": "CN=Partner %06d,%s" % (i, ou),
                "objectClass": "contact",
                "displayName": "Partner %06d" % i,
                "mail": mail,
                "targetAddress": "SMTP:" + mail,
                "proxyAddresses": ["SMTP:" + mail],
            }
    batched(db, contacts())

    def computers():
        for i in range(n // 40):
            name = "WS%05d" % i
            yield {
                "dn": "CN=%s,%s" % (name, ou),
                "objectClass": "computer",
                "sAMAccountName": name + "$",
                "dNSHostName": name.lower() + ".preflight.test",
                "operatingSystem": "Windows 10 Enterprise",
                "operatingSystemVersion": "10.0 (19045)",
                "userAccountControl": "4096",
            }
    batched(db, computers())

    def groups():
        for g in range(max(1, n // 400)):
            size = 3000 if g == 0 else 100
            members = ["CN=User %06d,%s" % ((g * 97 + k) % n, ou)
                       for k in range(min(size, n))]
            yield {
                "dn": "CN=Group %04d,%s" % (g, ou),
                "objectClass": "group",
                "sAMAccountName": "group%04d" % g,
                "mail": "group%04d@preflight.test" % g,
                "member": members,
            }
    batched(db, groups(), size=10)


if __name__ == "__main__":
    main()
