# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers of the mmucheck tests: counters, assertions, scratch.

passed=0
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/mmucheck-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
cache=${MMUCHECK_CACHE:-$HOME/.cache/mmucheck}
cocci=$top/cocci
spatch_opts="--very-quiet --no-includes --include-headers"

pass() {
	passed=$((passed + 1))
	echo "PASS: $*"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}

# check NAME COMMAND...: pass when COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# same NAME EXPECTED_FILE ACTUAL_FILE: exact comparison, diff on failure.
same() {
	if diff -u "$2" "$3" > "$work/diff"; then
		pass "$1"
	else
		fail "$1"
		sed 's/^/    /' "$work/diff" | head -40
	fi
}

# Run one rule over files with spatch as coccicheck does, in MODE.
run_rule() {
	local rule=$1 mode=$2
	shift 2
	spatch $spatch_opts -D "$mode" --sp-file "$cocci/$rule.cocci" "$@" 2> "$work/spatch.err"
	if grep -qE 'Python failure|Fatal error|Error in Python' "$work/spatch.err"; then
		echo "spatch failed for $rule:" >&2
		head -5 "$work/spatch.err" >&2
		return 1
	fi
}

summary() {
	echo "$passed passed, $failed failed"
	[ $failed = 0 ]
}
