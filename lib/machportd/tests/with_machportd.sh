#!/bin/sh
# with_machportd.sh MACHPORTD PROGRAM [ARGS...]
#
# Runs PROGRAM against a machportd of its own: a private socket under /tmp
# (a sockaddr_un path is short; Bazel's TEST_TMPDIR is too deep), the
# daemon started first, PROGRAM run with MP_TEST_BACKEND=machportd and
# MACHPORTD_SOCKET set, then the daemon stopped with SIGTERM. It passes
# only if PROGRAM passes and the daemon's shutdown check passes: every
# space ended, invariants hold, no port, set or message left. The daemon's
# log is printed when anything fails. MPD_DAEMON_ARGS: more daemon options.
set -u
daemon=$1
shift
dir=$(mktemp -d /tmp/mpd-test.XXXXXX) || exit 1
chmod 700 "$dir"
export MACHPORTD_SOCKET="$dir/machportd.sock"
export MACHPORTD="$daemon"
export MACHPORTD_NO_AUTOSTART=1
export MP_TEST_BACKEND=machportd
log="$dir/machportd.log"

# shellcheck disable=SC2086
"$daemon" --socket "$MACHPORTD_SOCKET" --log "$log" ${MPD_DAEMON_ARGS:-} &
dpid=$!
i=0
while [ ! -S "$MACHPORTD_SOCKET" ] && [ $i -lt 500 ]; do
	sleep 0.01
	i=$((i + 1))
done
"$@"
rc=$?
kill -TERM "$dpid" 2>/dev/null
wait "$dpid"
drc=$?
if [ $rc -ne 0 ] || [ $drc -ne 0 ]; then
	echo "with_machportd: program exit $rc, machportd exit $drc; machportd's log:" >&2
	cat "$log" >&2
	[ $rc -ne 0 ] || rc=1
fi
rm -rf "$dir"
exit $rc
