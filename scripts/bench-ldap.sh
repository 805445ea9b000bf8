#!/usr/bin/env bash
# bench-ldap.sh: time a live LDAP scan by preflight against a dump of the
# same objects by ldapsearch (paged, same filter and attributes), from the
# same Samba AD DC on loopback. Prints a Markdown table for
# docs/benchmarks.md ("Live LDAP vs ldapsearch").
#
#   sudo scripts/bench-ldap.sh            # 5,000 contacts + the fixtures
#   BENCH_LDAP_OBJECTS=20000 BENCH_RUNS=5 sudo scripts/bench-ldap.sh
#
# Needs root and the packages samba, python3-samba, ldap-utils, openssl,
# time. Skips (exit 0) when they are missing. Refuses to run while the
# test DC of scripts/samba-dc.sh holds ports 389/636.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
n=${BENCH_LDAP_OBJECTS:-5000}
runs=${BENCH_RUNS:-3}
skip() { echo "bench-ldap: skipped: $*"; exit 0; }

[[ $(id -u) == 0 ]] || skip "needs root (Samba AD DC on 127.0.0.1:389/636)"
for b in samba ldapsearch openssl /usr/bin/time; do
	command -v "$b" >/dev/null || skip "$b not installed"
done
/usr/bin/python3 -c 'import samba' 2>/dev/null || skip "python3-samba not installed"
if "$here/samba-dc.sh" env >/dev/null 2>&1; then
	echo "bench-ldap: a test DC is running (scripts/samba-dc.sh stop first)" >&2
	exit 1
fi

export PREFLIGHT_SAMBA_DIR=/tmp/preflight-samba-bench
tmp=$(mktemp -d /tmp/bench-ldap.XXXXXX)
cleanup() {
	"$here/samba-dc.sh" stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

load_start=$(date +%s)
PREFLIGHT_SAMBA_CONTACTS=$n PREFLIGHT_SAMBA_MEMBERS=0 "$here/samba-dc.sh" start >"$tmp/env" 2>"$tmp/start.log" ||
	{ cat "$tmp/start.log" >&2; exit 1; }
load_s=$(($(date +%s) - load_start))
# shellcheck disable=SC1091
source "$tmp/env"
(cd "$root" && go build -o "$tmp/preflight" ./cmd/preflight)

filter='(|(objectClass=user)(objectClass=contact)(objectClass=group)(objectClass=computer)(objectClass=domainDNS))'
mapfile -t attrs < <(cd "$root" && go run ./scripts/dirattrs)

# measure NAME CMD...: runs CMD $runs times; prints the median wall time,
# the largest peak RSS (KiB) and the median CPU time (user + system).
measure() {
	local name=$1
	shift
	: >"$tmp/$name.times"
	for _ in $(seq 1 "$runs"); do
		/usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/$name.err" || true
		tail -n 1 "$tmp/time" >>"$tmp/$name.times" # after any "Command exited with non-zero status"
	done
	sort -n "$tmp/$name.times" | awk -v n="$runs" 'NR == int((n + 1) / 2) { wall = $1; cpu = $3 + $4 } { if ($2 > rss) rss = $2 } END { print wall, rss, cpu }'
}

# The two commands, as scripts /usr/bin/time can run (exec: the measured
# process is the tool itself).
cat >"$tmp/pf.sh" <<EOS
exec "$tmp/preflight" scan --quiet --ldap-url "$PREFLIGHT_SAMBA_LDAPS_URL" \\
	--bind-user "$PREFLIGHT_SAMBA_BIND_USER" --bind-password-file "$PREFLIGHT_SAMBA_PASSWORD_FILE" \\
	--ldap-ca-file "$PREFLIGHT_SAMBA_CA_FILE" --out "$tmp/out" --format json \\
	--resolver 127.0.0.1:9 --dnsbl-zone none --rhsbl-zone none
EOS
{
	printf 'export LDAPTLS_CACERT=%q\n' "$PREFLIGHT_SAMBA_CA_FILE"
	printf 'exec ldapsearch -LLL -o ldif-wrap=no -x -H %q -D %q -y %q -b %q -E pr=1000/noprompt %q' \
		"$PREFLIGHT_SAMBA_LDAPS_URL" "$PREFLIGHT_SAMBA_BIND_USER" "$PREFLIGHT_SAMBA_PASSWORD_FILE" \
		"$PREFLIGHT_SAMBA_BASE_DN" "$filter"
	printf ' %q' "${attrs[@]}"
	printf ' >%q\n' "$tmp/dump.ldif"
} >"$tmp/ls.sh"

read -r pf_wall pf_rss pf_cpu < <(measure preflight bash "$tmp/pf.sh")
read -r ls_wall ls_rss ls_cpu < <(measure ldapsearch bash "$tmp/ls.sh")
[[ -f $tmp/out/report.json ]] || { echo "bench-ldap: preflight wrote no report:" >&2; cat "$tmp/preflight.err" >&2; exit 1; }
objects=$(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); s=[s for s in r["sources"] if s["kind"]=="ldap"][0]; assert s["status"]=="ok", s; print(s["objects"], s["duration_ms"])' "$tmp/out/report.json")
read -r pf_objects pf_src_ms <<<"$objects"
ls_objects=$(grep -c '^dn:' "$tmp/dump.ldif")
[[ $pf_objects == "$ls_objects" ]] || echo "bench-ldap: WARNING: preflight saw $pf_objects objects, ldapsearch $ls_objects" >&2

rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
cat <<EOT
Live LDAP vs ldapsearch: $pf_objects objects ($n bulk contacts + fixtures) from Samba $(samba --version | awk '{print $2}') on loopback, LDAPS, page size 1000, median of $runs runs; $(nproc) CPUs; DC loaded in ${load_s}s.

| tool | wall s | objects/s | client CPU s | peak RSS MiB | notes |
|---|---|---|---|---|---|
| preflight scan (whole run) | $pf_wall | $(rate "$pf_objects" "$pf_wall") | $pf_cpu | $(awk -v k="$pf_rss" 'BEGIN{printf "%.1f", k/1024}') | LDAP source alone: $(awk -v m="$pf_src_ms" 'BEGIN{printf "%.2f", m/1000}') s, $(rate "$pf_objects" "$(awk -v m="$pf_src_ms" 'BEGIN{print m/1000}')") objects/s; includes rule evaluation and report |
| ldapsearch -E pr=1000/noprompt > file | $ls_wall | $(rate "$ls_objects" "$ls_wall") | $ls_cpu | $(awk -v k="$ls_rss" 'BEGIN{printf "%.1f", k/1024}') | dump only |

preflight / ldapsearch wall-time ratio: $(awk -v a="$pf_wall" -v b="$ls_wall" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
EOT
