# SPDX-License-Identifier: GPL-2.0-only
# The mmucheck driver on a small synthetic tree (the fixtures under mm/):
# formats, baselines, --base on a git branch, bad input.
. "$top/tests/lib/driver.sh"
. "$top/tests/lib/mutate.sh"
. "$top/tests/lib/fixtures.sh"

kt="$work/k tree"		# a space in the path, on purpose
mkdir -p "$kt/mm" "$kt/include/linux" "$kt/stubs"
fx_flat "$kt/mm"
cp "$top/tests/stubs/mmu_stubs.h" "$kt/stubs/"
echo '/* stub */' > "$kt/include/linux/mm.h"
cat > "$kt/mm/broken.c" <<'EOT'
static void broken(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	ptep_clear_flush(vma, a, p) +;
}
EOT
before=$(tree_sum "$kt")

# Text: every rule's findings on every fixture (a fixture may show a
# bug of another rule too), gcc-style, sorted by file and line.
run_driver d-text scan "$kt" -j 2
rc_is d-text 1 "driver: new findings exit 1"
for c in "$kt"/mm/mmu0*.c; do
	for r in "$cocci"/mmu0*.cocci; do
		(cd "$kt/mm" && run_rule "$(basename "$r" .cocci)" report "$(basename "$c")") \
			> "$work/d-rule.txt"
		gcc_style "$work/d-rule.txt" mm/
	done
done | sort -u | sort -t: -k1,1 -k2,2n -k3,3n > "$work/d-text.exp"
same "driver: text output is the fixtures' findings, gcc-style, sorted" \
	"$work/d-text.exp" "$work/d-text.out"
# Files with API tokens: the fixtures, broken.c and the stub header.
nfiles=$(($(ls "$kt"/mm/mmu0*.c | wc -l) + 2))
check "driver: the summary counts files and unparsable definitions" \
	grep -q "^mmucheck: $nfiles files scanned, 1 definitions skipped" "$work/d-text.err"
run_driver d-verbose scan "$kt" -v --rules MMU001
check "driver: -v names the unparsable definition" \
	grep -q '^mmucheck: mm/broken.c:[0-9]*: not parsed by spatch, skipped: broken$' \
	"$work/d-verbose.err"
check "driver: the summary gives findings by rule" \
	grep -qE 'findings \([0-9]+ new\), MMU001: [0-9]+' "$work/d-text.err"
check "driver: the scan leaves the tree unchanged" \
	test "$before" = "$(tree_sum "$kt")"

# --build: the plugin's facts of the same files join the report; a
# finding both backends make (same rule, same line) is listed once.
mkdir -p "$work/kt-build/mmucheck-facts"
(cd "$kt" && gcc -O2 -c -o /dev/null -fplugin="$top/build/gcc-plugin/mmucheck.so" \
	-fplugin-arg-mmucheck-facts="$work/kt-build/mmucheck-facts" mm/mmu004_unbalanced.c 2> /dev/null)
run_driver d-build scan "$kt" --rules MMU004 --build "$work/kt-build"
check "driver: scan --build says it linked the plugin's facts" \
	grep -q '^mmucheck: linked the plugin.s facts of 1 units' "$work/d-build.err"
check "driver: scan --build lists a finding of both backends once" \
	test "$(grep -c '^mm/mmu004_unbalanced.c:13:.*\[early_return\]$' "$work/d-build.out")" = 1
check "driver: scan --build adds the plugin's own findings" \
	grep -q '^mm/mmu004_unbalanced.c:41:.*\[MMU004\] range field .end. written' "$work/d-build.out"

# JSON: parses, round-trips, and says what the text says.
run_driver d-json scan "$kt" --format json
python3 - "$work/d-json.out" "$work/d-text.out" > "$work/d-json.chk" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert json.loads(json.dumps(doc)) == doc
text = ["%s:%d:%d: warning: [%s] %s [%s]" % (f["file"], f["line"], f["column"],
	f["rule"], f["message"], f["function"]) for f in doc["findings"]]
assert text == open(sys.argv[2]).read().splitlines(), "json and text differ"
assert doc["summary"]["findings"] == len(text)
assert len({f["fingerprint"] for f in doc["findings"]}) == len(text)
PY
check "driver: JSON round-trips and matches the text report ($(tail -1 "$work/d-json.chk"))" \
	test ! -s "$work/d-json.chk"

# Baseline: after --update-baseline nothing is new; exit 0.
run_driver d-bl-up scan "$kt" --baseline "$work/base line.json" --update-baseline
rc_is d-bl-up 0 "driver: --update-baseline exits 0"
run_driver d-bl scan "$kt" --baseline "$work/base line.json"
rc_is d-bl 0 "driver: with the baseline nothing is new"
check "driver: the baseline run still lists the old findings" \
	cmp -s "$work/d-text.out" "$work/d-bl.out"

# Line shifts keep fingerprints; a new bug is new.
cp -r "$kt" "$work/shifted"
sed -i '3i /* three\n * new\n * lines */' "$work/shifted/mm/mmu004_unbalanced.c"
perl -0777 -i -pe 's/(int balanced\(.*?mmu_notifier_invalidate_range_start\(&range\);\n)/$1\tif (busy > 1)\n\t\treturn -1;\n/s' \
	"$work/shifted/mm/mmu004_unbalanced.c"
run_driver d-shift scan "$work/shifted" --baseline "$work/base line.json" --format json
rc_is d-shift 1 "driver: a new bug after a line shift exits 1"
python3 -c '
import json, sys
new = [(f["rule"], f["function"]) for f in json.load(open(sys.argv[1]))["findings"] if f["new"]]
print(new)' "$work/d-shift.out" > "$work/d-shift.new"
check "driver: only the injected bug is new after the shift ($(cat "$work/d-shift.new"))" \
	grep -qx "\[('MMU004', 'balanced')\]" "$work/d-shift.new"

# --base on a git branch: only the changed function is judged.
g=$work/git
cp -r "$kt" "$g"
git -C "$g" init -q && git -C "$g" add -A &&
	git -C "$g" -c user.name=t -c user.email=t@t commit -qm base
cp "$work/shifted/mm/mmu004_unbalanced.c" "$g/mm/"
git -C "$g" -c user.name=t -c user.email=t@t commit -qam bug
run_driver d-base scan "$g" --base HEAD~1
rc_is d-base 1 "driver: --base finds the branch's bug"
check "driver: --base reports only the changed function ($(cut -d' ' -f3- "$work/d-base.out" | tr '\n' ' '))" \
	test "$(grep -c . "$work/d-base.out")" = 1 -a \
	"$(grep -c '\[MMU004\].*\[balanced\]$' "$work/d-base.out")" = 1
check "driver: --base scans only the changed file" \
	grep -q '^mmucheck: 1 files scanned' "$work/d-base.err"

# SARIF: the official validator (Microsoft's SARIF multitool, from npm).
run_driver d-sarif scan "$kt" --format sarif
if sarif_validate "$work/d-sarif.out" > "$work/sarif.chk" 2>&1; then
	pass "driver: SARIF 2.1.0 output passes the SARIF validator"
else
	fail "driver: SARIF output does not validate: $(head -3 "$work/sarif.chk")"
fi

# The CHECK= slot: flags as kbuild passes them, the file last; findings
# as notes on stderr, exit 0 so the build goes on.
# The file name holds a space and shell characters, on purpose.
odd='mm/legacy copy;$(touch pwned).c'
cp "$kt/mm/mmu006_legacy_page.c" "$work/$(basename "$odd")"
mkdir -p "$work/odd/mm" "$work/odd/stubs" && mv "$work/$(basename "$odd")" "$work/odd/$odd"
cp "$top/tests/stubs/mmu_stubs.h" "$work/odd/stubs/"
(cd "$work/odd" && "$mmucheck" check -D__KERNEL__ -Wbitwise -Iinclude "$odd") \
	> "$work/d-check.out" 2> "$work/d-check.err"
check "driver: check exits 0 with a finding on stderr" \
	test $? = 0 -a "$(grep -cF "$odd:12:2: warning: [MMU006]" "$work/d-check.err")" = 1
check "driver: no shell ever saw the file name" test ! -e "$work/odd/pwned"
(cd "$kt" && "$mmucheck" check -D__KERNEL__ mm/broken.c) > /dev/null 2> "$work/d-broken.err"
check "driver: check on a file gcc cannot compile says so (exit 2)" \
	test $? = 2 -a -n "$(grep -F 'mm/broken.c: gcc with the plugin failed' "$work/d-broken.err")"

# make install: the installed command finds its installed semantic patches.
make -s -C "$top" install PREFIX="$work/inst" > /dev/null
run_driver d-inst-version --version
"$work/inst/bin/mmucheck" scan "$kt" --rules MMU006 > "$work/d-inst.out" 2>&1
check "driver: the installed command scans with the installed rules" \
	grep -q '\[MMU006\]' "$work/d-inst.out"
(cd "$work/odd" && "$work/inst/bin/mmucheck" check -Iinclude "$odd") 2> "$work/d-inst-check.err"
check "driver: the installed check slot loads the installed plugin" \
	test $? = 0 -a -e "$work/inst/lib/mmucheck/mmucheck.so"
check "driver: --version names mmucheck, spatch and gcc" \
	test "$(grep -cE '^(mmucheck [0-9]|spatch: spatch version|gcc: gcc)' "$work/d-inst-version.out")" = 3

# Bad input: a clear message, exit 2, the tree unchanged.
bad() {
	local name=$1 pattern=$2
	shift 2
	run_driver d-bad "$@"
	if [ "$(cat "$work/d-bad.rc")" = 2 ] && grep -q -- "$pattern" "$work/d-bad.err"; then
		pass "driver: $name"
	else
		fail "driver: $name (exit $(cat "$work/d-bad.rc"): $(head -2 "$work/d-bad.err"))"
	fi
}
mkdir -p "$work/plain"
bad "not a kernel tree" "is not a kernel source tree" scan "$work/plain"
bad "unknown format" "unknown --format" scan "$kt" --format xml
bad "--base with an unknown revision" "not a known revision" scan "$g" --base no-such-rev
bad "--base outside a git repository" "not a known revision" scan "$kt" --base HEAD
echo '{"mmucheck_baseline": 1, "findings": [' > "$work/corrupt.json"
bad "corrupt baseline" "not a baseline" scan "$kt" --baseline "$work/corrupt.json"
echo '{"something": 2}' > "$work/foreign.json"
bad "foreign JSON as baseline" "not a mmucheck baseline" scan "$kt" --baseline "$work/foreign.json"
bad "unwritable baseline" "cannot write baseline" scan "$kt" \
	--baseline "$work/no-such-dir/b.json" --update-baseline
touch "$work/a-file"
bad "fix into an unwritable output directory" "cannot create" fix "$kt" -o "$work/a-file/series"
bad "fix without -o" "fix needs -o DIR" fix "$kt"
bad "an unknown rule among known ones" "unknown rule 'BOGUS'" scan "$kt" --rules MMU001,BOGUS
run_driver d-spaced scan "$kt" --rules 'MMU004, MMU002'
check "driver: --rules takes a list with spaces (both rules run)" \
	bash -c "grep -q '\[MMU004\]' '$work/d-spaced.out' && grep -q '\[MMU002\]' '$work/d-spaced.out'"
mkdir -p "$work/nospatch"
for t in git grep sed cat head perl; do ln -sf "$(command -v $t)" "$work/nospatch/$t"; done
PATH=$work/nospatch bad "spatch missing" "spatch not found" scan "$kt"
# A spatch that dies by SIGKILL once the rules run, as under the OOM killer.
mkdir -p "$work/killspatch"
printf '#!/bin/sh\ncase " $* " in *" -D "*) kill -9 $$ ;; esac\nexec %s "$@"\n' \
	"$(command -v spatch)" > "$work/killspatch/spatch"
chmod +x "$work/killspatch/spatch"
PATH=$work/killspatch:$PATH bad "spatch killed mid-run" "killed by signal 9" scan "$kt"
check "driver: bad input left the tree unchanged" \
	test "$before" = "$(tree_sum "$kt")"
