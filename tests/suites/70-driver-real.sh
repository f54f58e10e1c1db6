# SPDX-License-Identifier: GPL-2.0-only
# The driver on a git repository made from Debian's 6.12 tree, with a
# branch of three project-made commits: a harmless one, one that shifts
# the lines of a known finding, and one that injects a bug (mutation 16).
. "$top/tests/lib/driver.sh"
. "$top/tests/lib/mutate.sh"
. "$top/tests/lib/real.sh"

repo=$(git_repo 6.12) || fail "driver-real: cannot make the git repository"
gitc() {
	git -C "$repo" -c user.name=mmucheck -c user.email=mmucheck@localhost "$@"
}
gitc checkout -qf base && gitc clean -qfdx && gitc branch -qD topic fixed 2>/dev/null
gitc checkout -qb topic

# 1. Harmless: a comment in a bracketed function.
(cd "$repo" && perl -0777 -i -pe 's/(static int madvise_free_single_vma\(.*?\n\tmmu_notifier_invalidate_range_start\(&range\);\n)/$1\t\/* lazily freed pages are dropped below *\/\n/s' mm/madvise.c)
gitc commit -qam "mm/madvise: comment the MADV_FREE walk"
# 2. Shift: lines inside __collapse_huge_page_copy_succeeded(), whose
#    ptep_clear()s are a triaged false positive, move down.
(cd "$repo" && perl -0777 -i -pe 's/(static void __collapse_huge_page_copy_succeeded\(.*?\n\{\n)/$1\t\/*\n\t * The PTE table is detached: no walker reaches these entries.\n\t *\/\n/s' mm/khugepaged.c)
gitc commit -qam "mm/khugepaged: explain the detached table"
# 3. The bug.
apply_mutation "$top/tests/mutations/16-mremap-unbracketed.mut" "$repo/mm/mremap.c"
gitc commit -qam "mm/mremap: drop a bracket"
check "driver-real: the branch has the three commits" \
	test "$(gitc rev-list --count base..topic)" = 3

# The baseline of the base tree (MMU001 over the whole tree).
gitc checkout -q base
run_driver r-bl scan "$repo" --rules MMU001 --baseline "$work/bl.json" --update-baseline
rc_is r-bl 0 "driver-real: baseline of the base tree"
check "driver-real: the baseline holds __collapse_huge_page_copy_succeeded" \
	grep -q '"function": "__collapse_huge_page_copy_succeeded"' "$work/bl.json"
gitc checkout -q topic

# Only the bug is new (move_ptes()'s update, and move_page_tables()'s call
# of it where the start was dropped); the shifted finding stays old.
run_driver r-base scan "$repo" --base base --baseline "$work/bl.json" --format json
rc_is r-base 1 "driver-real: scan --base fails on the branch's bug"
python3 - "$work/r-base.out" > "$work/r-base.chk" <<'PY'
import json, sys
fs = json.load(open(sys.argv[1]))["findings"]
print(sorted({(f["rule"], f["function"], f["new"]) for f in fs}))
PY
check "driver-real: only the bug is new, the shifted finding kept old ($(cat "$work/r-base.chk"))" \
	grep -qx "\[('MMU001', '__collapse_huge_page_copy_succeeded', False), ('MMU001', 'move_page_tables', True), ('MMU001', 'move_ptes', True)\]" \
	"$work/r-base.chk"
nchanged=$(gitc diff --name-only base topic -- '*.c' '*.h' | grep -c .)
check "driver-real: scan --base looks only at the $nchanged changed files" \
	grep -q "^mmucheck: $nchanged files scanned" "$work/r-base.err"

# Without the bug commit, the branch passes the gate.
gitc checkout -q topic~1
run_driver r-clean scan "$repo" --base base --baseline "$work/bl.json"
rc_is r-clean 0 "driver-real: the harmless and shifting commits pass the gate"
gitc checkout -q topic
run_driver r-one scan "$repo" --base topic~1
check "driver-real: scan --base topic~1 reports just the bug" \
	test -s "$work/r-one.out" -a \
	-z "$(grep -v '^mm/mremap.c:.*\[MMU001\].*\[move_p\(tes\|age_tables\)\]$' "$work/r-one.out")"
check "driver-real: the scans left the repository clean" \
	test -z "$(gitc status --porcelain --ignored)"

# fix: a mail per fix that git am applies, checkpatch accepts, and after
# which the rescan of the branch no longer reports move_ptes().  The
# baseline keeps the known (triaged) finding out of the series.
run_driver r-fix fix "$repo" --base base --baseline "$work/bl.json" --rules MMU001 -o "$work/real-series"
rc_is r-fix 0 "driver-real: fix writes the series"
check "driver-real: fix --baseline writes one mail, for the new finding only" \
	test "$(ls "$work"/real-series/*.patch | wc -l)" = 1
mail=$(grep -l '^Subject: .*mm/mremap: .*move_ptes()' "$work"/real-series/*.patch | head -1)
check "driver-real: the mremap fix is a mail with a Fixes: tag naming the bug commit" \
	grep -q "^Fixes: [0-9a-f]\{12\} (\"mm/mremap: drop a bracket\")$" "${mail:-/dev/null}"
check "driver-real: the mail has no line numbers in its message" \
	test -n "$mail" -a -z "$(sed -n '/^Subject/,/^---$/p' "${mail:-/dev/null}" | grep -i 'line [0-9]')"
check "driver-real: the mail says what this site does (the update it flags)" \
	grep -q '^move_ptes() in mm/mremap.c: [a-z_]*() with no' "${mail:-/dev/null}"
check "driver-real: the mail names no API generation the 6.12 tree is not on" \
	test -n "$mail" -a -z "$(sed -n '/^Subject/,/^---$/p' "${mail:-/dev/null}" | grep -E 'v[2-5]\.[0-9]+|v6\.[0-9]-|<= v')"
check "driver-real: fix left the repository clean" \
	test -z "$(gitc status --porcelain --ignored)"
check "driver-real: the tree's checkpatch.pl accepts the mail" \
	sh -c 'cd "$1" && perl scripts/checkpatch.pl --quiet "$2"' - "$repo" "${mail:-/dev/null}"
gitc checkout -qB fixed topic
check "driver-real: git am applies the mail" gitc am -q "${mail:-/dev/null}"
run_driver r-rescan scan "$repo" --base base --rules MMU001
check "driver-real: after the fix the rescan no longer reports move_ptes" \
	test -z "$(grep '\[move_ptes\]$' "$work/r-rescan.out")" -a -s "$work/r-rescan.err"
gitc am --abort 2>/dev/null
gitc checkout -qf topic
