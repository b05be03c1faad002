#!/usr/bin/env bash
# mpdump_test.sh MPDUMP TESTGEN JSON_LINT STRINGS_DEFS: checks mpdump's contract on messages of
# every kind, valid and invalid (exit codes, the rejected-line format, JSON output).
# Prints one line "N passed, N failed".
set -u
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
MPDUMP=$(abs "$1") TESTGEN=$(abs "$2") JSON_LINT=$(abs "$3") DEFS_DIR=$(abs "$(dirname "$4")")
DIR=$(mktemp -d "${TEST_TMPDIR:-/tmp}/mpdump.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
"$TESTGEN" "$DIR" || { echo "testgen failed"; echo "0 passed, 1 failed"; exit 1; }
cd "$DIR"
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect_rc RC CMD... : run CMD, compare its exit status
expect_rc() { local want=$1; shift; "$@" >out.txt 2>err.txt; local rc=$?
  if [ "$rc" = "$want" ]; then ok; else bad "$* -> exit $rc, want $want"; cat out.txt err.txt; fi; }
# expect_line PATTERN: out.txt has a line matching the extended regex
expect_line() { if grep -Eq -- "$1" out.txt; then ok; else bad "no line matching: $1"; cat out.txt; fi; }

# send mode: accepted, with names in the text dump
expect_rc 0 "$MPDUMP" --send send_simple.bin send_all_kinds.bin
expect_line '^send_simple.bin: accepted: send message, 28 bytes$'
expect_line '^send_all_kinds.bin: accepted: send message, 120 bytes$'
expect_line 'bits +0x80131513 +remote=COPY_SEND\(19\) local=MAKE_SEND_ONCE\(21\) voucher=COPY_SEND\(19\) COMPLEX'
expect_line '\[0\] PORT +@28 +name=0x0000040f disposition=MAKE_SEND\(20\)'
expect_line '\[1\] OOL +@40 +address=0x00007f0000001000 size=4096 copy=VIRTUAL_COPY deallocate=0'
expect_line '\[2\] OOL_PORTS +@56 .*count=2 disposition=COPY_SEND\(19\) copy=PHYSICAL_COPY'
expect_line '\[3\] OOL_VOLATILE +@72 '
expect_line '\[4\] GUARDED_PORT +@88 +name=0x00000513 disposition=MOVE_RECEIVE\(16\) flags=0x1 IMMOVABLE_RECEIVE context=0x0000000000000042'
expect_line 'inline: 16 bytes @104'
expect_line '69 6e 6c 69 6e 65 20 70'

# send mode: rejected, one line each, exact format
expect_rc 1 "$MPDUMP" --send send_all_kinds.bin send_bad_type.bin send_bad_remote.bin send_short.bin send_empty.bin
expect_line '^send_bad_type.bin: rejected: MP_E_DESC_TYPE MACH_SEND_INVALID_TYPE at offset 39: '
expect_line '^send_bad_remote.bin: rejected: MP_E_REMOTE_NAME MACH_SEND_INVALID_DEST at offset 8: '
expect_line '^send_short.bin: rejected: MP_E_SEND_SIZE MACH_SEND_MSG_TOO_SMALL at offset 0: '
expect_line '^send_empty.bin: rejected: MP_E_SEND_SIZE MACH_SEND_MSG_TOO_SMALL at offset 0: '
[ "$(grep -c ': rejected: ' out.txt)" = 4 ] && ok || bad "want exactly 4 rejected lines"

# receive mode
expect_rc 0 "$MPDUMP" --recv recv_all_kinds_audit.bin recv_all_kinds_sender.bin recv_mac_slack.bin recv_minimal_error.bin
expect_line '^recv_all_kinds_audit.bin: accepted: received message, 120 bytes$'
expect_line 'trailer: format 0, 52 bytes @120'
expect_line 'audit +auid=0 euid=0 egid=0 ruid=0 rgid=0 pid=4321 asid=0 pidversion=0'
expect_line 'sender +euid=501 egid=20'
expect_line 'slack: 16 bytes after the trailer'
expect_line '^recv_minimal_error.bin: accepted: received message, 24 bytes$'
expect_rc 1 "$MPDUMP" --recv recv_bad_trailer_size.bin recv_bad_local_bits.bin
expect_line '^recv_bad_trailer_size.bin: rejected: MP_E_TRAILER_SIZE at offset 124: '
expect_line '^recv_bad_local_bits.bin: rejected: MP_E_RECV_LOCAL_BITS at offset 1: '
expect_rc 1 "$MPDUMP" --recv --trailer-size 52 recv_all_kinds_sender.bin
expect_line '^recv_all_kinds_sender.bin: rejected: MP_E_TRAILER_MISMATCH at offset 124: '
expect_rc 0 "$MPDUMP" --recv --trailer-size 52 recv_all_kinds_audit.bin
# a message to send is not a received buffer (LOCAL MAKE_SEND_ONCE, no trailer)
expect_rc 1 "$MPDUMP" --recv send_all_kinds.bin

# JSON: one object per file, per line, and it parses
expect_rc 1 "$MPDUMP" --send --json send_all_kinds.bin send_bad_type.bin send_simple.bin
cp out.txt json.txt
[ "$(wc -l < json.txt)" = 3 ] && ok || bad "want 3 JSON lines"
"$JSON_LINT" < json.txt && ok || bad "send --json output is not JSON"
expect_line '"file":"send_bad_type.bin","mode":"send","accepted":false,"error":"MP_E_DESC_TYPE","mach_error":"MACH_SEND_INVALID_TYPE","mach_code":268435471,"offset":39'
expect_line '"type":"GUARDED_PORT","offset":88,"name":1299,"disposition":16,"disposition_name":"MOVE_RECEIVE","flags":1,"context":66'
expect_rc 0 "$MPDUMP" --recv --json recv_all_kinds_audit.bin recv_minimal_error.bin
"$JSON_LINT" < out.txt && ok || bad "recv --json output is not JSON"
expect_line '"audit":\{"auid":0,"euid":0,"egid":0,"ruid":0,"rgid":0,"pid":4321,"asid":0,"pidversion":0\}'

# standard input
expect_rc 0 sh -c "\"$MPDUMP\" --send - < send_simple.bin"
expect_line '^-: accepted: send message, 28 bytes$'

# under `bazel run` the tool runs elsewhere: relative paths are the caller's
# ($BUILD_WORKING_DIRECTORY), printed as given; absolute paths and - as they are
mkdir -p elsewhere
expect_rc 0 sh -c "cd elsewhere && BUILD_WORKING_DIRECTORY=\"$DIR\" \"$MPDUMP\" --send send_simple.bin"
expect_line '^send_simple.bin: accepted: send message, 28 bytes$'
expect_rc 0 sh -c "cd elsewhere && BUILD_WORKING_DIRECTORY=/nonexistent \"$MPDUMP\" --send \"$DIR/send_simple.bin\""
expect_rc 0 sh -c "BUILD_WORKING_DIRECTORY=/nonexistent \"$MPDUMP\" --send - < send_simple.bin"
expect_rc 2 sh -c "BUILD_WORKING_DIRECTORY=\"$DIR/elsewhere\" \"$MPDUMP\" --send send_simple.bin"
grep -q "^mpdump: send_simple.bin: No such file or directory" err.txt && ok || bad "the error names the path as given"

# usage and I/O errors exit 2
expect_rc 2 "$MPDUMP"
expect_rc 2 "$MPDUMP" --send
expect_rc 2 "$MPDUMP" send_simple.bin
expect_rc 2 "$MPDUMP" --bogus --send send_simple.bin
expect_rc 2 "$MPDUMP" --recv --trailer-size 16 recv_all_kinds_audit.bin
expect_rc 2 "$MPDUMP" --send does-not-exist.bin
expect_rc 0 "$MPDUMP" --help

# --spec: a subsystem printed from a compiled table and from a .defs, as text and JSON
expect_rc 0 "$MPDUMP" --spec-table mach_exc
expect_line '^subsystem mach_exc: base 2405, 5 routines'
expect_line 'field code: var_array, elem 8, max 2, wire 16 at 68, count codeCnt'
expect_rc 0 "$MPDUMP" --spec-table mach_exc --json
"$JSON_LINT" < out.txt && ok || bad "--spec-table --json is not JSON"
expect_rc 0 "$MPDUMP" --spec "$DEFS_DIR/strings.defs"
expect_line '^subsystem strings: base '
expect_rc 2 "$MPDUMP" --spec-table no_such_table
expect_rc 2 "$MPDUMP" --spec does-not-exist.defs
grep -q "does-not-exist.defs" err.txt && ok || bad "a missing .defs is named"
expect_rc 2 "$MPDUMP" --spec-table mach_exc --send spec_exc_raise.bin
# --spec --recv: MIG's server checks, with the routine's names
expect_rc 0 "$MPDUMP" --spec-table mach_exc --recv spec_exc_raise.bin
expect_line '^spec_exc_raise.bin: accepted: .*mach_exception_raise'
expect_line 'code'
expect_rc 1 "$MPDUMP" --spec-table mach_exc --recv spec_exc_raise.bin spec_exc_raise_count3.bin spec_exc_bad_id.bin
expect_line '^spec_exc_raise_count3.bin: refused: MIG_BAD_ARGUMENTS at offset 64: mach_exception_raise: codeCnt: count 3 > 2'
expect_line '^spec_exc_bad_id.bin: refused: MIG_BAD_ID at offset 20: '
expect_rc 1 "$MPDUMP" --spec-table mach_exc --recv --json spec_exc_raise.bin spec_exc_raise_count3.bin
"$JSON_LINT" < out.txt && ok || bad "--spec --recv --json is not JSON"
grep -q '"code":"MIG_BAD_ARGUMENTS"' out.txt && ok || bad "--json names the MIG code"
expect_rc 0 "$MPDUMP" --spec-table mach_exc --recv --strict spec_exc_raise.bin

# garbage: never a crash (exit 0 or 1), and --json stays JSON
for mode in --send --recv; do
  for json in "" --json; do
    "$MPDUMP" $mode $json garbage_*.bin > out.txt 2>err.txt; rc=$?
    if [ "$rc" = 0 ] || [ "$rc" = 1 ]; then ok; else bad "garbage $mode $json -> exit $rc"; cat err.txt; fi
    if [ -n "$json" ]; then "$JSON_LINT" < out.txt && ok || bad "garbage $mode --json is not JSON"; fi
  done
done
for json in "" --json; do
  "$MPDUMP" --spec-table mach_exc --recv $json garbage_*.bin > out.txt 2>err.txt; rc=$?
  if [ "$rc" = 0 ] || [ "$rc" = 1 ]; then ok; else bad "garbage --spec $json -> exit $rc"; cat err.txt; fi
  if [ -n "$json" ]; then "$JSON_LINT" < out.txt && ok || bad "garbage --spec --json is not JSON"; fi
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
