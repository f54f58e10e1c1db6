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
	for r in $(rule_stems); do
		[ -e "$cocci/$r.cocci" ] || continue	# the plugin's rule alone
		(cd "$kt/mm" && run_rule "$r" report "$(basename "$c")") \
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
# A rule's whole token query picks its files, conjunctions too: MMU003
# wants a hugetlb test and a range, so a file that only tests is not
# parsed (nor its unparsable definition counted); one with both is.
qt=$work/query-tree
mkdir -p "$qt/mm" "$qt/include/linux"
echo '/* stub */' > "$qt/include/linux/mm.h"
cat > "$qt/mm/test_only.c" <<'EOT'
static int test_only(struct vm_area_struct *vma)
{
	return is_vm_hugetlb_page(vma) +;
}
EOT
cat > "$qt/mm/with_range.c" <<'EOT'
static int with_range(struct vm_area_struct *vma, struct mmu_notifier_range *r)
{
	mmu_notifier_invalidate_range_start(r);
	return is_vm_hugetlb_page(vma) +;
}
EOT
run_driver d-query scan "$qt" -v --rules MMU003
check "driver: a file with both parts of a rule's token query is parsed" \
	grep -q '^mmucheck: mm/with_range.c:[0-9]*: not parsed by spatch, skipped: with_range$' \
	"$work/d-query.err"
check "driver: a file with one part of a conjunction is not" \
	eval '! grep -q "mm/test_only.c:[0-9]*: not parsed" "$work/d-query.err" &&
		grep -q "^mmucheck: 2 files scanned, 1 definitions skipped" "$work/d-query.err"'
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
nchanged=$(git -C "$g" diff --name-only HEAD~1 -- '*.c' '*.h' | grep -c .)
check "driver: --base scans only the changed file ($nchanged)" \
	grep -q "^mmucheck: $nchanged files scanned" "$work/d-base.err"

# SARIF: the official validator (Microsoft's SARIF multitool, from npm).
run_driver d-sarif scan "$kt" --format sarif
if sarif_validate "$work/d-sarif.out" > "$work/sarif.chk" 2>&1; then
	pass "driver: SARIF 2.1.0 output passes the SARIF validator"
else
	fail "driver: SARIF output does not validate: $(head -3 "$work/sarif.chk")"
fi

# The rules' SARIF metadata is the registry's (api/mmu_rules.def): its
# ids in order, title, description (paragraphs on one line each),
# backends.
rules_json > "$work/registry.json"
python3 - "$work/d-sarif.out" "$work/registry.json" > "$work/d-meta.chk" 2>&1 <<'PY'
import json, sys
rules = json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["rules"]
reg = json.load(open(sys.argv[2]))
assert [r["id"] for r in rules] == list(reg), [r["id"] for r in rules]
for r in rules:
	want = reg[r["id"]]
	desc = "\n\n".join(p.replace("\n", " ") for p in want["description"].rstrip("\n").split("\n\n"))
	assert r["shortDescription"]["text"] == want["title"], r["id"]
	assert r["fullDescription"]["text"] == desc, r["id"]
	assert r["help"]["text"] == desc, r["id"]
	assert r["name"] == want["slug"], r["id"]
	assert r["properties"]["backends"] == [b.lower() for b in want["backends"]], r["id"]
PY
check "driver: SARIF rule metadata is the registry's ($(tail -1 "$work/d-meta.chk"))" \
	test ! -s "$work/d-meta.chk"

# A registry rule without a semantic patch (the plugin's alone): named,
# the other rules run, its metadata still listed; alone it needs --build.
last_rule=$(rule_ids | tail -1)
mkdir -p "$work/cocci-partial"
for r in $(rule_stems | head -n -1); do
	[ -e "$cocci/$r.cocci" ] && cp "$cocci/$r.cocci" "$work/cocci-partial/"
done
MMUCHECK_COCCI_DIR=$work/cocci-partial run_driver d-plugin-only scan "$kt" --format sarif
check "driver: a rule without a semantic patch is named, the others run (exit $(cat "$work/d-plugin-only.rc"))" \
	test "$(cat "$work/d-plugin-only.rc")" = 1 -a \
	-n "$(grep "^mmucheck: $last_rule: no semantic patch in" "$work/d-plugin-only.err")"
check "driver: a rule without a semantic patch keeps its SARIF metadata" \
	python3 -c 'import json, sys
rules = json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["rules"]
sys.exit(sys.argv[2] not in [r["id"] for r in rules])' "$work/d-plugin-only.out" "$last_rule"
MMUCHECK_COCCI_DIR=$work/cocci-partial bad_input driver "--rules of a plugin-only rule alone asks for --build" \
	"give --build DIR" scan "$kt" --rules "$last_rule"

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
	bad_input driver "$@"
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
first_rule=$(rule_ids | head -1)
bad "an unknown rule among known ones names the known ones" \
	"unknown rule 'BOGUS' in --rules $first_rule,BOGUS (known: $(rule_ids | paste -sd' '))" \
	scan "$kt" --rules "$first_rule,BOGUS"
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
# CI shards: the steps of contrib/ci/github-actions.yml (the scan of each
# matrix shard, the merge job) and the merge of contrib/ci/gitlab-ci.yml,
# run here: shards 1/3, 2/3, 3/3 merged are the whole scan.
ci=$work/ci
mkdir -p "$ci/bin"
ln -sfn "$kt" "$ci/linux"
ln -sf "$mmucheck" "$ci/bin/mmucheck"
python3 - "$top/contrib/ci/github-actions.yml" "$top/contrib/ci/gitlab-ci.yml" \
	"$ci" > "$ci/extract.log" 2>&1 <<'PY'
import re, sys, yaml
gh, gl, out = yaml.safe_load(open(sys.argv[1])), yaml.safe_load(open(sys.argv[2])), sys.argv[3]
scan = gh["jobs"]["scan"]
shards = scan["strategy"]["matrix"]["shard"]
steps = {s.get("name", s.get("uses")): s for s in scan["steps"] + gh["jobs"]["merge"]["steps"]}
run = next(s["run"] for n, s in steps.items() if n.startswith("Scan shard"))
open(out + "/shards", "w").write("%d\n" % len(shards))
for i in shards:
	open(out + "/gh-scan-%d.sh" % i, "w").write(
		re.sub(r"\$\{\{ matrix.shard \}\}", str(i), run).replace("$SHARDS", str(gh["env"]["SHARDS"])))
open(out + "/gh-merge.sh", "w").write(steps["Merge the shards"]["run"])
assert steps["github/codeql-action/upload-sarif@v3"]["with"]["sarif_file"] == "mmucheck.sarif"
assert gl["mmucheck-scan"]["parallel"] == len(shards)
assert any("--shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\"" in l for l in gl["mmucheck-scan"]["script"])
open(out + "/gl-merge.sh", "w").write("\n".join(gl["mmucheck-merge"]["script"]).replace(
	"/tmp/mmucheck/build/mmucheck", "mmucheck") + "\n")
PY
check "shard: contrib/ci defines 3 shards, a merge and the SARIF upload ($(tail -1 "$ci/extract.log"))" \
	test ! -s "$ci/extract.log" -a "$(cat "$ci/shards" 2> /dev/null)" = 3
for i in 1 2 3; do
	(cd "$ci" && PATH=$ci/bin:$PATH bash --noprofile --norc -eo pipefail gh-scan-$i.sh) \
		2> "$ci/scan-$i.err"
	echo $? > "$ci/scan-$i.rc"
done
check "shard: each shard's scan step succeeds ($(cat "$ci"/scan-*.rc | paste -sd' '))" \
	test "$(cat "$ci"/scan-*.rc | paste -sd' ')" = "0 0 0"
nwhole=$(sed -nE 's/^mmucheck: ([0-9]+) files scanned.*/\1/p' "$work/d-text.err")
check "shard: the shards split the files, none empty ($(cat "$ci"/scan-*.err | sed -nE 's/^mmucheck: ([0-9]+) files scanned.*/\1/p' | paste -sd+) = $nwhole)" \
	test "$(cat "$ci"/scan-*.err | sed -nE 's/^mmucheck: ([1-9][0-9]*) files scanned.*/\1/p' |
		awk '{ n++; s += $1 } END { print n, s }')" = "3 $nwhole"
(cd "$ci" && PATH=$ci/bin:$PATH GITHUB_OUTPUT=$ci/gh-output \
	bash --noprofile --norc -eo pipefail gh-merge.sh) > "$ci/gh-merge.out" 2> "$ci/gh-merge.err"
check "shard: the merge job's text report is the whole scan's" \
	cmp -s "$work/d-text.out" "$ci/mmucheck.txt"
check "shard: the merge job's status is the whole scan's ($(cat "$ci/gh-output" 2> /dev/null))" \
	grep -qx "status=$(cat "$work/d-text.rc")" "$ci/gh-output"
check "shard: the merge prints the whole scan's summary" \
	test "$(grep '^mmucheck: [0-9]* files scanned' "$ci/gh-merge.err" | head -1)" = \
	"$(grep '^mmucheck: [0-9]* files scanned' "$work/d-text.err")"
if sarif_validate "$ci/mmucheck.sarif" > "$ci/sarif.chk" 2>&1; then
	pass "shard: the merged SARIF passes the SARIF validator"
else
	fail "shard: the merged SARIF does not validate: $(head -3 "$ci/sarif.chk")"
fi
(cd "$ci" && PATH=$ci/bin:$PATH bash gl-merge.sh > gl-merge.out 2> gl-merge.err)
echo $? > "$ci/gl-merge.rc"
# JSON compared after sorting: the findings and what was not analysed.
python3 - "$work/d-json.out" "$ci/mmucheck.json" > "$ci/json.chk" 2>&1 <<'PY'
import json, sys
def norm(path):
	d = json.load(open(sys.argv[1] if path == 1 else sys.argv[2]))
	d["findings"].sort(key=lambda f: (f["file"], f["line"], f["rule"], f["column"]))
	d["not_analysed"].sort(key=lambda n: (n["file"], n["rule"], n["reason"]))
	return d
whole, merged = norm(1), norm(2)
assert whole == merged, [k for k in whole if whole[k] != merged.get(k)]
PY
check "shard: the GitLab merge's JSON is the whole scan's, sorted ($(tail -1 "$ci/json.chk"))" \
	test ! -s "$ci/json.chk"
check "shard: the GitLab merge job exits as the whole scan ($(cat "$ci/gl-merge.rc"))" \
	test "$(cat "$ci/gl-merge.rc")" = "$(cat "$work/d-text.rc")"
run_driver d-merge-bl merge --baseline "$work/base line.json" "$ci"/mmucheck-shard-*.json
rc_is d-merge-bl 0 "shard: merge applies the baseline once: nothing new"

# Bad shards and reports that are not the shards of one scan.
for bad_shard in 0/3 4/3 1/0 3 x/3 1/3x -1/3 " 1/3" 1/9999999; do
	bad "--shard '$bad_shard' is a usage error" "--shard needs I/N" scan "$kt" --shard "$bad_shard"
done
bad "--shard with --base" "does not take --base" scan "$g" --shard 1/2 --base HEAD~1
bad "--shard with --update-baseline" "does not take --update-baseline" \
	scan "$kt" --shard 1/2 --baseline "$work/shard-bl.json" --update-baseline
r1=$(rule_ids | head -1)
r2=$(rule_ids | tail -1)
run_driver d-sh-a scan "$kt" --rules "$r1" --shard 1/2 --format json
run_driver d-sh-tree scan "$work/shifted" --rules "$r1" --shard 2/2 --format json
run_driver d-sh-rules scan "$kt" --rules "$r2" --shard 2/2 --format json
bad "merge refuses shards of different trees" "different trees" \
	merge "$work/d-sh-a.out" "$work/d-sh-tree.out"
bad "merge refuses shards of different rule sets" "different rule sets" \
	merge "$work/d-sh-a.out" "$work/d-sh-rules.out"
bad "merge refuses a shard given twice" "both shard 1/3" \
	merge "$ci/mmucheck-shard-1.json" "$ci/mmucheck-shard-1.json" "$ci/mmucheck-shard-2.json"
bad "merge refuses a missing shard" "2 reports for 3 shards" \
	merge "$ci/mmucheck-shard-1.json" "$ci/mmucheck-shard-3.json"
sed 's|"shard": "1/3"|"shard": "1/2"|' "$ci/mmucheck-shard-1.json" > "$ci/of-two.json"
bad "merge refuses shards of 2 and of 3" "2 and 3 shards" \
	merge "$ci/of-two.json" "$ci/mmucheck-shard-2.json"
sed 's/"mmucheck": "[^"]*"/"mmucheck": "0.0-other"/' "$ci/mmucheck-shard-2.json" > "$ci/other-version.json"
bad "merge refuses a report of another mmucheck version" "different mmucheck versions" \
	merge "$ci/mmucheck-shard-1.json" "$ci/other-version.json" "$ci/mmucheck-shard-3.json"
bad "merge refuses what is not a report" "not a JSON report of mmucheck scan" \
	merge "$work/base line.json"
check "driver: bad input left the tree unchanged" \
	test "$before" = "$(tree_sum "$kt")"
