# SPDX-License-Identifier: GPL-2.0-only
# Issue 11, outputs: baselines never lost or shrunk, bad output paths
# refused before the scan, stdout errors, the link step on bad facts and
# at scale, --rules with --build, the check slot, scripts/mmucheck-scan
# arguments, SARIF URIs.  A synthetic tree; no real kernel trees.
. "$top/tests/lib/driver.sh"

rt="$work/robust tree"
mkdir -p "$rt/mm" "$rt/include/linux" "$rt/stubs"
. "$top/tests/lib/fixtures.sh"
fx_flat "$rt/mm" MMU004 MMU006
cp "$top/tests/stubs/mmu_stubs.h" "$rt/stubs/"
echo '/* stub */' > "$rt/include/linux/mm.h"

# entries FILE [RULE]: how many baseline entries (of RULE).
entries() {
	python3 -c '
import json, sys
fs = json.load(open(sys.argv[1]))["findings"]
print(len([f for f in fs if len(sys.argv) < 3 or f["rule"] == sys.argv[2]]))' "$@"
}

# scanned NAME: did the run start scanning (it should not have)?
not_scanned() {
	! grep -q 'rules\? over' "$work/$1.err"
}

# early NAME PATTERN TEST-NAME ARGS...: exit 2 with PATTERN, before the scan.
early() {
	local name=$1 pattern=$2 what=$3
	shift 3
	run_driver "$name" "$@"
	if [ "$(cat "$work/$name.rc")" = 2 ] && grep -q -- "$pattern" "$work/$name.err" &&
	   not_scanned "$name"; then
		pass "robust: $what"
	else
		fail "robust: $what (exit $(cat "$work/$name.rc"): $(head -3 "$work/$name.err"))"
	fi
}

# --- Baselines ----------------------------------------------------------
bl=$work/bl.json
run_driver r-bl-full scan "$rt" --baseline "$bl" --update-baseline
full=$(entries "$bl")
n6=$(entries "$bl" MMU006)
check "robust: the baseline holds findings of two rules ($full, $n6 MMU006)" \
	test "$full" -gt "$n6" -a "$n6" -gt 0
ino=$(stat -c %i "$bl")
run_driver r-bl-rules scan "$rt" --rules MMU006 --baseline "$bl" --update-baseline
check "robust: --rules X --update-baseline keeps the other rules' entries ($(entries "$bl") of $full)" \
	test "$(entries "$bl")" = "$full"
check "robust: the baseline is replaced by a rename, not rewritten in place" \
	test "$(stat -c %i "$bl")" != "$ino"
check "robust: no temporary file is left beside the baseline" \
	test "$(ls "$work" | grep -c '^bl\.json')" = 1
run_driver r-bl-after scan "$rt" --baseline "$bl"
rc_is r-bl-after 0 "robust: after a --rules update a full scan finds nothing new"

# --base: the baseline keeps what the branch did not touch.
g=$work/rgit
cp -r "$rt" "$g"
git -C "$g" init -q && git -C "$g" add -A &&
	git -C "$g" -c user.name=t -c user.email=t@t commit -qm base
cp "$bl" "$work/bl-base.json"
sed -i '1i /* a branch comment */' "$g/mm/mmu006_legacy_page.c"
run_driver r-bl-base scan "$g" --base HEAD --baseline "$work/bl-base.json" --update-baseline
rc_is r-bl-base 0 "robust: scan --base --update-baseline exits 0"
check "robust: --base --update-baseline keeps the unscanned entries ($(entries "$work/bl-base.json") of $full)" \
	test "$(entries "$work/bl-base.json")" = "$full"
run_driver r-bl-base-after scan "$g" --baseline "$work/bl-base.json"
rc_is r-bl-base-after 0 "robust: after a --base update a full scan finds nothing new"

# Concurrent updates take turns: the file stays valid JSON with all.
rm -f "$work/bl-c.json"
for r in MMU004 MMU006 MMU004 MMU006; do
	"$mmucheck" scan "$rt" --rules $r --baseline "$work/bl-c.json" --update-baseline \
		> /dev/null 2>&1 &
done
wait
check "robust: concurrent --update-baseline runs merge into valid JSON ($(entries "$work/bl-c.json" 2>&1 | tail -1) of $full)" \
	test "$(entries "$work/bl-c.json" 2>/dev/null)" = "$full"

# Bad output paths fail before the scan.
mkdir -p "$work/bl-dir"
early r-bl-isdir "not a regular file" "--update-baseline into a directory" \
	scan "$rt" --baseline "$work/bl-dir" --update-baseline
cp "$bl" "$work/bl-ro.json" && chmod 0444 "$work/bl-ro.json"
early r-bl-ro "read-only\|Permission denied" "--update-baseline into a read-only file" \
	scan "$rt" --baseline "$work/bl-ro.json" --update-baseline
early r-bl-full "not a regular file" "--update-baseline into /dev/full" \
	scan "$rt" --baseline /dev/full --update-baseline
check "robust: /dev/full is still a character device" test -c /dev/full
echo 'int main(void) { return 0; }' > "$work/source.c"
early r-bl-src "not a mmucheck baseline\|not a baseline" "--update-baseline over a file that is not a baseline" \
	scan "$rt" --baseline "$work/source.c" --update-baseline
touch "$work/a-file"
early r-fix-file "not a directory" "fix -o a regular file" fix "$rt" -o "$work/a-file"
early r-build-none "--build" "--build /nonexistent" scan "$rt" --build /nonexistent/build
mkdir -p "$work/empty-build"
early r-build-empty "no facts files" "--build of a directory without facts" \
	scan "$rt" --build "$work/empty-build"

# fix -o: a non-empty directory needs --force, which replaces the series.
mkdir -p "$work/series"
echo stale > "$work/series/0001-old-fix.patch"
echo mine > "$work/series/notes.txt"
early r-fix-full "not empty" "fix -o a non-empty directory without --force" \
	fix "$rt" --rules MMU006 -o "$work/series"
run_driver r-fix-force fix "$rt" --rules MMU006 --force -o "$work/series"
check "robust: fix --force removes the old series and keeps other files" \
	test ! -e "$work/series/0001-old-fix.patch" -a -e "$work/series/notes.txt" \
	-a "$(cat "$work/r-fix-force.rc")" != 2

# --- stdout ---------------------------------------------------------------
"$mmucheck" scan "$rt" --rules MMU006 > /dev/full 2> "$work/r-full.err"
check "robust: scan > /dev/full exits 2 with a message" \
	test $? = 2 -a -n "$(grep 'cannot write the output' "$work/r-full.err")"
"$mmucheck" scan "$rt" --rules MMU006 --format json >&- 2> "$work/r-closed.err"
check "robust: scan with stdout closed exits 2 with a message" \
	test $? = 2 -a -n "$(grep 'stdout' "$work/r-closed.err")"
# fix prints the mails' names: a checkpatch.pl that accepts all lets
# the synthetic tree's fixes be written.
mkdir -p "$rt/scripts" && echo 'exit 0;' > "$rt/scripts/checkpatch.pl"
rm -rf "$work/series2"
"$mmucheck" fix "$rt" --rules MMU006 -o "$work/series2" > /dev/full 2> "$work/r-fixfull.err"
check "robust: fix > /dev/full exits 2 with a message" \
	test $? = 2 -a -n "$(grep 'cannot write the output' "$work/r-fixfull.err")" -a \
	-n "$(ls "$work/series2")"

# --- The link step ----------------------------------------------------------
facts=$work/rfacts
mkdir -p "$facts"
(cd "$rt" && gcc -O2 -c -o /dev/null -fplugin="$top/build/gcc-plugin/mmucheck.so" \
	-fplugin-arg-mmucheck-facts="$facts" mm/mmu004_unbalanced.c 2> /dev/null)
cp -r "$facts" "$work/rfacts-fifo"
mkfifo "$work/rfacts-fifo/pipe.json"
timeout 20 "$mmucheck" link "$work/rfacts-fifo" "$rt" > /dev/null 2> "$work/r-fifo.err"
check "robust: link on a FIFO named *.json does not hang, names it, exits 2" \
	test $? = 2 -a -n "$(grep 'pipe.json: not a regular file' "$work/r-fifo.err")"

mkdir -p "$work/rfacts-bad"
cat > "$work/rfacts-bad/bad.json" <<'EOT'
{"mmucheck-facts": 1, "gcc": "x", "unit": "mm/x.c",
 "updates": [{"function": "f", "name": "f", "callee": "ptep_clear", "file": "mm/x.c",
              "line": 9223372036854775807, "column": 1}],
 "unshares": [], "sites": [], "fields": [], "indirect": [],
 "findings": [{"rule": [], "function": {}, "message": 7, "file": "mm/x.c", "line": 3, "column": 1},
              {"rule": "MMU004", "function": "g", "message": "m", "file": "mm/x.c", "line": 3, "column": 2}]}
EOT
run_driver r-link-bad link "$work/rfacts-bad" "$rt"
check "robust: link skips facts entries of the wrong type, naming the file (exit 2)" \
	test "$(cat "$work/r-link-bad.rc")" = 2 -a \
	"$(grep -c 'bad.json: .* skipped' "$work/r-link-bad.err")" = 2
check "robust: link prints no line -1 and no empty finding, keeps the good one" \
	test -z "$(grep -e ':-1:' -e ':0:0:' -e '\[\] ' "$work/r-link-bad.out")" -a \
	"$(grep -c ':3:2: warning: \[MMU004\] m \[g\]' "$work/r-link-bad.out")" = 1
mkdir -p "$work/rfacts-empty"
run_driver r-link-empty link "$work/rfacts-empty" "$rt"
rc_is r-link-empty 2 "robust: link of an empty directory is an error"
mkdir -p "$work/rfacts-foreign" && echo '{"name": "package"}' > "$work/rfacts-foreign/package.json"
run_driver r-link-foreign link "$work/rfacts-foreign" "$rt"
rc_is r-link-foreign 2 "robust: link of a foreign directory is an error"

# Many stores and indirect calls through one field: linear, not n * m.
python3 - "$work/rfacts-big" 20000 <<'PY'
import json, os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d, exist_ok=True)
json.dump({"mmucheck-facts": 1, "gcc": "x", "unit": "big.c", "updates": [],
	"unshares": [], "sites": [], "findings": [],
	"fields": [{"field": "pmd_entry", "function": "cb%d" % i, "open": False} for i in range(n)],
	"indirect": [{"caller": "walk%d" % i, "field": "pmd_entry", "open": False} for i in range(n)]},
	open(d + "/big.json", "w"))
PY
start=$(date +%s)
timeout 60 "$mmucheck" link "$work/rfacts-big" "$rt" > /dev/null 2>&1
rc=$? secs=$(($(date +%s) - start))
check "robust: link of 20k field stores x 20k indirect calls takes ${secs}s (< 10 s)" \
	test $rc = 0 -a $secs -lt 10

# --rules with --build: only the selected rules' findings; fix does not crash.
run_driver r-build-rules scan "$rt" --rules MMU006 --build "$facts"
check "robust: scan --rules MMU006 --build prints no other rule's findings" \
	test -z "$(grep -v '\[MMU006\]' "$work/r-build-rules.out")" -a \
	"$(cat "$work/r-build-rules.rc")" != 2
rm -rf "$work/series3"
run_driver r-fix-build fix "$rt" --rules MMU006 --build "$facts" -o "$work/series3"
check "robust: fix --rules MMU006 --build with other rules' facts does not crash (exit $(cat "$work/r-fix-build.rc"))" \
	test "$(cat "$work/r-fix-build.rc")" -le 1

# --- The check slot -----------------------------------------------------------
(cd "$rt" && "$mmucheck" check -fdiagnostic-prefix -fmemcpy-max-count=100 \
	-fmax-warnings=50 -Wsparse-all -Wno-decl -gcc-base-dir /usr/lib/gcc \
	-D__KERNEL__ mm/mmu006_legacy_page.c) > /dev/null 2> "$work/r-check.err"
check "robust: check drops sparse's own flags (exit $?)" \
	test "$(grep -c 'gcc with the plugin failed' "$work/r-check.err")" = 0 -a \
	"$(grep -c '\[MMU006\]' "$work/r-check.err")" -ge 1
(cd "$rt" && MMUCHECK_CC=/nonexistent/cc "$mmucheck" check mm/mmu006_legacy_page.c) \
	> /dev/null 2> "$work/r-check-cc.err"
check "robust: check with a missing compiler says it could not run it" \
	grep -q 'cannot run the compiler /nonexistent/cc' "$work/r-check-cc.err"

# --- scripts/mmucheck-scan ------------------------------------------------------
ft=$work/fake-kernel/a/b
mkdir -p "$ft/mm" "$ft/scripts" && touch "$ft/scripts/coccicheck" "$ft/Makefile"
for opt in --mode --rules --debian -M; do
	(cd "$ft" && timeout 10 "$top/scripts/mmucheck-scan" "$opt") > /dev/null 2> "$work/r-script.err"
	check "robust: mmucheck-scan $opt without a value is an error (exit $?)" \
		test $? = 2 -a -n "$(grep 'needs a value' "$work/r-script.err")"
done
timeout 20 "$top/scripts/mmucheck-scan" -M ../../.. "$ft" > /dev/null 2> "$work/r-script-m.err"
check "robust: mmucheck-scan -M ../../.. is refused (exit $?)" \
	test $? = 2 -a -n "$(grep 'outside the tree' "$work/r-script-m.err")"

# --- SARIF URIs ---------------------------------------------------------------
st="$work/sarif #tree"
mkdir -p "$st/mm" "$st/include/linux" "$st/stubs"
cp "$rt/mm/mmu006_legacy_page.c" "$st/mm/with space.c"
cp "$top/tests/stubs/mmu_stubs.h" "$st/stubs/"
echo '/* stub */' > "$st/include/linux/mm.h"
run_driver r-sarif scan "$st" --rules MMU006 --format sarif
python3 - "$work/r-sarif.out" > "$work/r-sarif.chk" 2>&1 <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
uris = {l["physicalLocation"]["artifactLocation"]["uri"]
	for r in run["results"] for l in r["locations"]}
assert uris == {"mm/with%20space.c"}, uris
root = run["originalUriBaseIds"]["SRCROOT"]["uri"]
assert "%23tree/" in root and " " not in root and "#" not in root, root
PY
check "robust: SARIF URIs are percent-encoded ($(tail -1 "$work/r-sarif.chk"))" \
	test ! -s "$work/r-sarif.chk"
if [ -x "$cache/npm/node_modules/.bin/sarif-multitool" ]; then
	if sarif_validate "$work/r-sarif.out" > "$work/r-sarif.val" 2>&1; then
		pass "robust: SARIF with a space and a '#' passes the SARIF validator"
	else
		fail "robust: SARIF with a space and a '#': $(head -3 "$work/r-sarif.val")"
	fi
fi
