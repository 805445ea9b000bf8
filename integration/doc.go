// Package integration holds end-to-end tests that run preflight against
// real servers on loopback, through the real command-line code path.
//
// They run when the machine can host the servers and skip (with the
// reason) otherwise: TestMain needs root (ports 389 and 636), the Debian
// packages samba, python3-samba, ldap-utils and openssl, and no
// PREFLIGHT_NO_INTEGRATION in the environment. It starts a throw-away
// Samba Active Directory domain controller with scripts/samba-dc.sh,
// loads testdata/ad, runs the tests and stops the DC again; a DC that
// was already running (scripts/samba-dc.sh start) is reused and left
// running. DNS lookups of the scan go to a stub resolver on loopback.
//
//	go test ./integration/        # as root, about 35 s with the DC start
package integration
