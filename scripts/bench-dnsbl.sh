#!/usr/bin/env bash
# bench-dnsbl.sh: 1,000 addresses (the MX addresses of 1,000 domains) x 5
# blocklist zones against a local authoritative server (nsd), done in the
# same run by preflight, rblcheck (Debian) and dig -f, with the same 5,010
# lookups each (every tool also asks the RFC 5782 test entries 127.0.0.2 and
# 127.0.0.1 of every zone).
#
# rblcheck can only use the system resolver, so the whole run happens in a
# private network and mount namespace (unshare, root) where /etc/resolv.conf
# names the local nsd: no packet leaves the namespace's loopback.
#
#   bash scripts/bench-dnsbl.sh            # needs root, nsd, dig, rblcheck
#   N=1000 ZONES=5 bash scripts/bench-dnsbl.sh
#
# Prints a Markdown table row per tool (for docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${N:-1000}
ZONES=${ZONES:-5}
BIN=${BIN:-$ROOT/bin/preflight}

if [ "$(id -u)" != 0 ]; then echo "bench-dnsbl: skipped (needs root for a private network namespace)"; exit 0; fi
for t in nsd dig rblcheck unshare ip python3; do
	command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || { echo "bench-dnsbl: skipped ($t not installed)"; exit 0; }
done
[ -x "$BIN" ] || go build -o "$BIN" ./cmd/preflight

if [ "${BENCH_INNER:-}" != 1 ]; then
	exec unshare --mount --net env BENCH_INNER=1 bash "$0" "$@"
fi

# ---- inside the namespace ----
ip link set lo up
work=$(mktemp -d /tmp/bench-dnsbl.XXXXXX)
trap 'bash "$ROOT/scripts/nsd.sh" stop "$work/nsd" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
mkdir -p "$work/zones"

# Subjects: 192.0.2.0/24 .. 198.51.100.x style documentation space is too
# small; use 10.x addresses (private, never routed; only names here).
python3 - "$N" "$ZONES" "$work" <<'PY'
import sys
n, zones, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
subs = ["10.%d.%d.%d" % (i // 65536, (i // 256) % 256, i % 256 + 0) for i in range(1, n + 1)]
open(work + "/subjects.txt", "w").write("\n".join(subs) + "\n")
q = []
for z in range(1, zones + 1):
    zone = "bl%d.bench" % z
    with open("%s/zones/%s.zone" % (work, zone), "w") as f:
        f.write("$ORIGIN %s.\n$TTL 300\n@ IN SOA ns.%s. h.%s. 1 3600 600 86400 300\n@ IN NS ns.%s.\nns IN A 127.0.0.1\n" % (zone, zone, zone, zone))
        f.write("2.0.0.127 IN A 127.0.0.2\n")
        # Every 50th subject is listed in zone z (shifted per zone).
        for i, s in enumerate(subs):
            if (i + z) % 50 == 0:
                f.write("%s IN A 127.0.0.2\n" % ".".join(reversed(s.split("."))))
    for s in ["127.0.0.2", "127.0.0.1"] + subs:
        q.append("%s.%s A" % (".".join(reversed(s.split("."))), zone))
open(work + "/dig.txt", "w").write("\n".join(q) + "\n")
PY
bash "$ROOT/scripts/nsd.sh" start "$work/nsd" 53 "$work/zones" >/dev/null
echo "nameserver 127.0.0.1" > "$work/resolv.conf"
mount --bind "$work/resolv.conf" /etc/resolv.conf

zonelist=$(seq -f "bl%g.bench" 1 "$ZONES" | paste -sd, -)
queries=$(wc -l < "$work/dig.txt")
subjects=$(paste -sd, "$work/subjects.txt")

now() { date +%s.%N; }
sub() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) - float(sys.argv[2])))" "$1" "$2"; }
row() { # tool seconds listed note
	python3 -c "import sys; t=float(sys.argv[2]); q=int(sys.argv[3]); print('| %s | %d | %.2f | %.0f | %s | %s |' % (sys.argv[1], q, t, q/t, sys.argv[4], sys.argv[5]))" "$1" "$2" "$queries" "$3" "$4"
}

echo "| tool | lookups | seconds | lookups/s | listings found | notes |"
echo "|---|---|---|---|---|---|"

# preflight: --egress-ip subjects, no domains, the 5 zones; default concurrency.
t0=$(now)
set +e
"$BIN" scan --quiet --resolver 127.0.0.1:53 --egress-ip "$subjects" --dnsbl-zone "$zonelist" --rhsbl-zone none \
	--format json --out "$work/pf" >/dev/null 2>"$work/pf.err"
rc=$?
set -e
t1=$(now)
listed=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(sum(1 for f in r['findings'] if f['rule_id']=='BL-001'))" "$work/pf/report.json")
row "preflight scan (16 in flight, self-test + decode, full report)" "$(sub "$t1" "$t0")" "$listed" "exit $rc"

# preflight with one lookup in flight, to compare with the sequential tools.
t0=$(now)
set +e
"$BIN" scan --quiet --resolver 127.0.0.1:53 --egress-ip "$subjects" --dnsbl-zone "$zonelist" --rhsbl-zone none \
	--dns-concurrency 1 --format json --out "$work/pf1" >/dev/null 2>&1
set -e
t1=$(now)
listed=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(sum(1 for f in r['findings'] if f['rule_id']=='BL-001'))" "$work/pf1/report.json")
row "preflight scan --dns-concurrency 1" "$(sub "$t1" "$t0")" "$listed" "sequential"

# preflight's fixed cost (start, rule loading and validation, report):
# one address, one zone (3 lookups).
t0=$(now)
"$BIN" scan --quiet --resolver 127.0.0.1:53 --egress-ip 10.0.0.1 --dnsbl-zone bl1.bench --rhsbl-zone none \
	--format json --out "$work/pf0" >/dev/null 2>&1 || true
t1=$(now)
echo "| preflight fixed cost (1 address, 1 zone: 3 lookups) | 3 | $(sub "$t1" "$t0") | - | - | start-up, rules, report |"

# rblcheck: -c clears its built-in zones, -s adds ours; sequential.
args=()
for z in $(seq -f "bl%g.bench" 1 "$ZONES"); do args+=(-s "$z"); done
t0=$(now)
set +e
rblcheck -q -c "${args[@]}" 127.0.0.2 127.0.0.1 $(cat "$work/subjects.txt") > "$work/rbl.out" 2>&1
rc=$?
set -e
t1=$(now)
# -q prints the listed addresses, once per listing zone, on one line;
# minus the 127.0.0.2 test entries.
listed=$(wc -w < "$work/rbl.out")
row "rblcheck -q -c -s ZONE x5" "$(sub "$t1" "$t0")" "$((listed - ZONES))" "exit $rc (count of listings, 0 also on errors)"

t0=$(now)
dig @127.0.0.1 -p 53 +noall +answer +tries=1 +time=2 -f "$work/dig.txt" > "$work/dig.out" 2>&1 || true
t1=$(now)
listed=$(grep -c "IN	A	127" "$work/dig.out" || true)
row "dig -f (one query after the other)" "$(sub "$t1" "$t0")" "$((listed - ZONES))" "no decoding, no self-test logic"
