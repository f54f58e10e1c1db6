# SPDX-License-Identifier: GPL-2.0-only
# Synthetic fixtures: exact report output, the other modes, and fixes.

for c in "$top"/tests/fixtures/mmu0*.c; do
	r=$(basename "$c" .c)
	exp=${c%.c}.expected
	(cd "$top/tests/fixtures" && run_rule "$r" report "$r.c") | sort > "$work/$r.out"
	sort "$exp" > "$work/$r.exp"
	same "$r: report output" "$work/$r.exp" "$work/$r.out"
	n=$(wc -l < "$exp")

	(cd "$top/tests/fixtures" && run_rule "$r" org "$r.c") > "$work/$r.org"
	check "$r: org mode lists the $n findings" \
		test "$(grep -c '^\* TODO \[\[view:.*\]\[.*\[MMU0' "$work/$r.org")" = "$n"

	(cd "$top/tests/fixtures" && run_rule "$r" context "$r.c") > "$work/$r.ctx"
	check "$r: context mode marks the $n findings" \
		test "$(grep -cE '^-[^-].*[a-z_]+\(' "$work/$r.ctx")" = "$n"

	# Patch mode: the diff applies from the root, compiles and quiets
	# every finding the rule can fix (.after lists the rest).  Rules
	# without a fix (no "depends on patch" rule) report only.
	grep -q 'depends on patch' "$cocci/$r.cocci" || continue
	rm -rf "$work/p" && mkdir -p "$work/p/tests/fixtures" "$work/p/tests/stubs"
	cp "$c" "$work/p/tests/fixtures/" && cp "$top"/tests/stubs/* "$work/p/tests/stubs/"
	(cd "$work/p" && run_rule "$r" patch --patch . "tests/fixtures/$r.c") > "$work/$r.diff"
	check "$r: patch mode writes a fix" test -s "$work/$r.diff"
	check "$r: the fix applies with git apply from the root" \
		git -C "$work/p" apply --check "$work/$r.diff"
	git -C "$work/p" apply "$work/$r.diff" 2> /dev/null
	if gcc -fsyntax-only -Wno-implicit-function-declaration "$c" 2> /dev/null; then
		check "$r: the fixed fixture still compiles" \
			gcc -fsyntax-only "$work/p/tests/fixtures/$r.c"
	fi
	(cd "$work/p/tests/fixtures" && run_rule "$r" report "$r.c") | sort > "$work/$r.after"
	sort "${c%.c}.after" > "$work/$r.after.exp"
	same "$r: after the fix only unfixable findings remain" \
		"$work/$r.after.exp" "$work/$r.after"
done
