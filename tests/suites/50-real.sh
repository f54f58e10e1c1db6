# SPDX-License-Identifier: GPL-2.0-only
# Real trees: every rule over the whole Debian 6.1 and 6.12 trees (and
# mainline v6.19 when its snapshot was fetched) through
# the kernel's own make coccicheck, checked against the triaged lists.
. "$top/tests/lib/real.sh"
. "$top/tests/lib/fixtures.sh"

"$top/scripts/install-deps" --trees > /dev/null ||
	fail "cannot install the Debian kernel sources"

# Mainline v6.19 from a fetched snapshot when at hand (CI cannot fetch).
trees="6.12 6.1"
if mainline_tree > /dev/null 2>&1; then
	trees="$trees 6.19"
else
	echo "SKIP: 6.19: no snapshot of matankalina/linux-6.19.10-fork (fetch it with the search tool)"
fi
for v in $trees; do
	t=$(tree "$v") || { fail "$v: cannot prepare the tree"; continue; }
	# Report mode must leave the tree as it was: checksum before/after.
	sum_before=$(cd "$t" && find . -type f -print0 | sort -z | xargs -0 sha1sum | sha1sum)
	s=$(scan_tree "$v" report)
	check "$v: the scan exits 0" test "$(cat "$s.rc")" = 0
	check "$v: progress and a summary are printed" \
		grep -q "summary for $t" "$s.err"
	check "$v: unparsable definitions are counted" \
		grep -qE 'files with mm API tokens, [0-9]+ definitions skipped' "$s.err"
	sum_after=$(cd "$t" && find . -type f -print0 | sort -z | xargs -0 sha1sum | sha1sum)
	check "$v: report mode leaves the tree unchanged (checksum)" \
		test -n "$sum_before" -a "$sum_before" = "$sum_after"

	# One triage file per rule: tests/real/triage-VERSION/MMUnnn.txt,
	# each named after a rule of api/mmu_rules.def.
	odd=$(cd "$top/tests/real/triage-$v" && ls *.txt 2> /dev/null | sed 's/\.txt$//' |
		grep -vxF "$(fx_rule_ids)")
	check "$v: the triage files are named after rules of api/mmu_rules.def${odd:+ (not: $odd)}" \
		test -z "$odd"
	cat /dev/null "$top"/tests/real/triage-$v/*.txt | grep -v '^#' > "$work/triage-$v"
	finding_keys "$s.txt" > "$work/found-$v"
	cut -f1-3 "$work/triage-$v" | tr '\t' ' ' | sort -u > "$work/triaged-$v"
	same "$v: findings match the triaged list" "$work/triaged-$v" "$work/found-$v"
	fp=$(cut -f4 "$work/triage-$v" | grep -c '^FP$')
	echo "$v: $(wc -l < "$work/found-$v") findings, $fp false positives"
	check "$v: at most 10 false positives ($fp)" test "$fp" -le 10
	check "$v: every triage line has a verdict and a reason" \
		test -z "$(awk -F'\t' 'NF != 5 || ($4 != "FP" && $4 != "BUG")' "$work/triage-$v")"
done

# The other modes.  Patch mode over the whole 6.12 tree (its output must
# apply from the root); the 6.1 patch run and org and context, which only
# print what report mode found, over mm/ (most findings, a third of the
# time).
mm_findings() {
	grep -cE '^(\./)?mm/.*WARNING: \[MMU[0-9]{3}\]' "$(scan_tree "$1" report).txt"
}
for v in 6.12 6.1; do
	t=$(tree "$v") || continue
	dir=
	[ "$v" = 6.12 ] || dir=mm
	s=$(scan_tree "$v" patch $dir)
	check "$v: patch mode runs${dir:+ over $dir}" test "$(cat "$s.rc")" = 0
	if [ -s "$s.txt" ]; then
		check "$v: patch mode output applies from the tree root" \
			git -C "$t" apply --check "$s.txt"
	fi
done
n=$(mm_findings 6.12)
s=$(scan_tree 6.12 org mm)
check "6.12: org mode runs over mm" test "$(cat "$s.rc")" = 0
check "6.12: org mode lists the $n findings in mm" \
	test "$(grep -cE '^\* TODO.*\[MMU[0-9]{3}\]' "$s.txt")" = "$n"
s=$(scan_tree 6.12 context mm)
check "6.12: context mode runs over mm" test "$(cat "$s.rc")" = 0
check "6.12: context mode marks the findings in mm" \
	test "$(grep -cE '^-[^-].*[a-z_]+\(' "$s.txt")" -ge "$n"
