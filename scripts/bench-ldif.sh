#!/bin/sh
# bench-ldif.sh: end-to-end scale benchmark of preflight over a large LDIF
# export (default 1,000,000 objects). Generates the file if it is absent,
# then measures:
#   - a raw-tool baseline over the same file (grep -c '^dn' and wc -l),
#   - preflight scan --ldif FILE --format json --quiet under /usr/bin/time -v
#     (wall time, peak RSS), and objects/s,
#   - optionally hyperfine (BENCH_HYPERFINE=1) for repeated runs.
# Usage: scripts/bench-ldif.sh [OBJECTS]   (BENCH_DIR overrides the work dir)
set -eu

objects=${1:-1000000}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/preflight-bench}
file="$dir/big-$objects.ldif"
out="$dir/out"
bin="$dir/preflight"
mkdir -p "$dir" "$out"

cd "$(dirname "$0")/.."
go build -o "$bin" ./cmd/preflight
if [ ! -s "$file" ]; then
	echo "generating $file ..." >&2
	go run ./cmd/gen-ldif -n "$objects" -o "$file" -date "$(date -u +%Y-%m-%d)"
fi
size=$(wc -c <"$file")
entries=$(grep -c '^dn' "$file")

# Baseline: the cost of merely reading the file with standard tools (page
# cache warm after the first pass).
cat "$file" >/dev/null
t0=$(date +%s.%N)
# (not to /dev/null: GNU grep stops at the first match when it sees that)
grep -c '^dn' "$file" >"$dir/grep.out"
t1=$(date +%s.%N)
wc -l "$file" >"$dir/wc.out"
t2=$(date +%s.%N)
grep_s=$(echo "$t1 - $t0" | bc)
wc_s=$(echo "$t2 - $t1" | bc)

# Keep the scan off the network: the generated mail domains would otherwise
# be looked up with the system resolver.
offline="--offline"
log="$dir/time.txt"
# shellcheck disable=SC2086
/usr/bin/time -v "$bin" scan --ldif "$file" --format json --out "$out" --quiet $offline 2>"$log" || code=$?
code=${code:-0}
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
user=$(sed -n 's/.*User time (seconds): //p' "$log")
sys=$(sed -n 's/.*System time (seconds): //p' "$log")
# m:ss.cc or h:mm:ss to seconds
secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
rate=$(echo "$entries / $secs" | bc)
ratio=$(echo "scale=1; $secs / $grep_s" | bc)

echo "file:            $file ($(echo "$size / 1048576" | bc) MiB, $entries entries)"
echo "preflight exit:  $code"
echo "findings:        $(grep -c '"fingerprint"' "$out/report.json" || true), report $(($(wc -c <"$out/report.json") / 1024)) KiB"
echo "wall:            ${secs} s (user ${user} s, sys ${sys} s)"
echo "peak RSS:        $(echo "$rss_kb / 1024" | bc) MiB"
echo "objects/s:       $rate (per CPU second: $(echo "$entries / ($user + $sys)" | bc))"
echo "load average:    $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine slows the wall time)"
echo "baseline:        grep -c '^dn' ${grep_s} s, wc -l ${wc_s} s"
echo "ratio:           preflight / grep = ${ratio}x"

if [ "${BENCH_HYPERFINE:-0}" = 1 ] && command -v hyperfine >/dev/null; then
	# --output=pipe: with its output discarded grep stops at the first match.
	hyperfine --warmup 1 --runs "${BENCH_RUNS:-3}" -N --output=pipe \
		"grep -c ^dn $file" \
		"$bin scan --ldif $file --format json --out $out --quiet $offline"
fi
if [ "${BENCH_KEEP:-0}" != 1 ]; then
	rm -f "$file"
fi
