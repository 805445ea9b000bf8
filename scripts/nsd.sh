#!/bin/sh
# nsd.sh: run an authoritative NSD on a loopback port serving the test
# zones of testdata/dns (or another directory), for the integration tests
# and the blocklist benchmark. Only 127.0.0.1 is ever bound.
#
#   scripts/nsd.sh start WORKDIR PORT [ZONEDIR]   start in the background; prints the pid
#   scripts/nsd.sh stop WORKDIR                   stop the server started in WORKDIR
#
# Every *.zone file of ZONEDIR (default testdata/dns) is served as the zone
# named by the file name without ".zone". A zone file with errors is still
# configured: NSD answers SERVFAIL for it (the tests rely on that).
set -eu
cmd=${1:-}
work=${2:-}
[ -n "$cmd" ] && [ -n "$work" ] || { echo "usage: $0 start WORKDIR PORT [ZONEDIR] | stop WORKDIR" >&2; exit 2; }
NSD=${NSD:-$(command -v nsd || echo /usr/sbin/nsd)}
case $cmd in
start)
	port=${3:?port missing}
	zones=${4:-$(cd "$(dirname "$0")/.." && pwd)/testdata/dns}
	[ -x "$NSD" ] || { echo "nsd.sh: nsd not installed" >&2; exit 3; }
	mkdir -p "$work"
	work=$(cd "$work" && pwd)
	conf=$work/nsd.conf
	cat > "$conf" <<CONF
server:
	ip-address: 127.0.0.1@$port
	port: $port
	username: ""
	chroot: ""
	zonesdir: "$zones"
	database: ""
	zonelistfile: "$work/zone.list"
	xfrdfile: "$work/xfrd.state"
	xfrdir: "$work"
	pidfile: "$work/nsd.pid"
	logfile: "$work/nsd.log"
	server-count: 1
	verbosity: 1
	hide-version: yes
	minimal-responses: no
	refuse-any: yes
	tcp-count: 256
	# No response rate limiting: tests and benchmarks query hard from one address.
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
remote-control:
	control-enable: no
CONF
	for f in "$zones"/*.zone; do
		z=$(basename "$f" .zone)
		printf 'zone:\n\tname: "%s"\n\tzonefile: "%s"\n' "$z" "$f" >> "$conf"
	done
	"$NSD" -d -c "$conf" >>"$work/nsd.out" 2>&1 &
	pid=$!
	echo "$pid" > "$work/nsd.shpid"
	# Wait until the server answers (SOA of the first zone), at most 10 s.
	first=$(basename "$(ls "$zones"/*.zone | head -n1)" .zone)
	i=0
	while [ $i -lt 100 ]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "nsd.sh: nsd exited; log:" >&2
			cat "$work/nsd.out" "$work/nsd.log" >&2 2>/dev/null || true
			exit 1
		fi
		if command -v dig >/dev/null 2>&1; then
			dig +time=1 +tries=1 @127.0.0.1 -p "$port" "$first" SOA >/dev/null 2>&1 && break
		elif [ -s "$work/nsd.pid" ]; then
			sleep 0.3; break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "$pid"
	;;
stop)
	if [ -f "$work/nsd.shpid" ]; then
		pid=$(cat "$work/nsd.shpid")
		kill "$pid" 2>/dev/null || true
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		rm -f "$work/nsd.shpid"
	fi
	;;
*)
	echo "usage: $0 start WORKDIR PORT [ZONEDIR] | stop WORKDIR" >&2
	exit 2
	;;
esac
