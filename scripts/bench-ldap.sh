#!/usr/bin/env bash
# bench-ldap.sh: time a live LDAP scan by preflight against a dump of the
# same objects by ldapsearch (paged, same filter and attributes), from the
# same Samba AD DC on loopback, in paired, interleaved runs. Prints a
# Markdown table for docs/benchmarks.md ("Live LDAP vs ldapsearch").
#
#   sudo scripts/bench-ldap.sh                       # 20,000 users, 5 pairs
#   BENCH_LDAP_USERS=5000 BENCH_RUNS=3 sudo scripts/bench-ldap.sh
#   BENCH_LDAP_KEEP=1 sudo scripts/bench-ldap.sh     # keep the loaded DC
#
# The DC is loaded offline through Samba's Python bindings into sam.ldb
# (scripts/samba-load.py --bench, large transactions): about 6 minutes for
# 20,000 users on 2 cores; LDAP adds through the running server take far
# longer. With BENCH_LDAP_KEEP=1 the loaded directory
# (/tmp/preflight-samba-bench) is kept and reused by the next run.
#
# Needs root and the packages samba, python3-samba, ldap-utils, openssl,
# time. Skips (exit 0) when they are missing. Refuses to run while the
# test DC of scripts/samba-dc.sh holds ports 389/636.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
users=${BENCH_LDAP_USERS:-20000}
runs=${BENCH_RUNS:-5}
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
export PREFLIGHT_SAMBA_CONTACTS=0 PREFLIGHT_SAMBA_USERS=$users
export PREFLIGHT_SAMBA_KEEP=${BENCH_LDAP_KEEP:-0}
tmp=$(mktemp -d /tmp/bench-ldap.XXXXXX)
cleanup() {
	"$here/samba-dc.sh" stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

load_start=$(date +%s)
"$here/samba-dc.sh" start >"$tmp/env" 2>"$tmp/start.log" || { cat "$tmp/start.log" >&2; exit 1; }
load_s=$(($(date +%s) - load_start))
# shellcheck disable=SC1091
source "$tmp/env"
(cd "$root" && go build -o "$tmp/preflight" ./cmd/preflight)

filter='(|(objectClass=user)(objectClass=contact)(objectClass=group)(objectClass=computer)(objectClass=domainDNS))'
mapfile -t attrs < <(cd "$root" && go run ./scripts/dirattrs)

# The two commands, as scripts /usr/bin/time can run (exec: the measured
# process is the tool itself).
cat >"$tmp/pf.sh" <<EOS
exec "$tmp/preflight" scan --quiet --offline --ldap-url "$PREFLIGHT_SAMBA_LDAPS_URL" \\
	--bind-user "$PREFLIGHT_SAMBA_BIND_USER" --bind-password-file "$PREFLIGHT_SAMBA_PASSWORD_FILE" \\
	--ldap-ca-file "$PREFLIGHT_SAMBA_CA_FILE" --out "$tmp/out" --format json
EOS
{
	printf 'export LDAPTLS_CACERT=%q\n' "$PREFLIGHT_SAMBA_CA_FILE"
	printf 'exec ldapsearch -LLL -o ldif-wrap=no -x -H %q -D %q -y %q -b %q -E pr=1000/noprompt %q' \
		"$PREFLIGHT_SAMBA_LDAPS_URL" "$PREFLIGHT_SAMBA_BIND_USER" "$PREFLIGHT_SAMBA_PASSWORD_FILE" \
		"$PREFLIGHT_SAMBA_BASE_DN" "$filter"
	printf ' %q' "${attrs[@]}"
	printf ' >%q\n' "$tmp/dump.ldif"
} >"$tmp/ls.sh"

# once: one run of each NAME CMD...; appends "wall rss_kib cpu_s" to NAME.times.
once() {
	local name=$1
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/$name.err" || true
	tail -n 1 "$tmp/time" | awk '{ print $1, $2, $3 + $4 }' >>"$tmp/$name.times"
}
# A warm-up pair (Samba's caches, the page cache), not counted.
bash "$tmp/pf.sh" >/dev/null 2>&1 || true
bash "$tmp/ls.sh" >/dev/null 2>&1 || true
: >"$tmp/preflight.times"
: >"$tmp/ldapsearch.times"
for i in $(seq 1 "$runs"); do
	# Alternate which tool goes first, so neither always meets a DC
	# warmed by the other.
	if ((i % 2)); then
		once preflight bash "$tmp/pf.sh"
		once ldapsearch bash "$tmp/ls.sh"
	else
		once ldapsearch bash "$tmp/ls.sh"
		once preflight bash "$tmp/pf.sh"
	fi
done
[[ -f $tmp/out/report.json ]] || { echo "bench-ldap: preflight wrote no report:" >&2; cat "$tmp/preflight.err" >&2; exit 1; }
objects=$(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); s=[s for s in r["sources"] if s["kind"]=="ldap"][0]; assert s["status"]=="ok", s; print(s["objects"], s["duration_ms"])' "$tmp/out/report.json")
read -r pf_objects pf_src_ms <<<"$objects"
ls_objects=$(grep -c '^dn:' "$tmp/dump.ldif")
[[ $pf_objects == "$ls_objects" ]] || echo "bench-ldap: WARNING: preflight saw $pf_objects objects, ldapsearch $ls_objects" >&2
[[ -n ${BENCH_LDAP_SAVE:-} ]] && cp "$tmp/out/report.json" "$BENCH_LDAP_SAVE"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$2" '{ print $c }' "$tmp/$1.times" | median; }
ratios=$(paste "$tmp/preflight.times" "$tmp/ldapsearch.times" | awk '{ printf "%.2f\n", $1 / $4 }')
ratio=$(echo "$ratios" | median)
pf_wall=$(col preflight 1) ls_wall=$(col ldapsearch 1)
pf_cpu=$(col preflight 3) ls_cpu=$(col ldapsearch 3)
pf_rss=$(col preflight 2) ls_rss=$(col ldapsearch 2)
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
cat <<EOT
Live LDAP vs ldapsearch: $pf_objects objects ($users bench users and the rest) from Samba $(samba --version | awk '{print $2}') on loopback, LDAPS, page size 1000, $runs interleaved pairs (after a warm-up pair); $(nproc) CPUs; DC started in ${load_s}s.

| tool | wall s (median) | objects/s | client CPU s (median) | peak RSS MiB (median) | notes |
|---|---|---|---|---|---|
| preflight scan --offline (whole run) | $pf_wall | $(rate "$pf_objects" "$pf_wall") | $pf_cpu | $(mib "$pf_rss") | LDAP source alone (last run): $(awk -v m="$pf_src_ms" 'BEGIN{printf "%.2f", m/1000}') s; includes rule evaluation and report.json |
| ldapsearch -E pr=1000/noprompt > file | $ls_wall | $(rate "$ls_objects" "$ls_wall") | $ls_cpu | $(mib "$ls_rss") | dump only |

Per-pair wall ratios preflight / ldapsearch: $(echo $ratios); median **$ratio**
EOT
