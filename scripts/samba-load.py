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


if __name__ == "__main__":
    main()
