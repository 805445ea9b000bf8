#!/usr/bin/env bash
# samba-dc.sh: a throw-away Samba Active Directory domain controller on
# loopback, for preflight's live-LDAP integration tests and benchmark.
#
#   scripts/samba-dc.sh start   provision, load fixtures, start; prints the env
#   scripts/samba-dc.sh prepare provision and load only (offline), do not start
#   scripts/samba-dc.sh stop    stop the DC and remove its directory
#   scripts/samba-dc.sh env     print the shell exports of a running DC
#
# Needs root (ports 389/636) and the Debian packages samba, ldap-utils,
# openssl and python3-samba. Realm PREFLIGHT.TEST, base DN
# DC=preflight,DC=test, listening on 127.0.0.1:389 (StartTLS) and :636
# (LDAPS) only, with a test CA and a server certificate for 127.0.0.1 and
# localhost.
#
# Environment:
#   PREFLIGHT_SAMBA_DIR      state directory (default /tmp/preflight-samba)
#   PREFLIGHT_SAMBA_CONTACTS bulk contacts to load (default 1600)
#   PREFLIGHT_SAMBA_MEMBERS  how many of them join "Big Group" (default 1600)
#   PREFLIGHT_SAMBA_FIXTURES 0 to skip testdata/ad/fixtures.ldif (default 1)
#   PREFLIGHT_SAMBA_USERS    benchmark users to load under OU=Bench, with
#                            contacts, computers and groups (default 0; see
#                            samba-load.py --bench)
#   PREFLIGHT_SAMBA_KEEP     1: start reuses a directory that was provisioned
#                            and loaded with the same settings, and stop
#                            keeps it (loading 20,000 users takes minutes)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${PREFLIGHT_SAMBA_DIR:-/tmp/preflight-samba}
contacts=${PREFLIGHT_SAMBA_CONTACTS:-1600}
members=${PREFLIGHT_SAMBA_MEMBERS:-1600}
fixtures=${PREFLIGHT_SAMBA_FIXTURES:-1}
users=${PREFLIGHT_SAMBA_USERS:-0}
keep=${PREFLIGHT_SAMBA_KEEP:-0}
# What the directory was loaded with: a kept directory is reused only for
# the same load.
stamp="contacts=$contacts members=$members fixtures=$fixtures users=$users"
adminpass='Preflight-Adm1n!'
# The Samba Python bindings live in the system interpreter, not in a
# pyenv or virtualenv one that may come first on PATH.
py=/usr/bin/python3

die() { echo "samba-dc: $*" >&2; exit 1; }

print_env() {
	cat <<EOT
export PREFLIGHT_SAMBA_DIR=$dir
export PREFLIGHT_SAMBA_LDAPS_URL=ldaps://127.0.0.1:636
export PREFLIGHT_SAMBA_STARTTLS_URL=ldap://127.0.0.1:389
export PREFLIGHT_SAMBA_BIND_USER=Administrator@preflight.test
export PREFLIGHT_SAMBA_BIND_DN='CN=Administrator,CN=Users,DC=preflight,DC=test'
export PREFLIGHT_SAMBA_PASSWORD_FILE=$dir/adminpass
export PREFLIGHT_SAMBA_CA_FILE=$dir/tls/ca.pem
export PREFLIGHT_SAMBA_BASE_DN='DC=preflight,DC=test'
EOT
}

running() {
	[[ -f $dir/samba.pid ]] && kill -0 "$(cat "$dir/samba.pid")" 2>/dev/null
}

make_certs() {
	local t=$dir/tls
	mkdir -p "$t"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=preflight test CA" \
		-keyout "$t/ca-key.pem" -out "$t/ca.pem" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
		-keyout "$t/key.pem" -out "$t/server.csr" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >"$t/ext.cnf"
	openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca-key.pem" -CAcreateserial \
		-days 3 -extfile "$t/ext.cnf" -out "$t/cert.pem" 2>/dev/null
	# A second CA nobody trusts, for the "unknown CA" test.
	openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=preflight other CA" \
		-keyout "$t/other-ca-key.pem" -out "$t/other-ca.pem" 2>/dev/null
	chmod 600 "$t/key.pem"
}

prepare() {
	[[ $(id -u) == 0 ]] || die "must run as root (binds 127.0.0.1:389 and :636)"
	command -v samba >/dev/null || die "samba not installed (apt-get install samba)"
	[[ -x $py ]] && $py -c 'import samba' 2>/dev/null || die "python3-samba not installed"
	running && die "a DC runs from $dir (stop it first)"
	if [[ $keep == 1 && -f $dir/loaded && $(cat "$dir/loaded") == "$stamp" ]]; then
		echo "samba-dc: reusing $dir ($stamp)" >&2
		return
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	printf '%s' "$adminpass" >"$dir/adminpass"
	chmod 600 "$dir/adminpass"
	make_certs
	local t=$dir/tls
	samba-tool domain provision --realm=PREFLIGHT.TEST --domain=PREFLIGHT \
		--server-role=dc --dns-backend=NONE --targetdir="$dir" \
		--option="interfaces=127.0.0.1" --option="bind interfaces only=yes" \
		--option="server services = ldap" \
		--option="log file = $dir/log.%m" \
		--option="tls enabled = yes" --option="tls keyfile = $t/key.pem" \
		--option="tls certfile = $t/cert.pem" --option="tls cafile = $t/ca.pem" \
		--adminpass="$adminpass" >"$dir/provision.log" 2>&1 ||
		{ tail -20 "$dir/provision.log" >&2; die "provision failed"; }
	local conf=$dir/etc/smb.conf
	local args=(--schema "$root/testdata/ad/schema.ldif")
	[[ $fixtures == 1 ]] && args+=(--ldif "$root/testdata/ad/fixtures.ldif")
	((contacts > 0)) && args+=(--contacts "$contacts" --group-members "$members")
	((users > 0)) && args+=(--bench "$users")
	$py "$here/samba-load.py" "$conf" "${args[@]}" 2>&1 | sed 's/^/samba-dc: /' >&2
	printf '%s' "$stamp" >"$dir/loaded"
}

start() {
	if running; then
		print_env
		return
	fi
	prepare
	local t=$dir/tls conf=$dir/etc/smb.conf
	# -i: stay in the foreground (we background it and keep the pid);
	# -M single: one process, enough for tests and easy to stop.
	setsid samba -i -M single -s "$conf" </dev/null >"$dir/samba.out" 2>&1 &
	echo $! >"$dir/samba.pid"
	local i
	for i in $(seq 1 120); do
		if LDAPTLS_CACERT=$t/ca.pem ldapsearch -x -H ldaps://127.0.0.1:636 -b '' -s base \
			-LLL defaultNamingContext >/dev/null 2>&1; then
			echo "samba-dc: ready in $dir" >&2
			print_env
			return
		fi
		running || { tail -20 "$dir/samba.out" >&2; die "samba exited"; }
		sleep 0.5
	done
	stop
	die "samba did not answer on 127.0.0.1:636 within 60s"
}

stop() {
	if [[ -f $dir/samba.pid ]]; then
		local pid
		pid=$(cat "$dir/samba.pid")
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null || true
			for _ in $(seq 1 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -f "$dir/samba.pid"
	[[ $keep == 1 ]] && return
	case $dir in
	/tmp/?*) rm -rf "$dir" ;;
	*) echo "samba-dc: not removing $dir (not under /tmp)" >&2 ;;
	esac
}

case ${1:-} in
start) start ;;
prepare) prepare ;;
stop) stop ;;
env) running || die "not running"; print_env ;;
*) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
