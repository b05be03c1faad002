#!/bin/sh
# lib/spec/tests/defs_mpmig_cli_test.sh MPMIG: //:mpmig's command line: a good
# .defs gives the table, the header and the layout check; a bad one exits 1
# with file:line: reason on stderr; bad usage exits 1.
set -eu
mpmig=$1
tmp=${TEST_TMPDIR:-/tmp}/mpmig_cli
mkdir -p "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$mpmig" lib/spec/testdata/strings.defs -o "$tmp/s.c" --header "$tmp/s.h" \
	--mig-layout-check "$tmp/check.c" || fail "good .defs refused"
grep -q 'const mp_spec_subsystem_t strings_spec = {' "$tmp/s.c" || fail "no strings_spec table"
grep -q 'extern const mp_spec_subsystem_t strings_spec;' "$tmp/s.h" || fail "no header declaration"
grep -q 'MPMIG_CHECK(offsetof(__Request__var_string_t, name) == 40' "$tmp/check.c" ||
	fail "no layout check"

"$mpmig" -D EXTRA -I lib/spec/testdata --symbol my_table lib/spec/testdata/ports.defs -o "$tmp/p.c" ||
	fail "-D / -I / --symbol refused"
grep -q 'const mp_spec_subsystem_t my_table = {' "$tmp/p.c" || fail "--symbol ignored"

printf 'subsystem bad 1;\n\nroutine r(x: nosuch_t);\n' >"$tmp/bad.defs"
if "$mpmig" "$tmp/bad.defs" -o "$tmp/bad.c" 2>"$tmp/err"; then fail "bad .defs accepted"; fi
grep -q "bad.defs:3: type 'nosuch_t' not defined" "$tmp/err" || fail "stderr: $(cat "$tmp/err")"

if "$mpmig" 2>/dev/null; then fail "no arguments accepted"; fi
if "$mpmig" a.defs b.defs -o x.c 2>/dev/null; then fail "two inputs accepted"; fi
echo PASS
