# SPDX-License-Identifier: GPL-2.0-only
# The scan under faults (issue 11): nothing lost without a word, nothing
# hung, nothing read outside the tree, the repository and $TMPDIR left
# as they were.  spatch's failures are played by a wrapper named spatch
# put first in PATH; everything else runs the real tools.
. "$top/tests/lib/driver.sh"

rs=$work/rs
rs_kt=$rs/tree
mkdir -p "$rs/tmp" "$rs/fake" "$rs_kt/mm" "$rs_kt/include/linux" "$rs_kt/stubs"
. "$top/tests/lib/fixtures.sh"
fx_flat "$rs_kt/mm" MMU006 MMU001
cp "$top/tests/stubs/mmu_stubs.h" "$rs_kt/stubs/"
echo '/* stub */' > "$rs_kt/include/linux/mm.h"
rs_real_spatch=$(command -v spatch)

# The wrapper: FAKE_MODE says how the report runs (-D report) misbehave.
cat > "$rs/fake/spatch" <<EOF
#!/bin/sh
case " \$* " in *" -D report "*) ;; *) exec "$rs_real_spatch" "\$@" ;; esac
case "\${FAKE_MODE:-}" in
exn)	"$rs_real_spatch" "\$@"; rc=\$?
	echo "EXN: Stack overflow in mm/mmu006_legacy_page.c" >&2; exit \$rc ;;
unreadable) "$rs_real_spatch" "\$@"; rc=\$?
	echo "Skipping unreadable file: mm/mmu001_unbracketed.c" >&2; exit \$rc ;;
unicode) echo "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff" >&2; exit 0 ;;
fatal)	echo 'Fatal error: exception Failure("boom")' >&2; exit 0 ;;
garbage) echo "this is not a report line"; exit 0 ;;
torn)	echo "mm/mmu006_legacy_page.c:1:0-3: WARNING: [MMU006 no close (function f)"; exit 0 ;;
outside) for f in /etc/passwd ../secret.txt mm/link.c; do
		echo "\$f:1:0-3: WARNING: [MMU006] planted (function f)"
	done; exit 0 ;;
sleep)	echo \$\$ >> "\$FAKE_PIDS"; exec sleep 300 ;;
fixsleep) case "\$PWD" in */mmucheck-fix.*)	# fix's re-check of a patched copy
		echo \$\$ >> "\$FAKE_PIDS"; exec sleep 300 ;; esac ;;
esac
exec "$rs_real_spatch" "\$@"
EOF
chmod +x "$rs/fake/spatch"

# rs_run NAME MODE ARGS...: the driver with the wrapper and a private TMPDIR.
rs_run() {
	local name=$1 mode=$2
	shift 2
	FAKE_MODE=$mode PATH=$rs/fake:$PATH TMPDIR=$rs/tmp run_driver "$name" "$@"
}

# rs_json NAME: "findings listed/counted, not analysed listed/counted".
rs_json() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
print(len(d["findings"]), s["findings"], len(d["not_analysed"]),
      s["files_not_analysed"], " ".join(sorted({n["file"] for n in d["not_analysed"]})))
' "$work/$1.out" 2>&1
}

# Silent loss: every kind of spatch failure names the file(s), counts them
# in the summary and JSON, and exits 2.
rs_lost() {
	local mode=$1 file=$2 what=$3
	rs_run "rs-$mode" "$mode" scan "$rs_kt" --rules MMU006,MMU001 --format json
	if [ "$(cat "$work/rs-$mode.rc")" = 2 ] &&
	   grep -qE "^mmucheck: $file: not analysed by MMU[0-9]{3}: " "$work/rs-$mode.err" &&
	   grep -q "files NOT ANALYSED (named above)" "$work/rs-$mode.err" &&
	   rs_json "rs-$mode" | grep -q "^[0-9]* [0-9]* [1-9][0-9]* [1-9][0-9]* .*$file"; then
		pass "robust-scan: $what: $file named, counted, exit 2"
	else
		fail "robust-scan: $what (exit $(cat "$work/rs-$mode.rc"), json: $(rs_json "rs-$mode"), $(grep -v '^mmucheck: \[' "$work/rs-$mode.err" | head -3))"
	fi
}
rs_lost exn mm/mmu006_legacy_page.c "spatch's EXN: Stack overflow in FILE"
rs_lost unreadable mm/mmu001_unbracketed.c "spatch's Skipping unreadable file"
rs_lost unicode mm/mmu006_legacy_page.c "a UnicodeDecodeError (the job's files)"
rs_lost fatal mm/mmu001_unbracketed.c "spatch's Fatal error with exit 0"
rs_lost garbage mm/mmu006_legacy_page.c "output that is no report line, exit 0"
rs_lost torn mm/mmu006_legacy_page.c "a report line whose rule tag never closes (found by make fuzz)"
check "robust-scan: the other findings of a partial scan are still reported" \
	test "$(rs_json rs-exn | cut -d' ' -f1)" -gt 0

rs_run rs-allow exn scan "$rs_kt" --rules MMU006 --allow-partial
check "robust-scan: --allow-partial exits 1 on findings, still naming the file" \
	test "$(cat "$work/rs-allow.rc")" = 1 -a \
	-n "$(grep 'mm/mmu006_legacy_page.c: not analysed' "$work/rs-allow.err")"

rs_run rs-sarif exn scan "$rs_kt" --rules MMU006 --format sarif
python3 - "$work/rs-sarif.out" > "$work/rs-sarif.chk" 2>&1 <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))["runs"][0]["invocations"][0]
notes = inv["toolExecutionNotifications"]
assert not inv["executionSuccessful"]
uris = [l["physicalLocation"]["artifactLocation"]["uri"] for n in notes for l in n["locations"]]
assert "mm/mmu006_legacy_page.c" in uris, uris
PY
check "robust-scan: SARIF names the file in toolExecutionNotifications ($(tail -1 "$work/rs-sarif.chk"))" \
	test ! -s "$work/rs-sarif.chk"
if sarif_validate "$work/rs-sarif.out" > "$work/rs-sarif.val" 2>&1; then
	pass "robust-scan: SARIF with notifications passes the SARIF validator"
else
	fail "robust-scan: SARIF with notifications does not validate: $(head -3 "$work/rs-sarif.val")"
fi

# grep (the candidate prefilter) that cannot read a file: named, exit 2.
mkdir -p "$rs/fakegrep"
cat > "$rs/fakegrep/grep" <<EOF
#!/bin/sh
$(command -v grep) "\$@"
echo "grep: ./mm/secret.c: Permission denied" >&2
exit 2
EOF
chmod +x "$rs/fakegrep/grep"
PATH=$rs/fakegrep:$PATH run_driver rs-grep scan "$rs_kt" --rules MMU006
check "robust-scan: a file grep cannot read is named, exit 2" \
	test "$(cat "$work/rs-grep.rc")" = 2 -a \
	-n "$(grep '^mmucheck: mm/secret.c: not analysed: Permission denied' "$work/rs-grep.err")"

# The real tools on a real unreadable file (root reads it anyway).
if [ "$(id -u)" = 0 ]; then
	echo "SKIP: robust-scan: unreadable file with the real spatch (running as root, chmod 000 does not stop reading)"
else
	rs_ur=$rs/unreadable
	cp -r "$rs_kt" "$rs_ur"
	chmod 000 "$rs_ur/mm/mmu001_unbracketed.c"
	TMPDIR=$rs/tmp run_driver rs-ur scan "$rs_ur" --rules MMU006,MMU001
	chmod 644 "$rs_ur/mm/mmu001_unbracketed.c"
	check "robust-scan: the real spatch on an unreadable file: named, exit 2" \
		test "$(cat "$work/rs-ur.rc")" = 2 -a \
		-n "$(grep 'mm/mmu001_unbracketed.c: not analysed' "$work/rs-ur.err")"
fi

# The statement: non-UTF-8 bytes, CRLF and NUL bytes (issue 11).
rs_st=$rs/stmt
rs_crlf=$rs/crlf
mkdir -p "$rs_st/mm" "$rs_crlf/mm"
for d in "$rs_st" "$rs_crlf"; do
	mkdir -p "$d/include/linux" "$d/stubs"
	cp "$rs_kt/include/linux/mm.h" "$d/include/linux/"
	cp "$rs_kt/stubs/mmu_stubs.h" "$d/stubs/"
done
rs_fx=$rs_kt/mm/mmu006_legacy_page.c
cp "$rs_fx" "$rs_st/mm/lf.c"
cp "$rs_fx" "$rs_st/mm/nul.c"
sed 's/$/\r/' "$rs_fx" > "$rs_crlf/mm/lf.c"
sed -i '5s|$|/* \x00 */|' "$rs_st/mm/nul.c"
sed '12s|;$|; /* \xff\xfe */|' "$rs_fx" > "$rs_st/mm/latin.c"
TMPDIR=$rs/tmp run_driver rs-st scan "$rs_st" --rules MMU006 --format json
TMPDIR=$rs/tmp run_driver rs-crlf scan "$rs_crlf" --rules MMU006 --format json
python3 - "$work/rs-st.out" "$work/rs-crlf.out" > "$work/rs-st.chk" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))
assert d["summary"]["findings"] == len(d["findings"]), "counted %d, listed %d" % (
	d["summary"]["findings"], len(d["findings"]))
by = {(f["file"], f["line"]): f for f in d["findings"]}
assert "\ufffd" in by[("mm/latin.c", 12)]["statement"], by[("mm/latin.c", 12)]
for f in c["findings"]:
	lf = by[(f["file"], f["line"])]
	assert f["statement"] == lf["statement"], "CRLF: %r" % f["statement"]
	assert f["fingerprint"] == lf["fingerprint"], "CRLF fingerprint differs"
assert by[("mm/nul.c", 12)]["statement"] == by[("mm/lf.c", 12)]["statement"], "after NUL: %r" % (
	by[("mm/nul.c", 12)]["statement"])
PY
check "robust-scan: a non-UTF-8 byte on a flagged line keeps the finding listed ($(tail -1 "$work/rs-st.chk"))" \
	test ! -s "$work/rs-st.chk"
check "robust-scan: CRLF and NUL bytes leave the statement and fingerprint of the LF copy" \
	test ! -s "$work/rs-st.chk"

# Security: findings naming files outside the tree are dropped, unread
# (the wrapper prints them once per piece of the rule's files).
echo "TOP SECRET LINE" > "$rs/secret.txt"
ln -sf "$rs/secret.txt" "$rs_kt/mm/link.c"
rs_run rs-out outside scan "$rs_kt" --rules MMU006 --format json
rm -f "$rs_kt/mm/link.c"
check "robust-scan: no line of a file outside the tree reaches the report" \
	test -z "$(grep -E 'TOP SECRET|root:' "$work/rs-out.out")"
check "robust-scan: findings outside the tree are dropped with a warning" \
	test "$(grep -E '^mmucheck: (/etc/passwd|\.\./secret\.txt|mm/link\.c): not a file of' "$work/rs-out.err" | sort -u | wc -l)" = 3

# -j and unparsed DIR validation.
rs_bad() {
	bad_input robust-scan "$@"
}
rs_bad "-j 5abc is an error" "-j needs a whole number" scan "$rs_kt" -j 5abc
rs_bad "-j 0 is an error" "-j needs a whole number" scan "$rs_kt" -j 0
rs_bad "-j 99999999999 is an error" "-j needs a whole number" scan "$rs_kt" -j 99999999999
rs_bad "--timeout x is an error" "--timeout needs a whole number" scan "$rs_kt" --timeout x
run_driver rs-j scan "$rs_kt" --rules MMU006 -j 100000
check "robust-scan: -j 100000 is capped with a note" \
	grep -q '^mmucheck: -j 100000 capped at' "$work/rs-j.err"
rs_bad "unparsed DIR that does not exist" "is not a directory of the tree" unparsed "$rs_kt" no-such
rs_bad "unparsed DIR absolute" "is not a directory of the tree" unparsed "$rs_kt" /tmp
rs_bad "unparsed DIR ../.." "is not a directory of the tree" unparsed "$rs_kt" ../..
run_driver rs-unp unparsed "$rs_kt" ./mm/
rs_nmm=$(ls "$rs_kt"/mm/*.c | wc -l)
check "robust-scan: unparsed ./mm/ still counts mm's $rs_nmm files" \
	grep -q " $rs_nmm files with mm API tokens" "$work/rs-unp.out"

# --base never writes the repository; git's own complaint is passed on.
rs_g=$rs/git
cp -r "$rs_kt" "$rs_g"
git -C "$rs_g" init -q && git -C "$rs_g" add -A &&
	git -C "$rs_g" -c user.name=t -c user.email=t@t commit -qm base
echo '/* more */' >> "$rs_g/mm/mmu006_legacy_page.c"
git -C "$rs_g" -c user.name=t -c user.email=t@t commit -qam more
sleep 1.1
touch "$rs_g"/mm/*.c		# stat data stale: git diff would refresh the index
rs_index=$(sha1sum < "$rs_g/.git/index")
TMPDIR=$rs/tmp run_driver rs-base scan "$rs_g" --base HEAD~1 --rules MMU006
check "robust-scan: --base leaves .git/index as it was" \
	test "$rs_index" = "$(sha1sum < "$rs_g/.git/index")" -a "$(cat "$work/rs-base.rc")" != 2
if [ "$(id -u)" = 0 ] && id nobody > /dev/null 2>&1; then
	cp -r "$rs_g" "$rs/dubious"
	chown -R nobody "$rs/dubious"
	rs_bad "--base passes git's own message on (dubious ownership)" \
		"dubious ownership" scan "$rs/dubious" --base HEAD~1 --rules MMU006
else
	echo "SKIP: robust-scan: dubious ownership needs root to make a repository another user owns"
fi

# Names spatch's report lines cannot carry: scanned through an alias.
rs_n=$rs/names
mkdir -p "$rs_n/mm" "$rs_n/include/linux" "$rs_n/stubs"
cp "$rs_kt/include/linux/mm.h" "$rs_n/include/linux/"
cp "$rs_kt/stubs/mmu_stubs.h" "$rs_n/stubs/"
cp "$rs_fx" "$rs_n/mm/new
line.c"
cp "$rs_fx" "$rs_n/mm/x: WARNING: [MMU006.c"
cp "$rs_fx" "$rs_n/mm/bad$(printf '\377').c"
cp "$rs_fx" "$rs_n/mm/plain.c"
TMPDIR=$rs/tmp run_driver rs-names scan "$rs_n" --rules MMU006 --format json
python3 - "$work/rs-names.out" > "$work/rs-names.chk" 2>&1 <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
per = collections.Counter(f["file"] for f in d["findings"])
want = {"mm/plain.c", "mm/new\nline.c", "mm/x: WARNING: [MMU006.c", "mm/bad\ufffd.c"}
assert set(per) == want and len(set(per.values())) == 1, dict(per)
assert d["summary"]["files_scanned"] == 5, d["summary"]
PY
check "robust-scan: names with a newline, a non-UTF-8 byte or ': WARNING: [MMU' keep their findings ($(tail -1 "$work/rs-names.chk"))" \
	test ! -s "$work/rs-names.chk"
check "robust-scan: the aliases are removed" test -z "$(ls "$rs/tmp")"
# The same names added on a branch: --base judges them too.
rs_gn=$rs/names-git
mkdir -p "$rs_gn"
cp -r "$rs_n/include" "$rs_n/stubs" "$rs_gn/"
mkdir -p "$rs_gn/mm" && cp "$rs_n/mm/plain.c" "$rs_gn/mm/"
git -C "$rs_gn" init -q && git -C "$rs_gn" add -A &&
	git -C "$rs_gn" -c user.name=t -c user.email=t@t commit -qm base
cp "$rs_n"/mm/* "$rs_gn/mm/"
git -C "$rs_gn" add -A && git -C "$rs_gn" -c user.name=t -c user.email=t@t commit -qm names
TMPDIR=$rs/tmp run_driver rs-names-base scan "$rs_gn" --base HEAD~1 --rules MMU006 --format json
python3 - "$work/rs-names-base.out" > "$work/rs-names-base.chk" 2>&1 <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
per = collections.Counter(f["file"] for f in d["findings"])
want = {"mm/new\nline.c", "mm/x: WARNING: [MMU006.c", "mm/bad\ufffd.c"}
assert set(per) == want and len(set(per.values())) == 1, dict(per)
PY
check "robust-scan: --base on a branch adding such names keeps their findings ($(tail -1 "$work/rs-names-base.chk"))" \
	test ! -s "$work/rs-names-base.chk" -a "$(cat "$work/rs-names-base.rc")" = 1
check "robust-scan: --base with such names leaves no temporary file" test -z "$(ls "$rs/tmp")"

# Timeout: a spatch that never returns is killed, its files named.
rs_started=$SECONDS
FAKE_PIDS=$rs/pids rs_run rs-timeout sleep scan "$rs_kt" --rules MMU006 --timeout 2
check "robust-scan: --timeout kills a hung spatch and names its files, exit 2" \
	test "$(cat "$work/rs-timeout.rc")" = 2 -a $((SECONDS - rs_started)) -lt 30 -a \
	-n "$(grep 'mm/mmu006_legacy_page.c: not analysed by MMU006: timed out' "$work/rs-timeout.err")"

# A file spatch is slow on (thousands of guarded updates in one function)
# hits the per-file timeout: named as skipped, counted in the summary and
# JSON, exit 2; the other files' findings stay; -v names it among the
# slowest.  Without --file-timeout reaching spatch it would run minutes
# (the job --timeout stops that and fails the checks).
rs_sl=$rs/slowtree
cp -r "$rs_kt" "$rs_sl"
python3 -c '
print("void slow_update(struct mm_struct *mm, unsigned long a, pte_t *p)\n{")
for i in range(2000):
	print("\tif (a == %d)\n\t\tptep_clear(mm, a + %d, p);" % (i, i))
print("}")' > "$rs_sl/mm/slow.c"
TMPDIR=$rs/tmp run_driver rs-slow scan "$rs_sl" --rules MMU001 --file-timeout 1 \
	--timeout 60 -v --format json
TMPDIR=$rs/tmp run_driver rs-slow-ref scan "$rs_kt" --rules MMU001 --format json
rs_slow_other=$(rs_json rs-slow-ref | cut -d' ' -f1)
check "robust-scan: a file over --file-timeout is named as skipped, exit 2" \
	test "$(cat "$work/rs-slow.rc")" = 2 -a \
	-n "$(grep "^mmucheck: mm/slow.c: not analysed by MMU001: skipped: spatch's per-file timeout (--file-timeout 1 s)" "$work/rs-slow.err")"
check "robust-scan: the summary counts the file skipped after the per-file timeout" \
	grep -q "^mmucheck: 1 file skipped: spatch's per-file timeout" "$work/rs-slow.err"
check "robust-scan: JSON lists the timed-out file, the other files' $rs_slow_other findings stay" \
	test "$rs_slow_other" -gt 0 -a "$(rs_json rs-slow)" = "$rs_slow_other $rs_slow_other 1 1 mm/slow.c"
check "robust-scan: -v names the slowest files, the timed-out one first" \
	grep -A1 '^mmucheck: the slowest files' "$work/rs-slow.err" | grep -qE '^mmucheck: +[1-9][0-9]*\.[0-9]+ s mm/slow\.c$'

# Signals: the children die with the driver, and the temporary files go.
rs_gone() {	# spatch started (all rules: one job here), none still runs (zombies do not count)
	local p
	[ "$(cat "$1" 2> /dev/null | wc -l)" -ge 1 ] || return 1
	for p in $(cat "$1"); do
		case $(ps -o stat= -p "$p" 2> /dev/null) in ''|Z*) ;; *) return 1 ;; esac
	done
}
for rs_sig in TERM INT HUP KILL; do
	rm -f "$rs/pids" "$rs"/tmp/*
	FAKE_MODE=sleep FAKE_PIDS=$rs/pids PATH=$rs/fake:$PATH TMPDIR=$rs/tmp \
		"$mmucheck" scan "$rs_kt" -j 2 > /dev/null 2>&1 &
	rs_pid=$!
	for i in $(seq 100); do
		[ "$(cat "$rs/pids" 2> /dev/null | wc -l)" -ge 1 ] && break
		sleep 0.1
	done
	kill -$rs_sig $rs_pid
	wait $rs_pid 2> /dev/null
	sleep 0.5
	check "robust-scan: SIG$rs_sig to the driver leaves no spatch running" \
		rs_gone "$rs/pids"
	[ $rs_sig = KILL ] && continue	# nothing can clean up after SIGKILL
	check "robust-scan: SIG$rs_sig to the driver leaves no temporary file" \
		test -z "$(ls "$rs/tmp")"
done
rm -f "$rs"/tmp/*
# fix re-checks each patch on a copy in a temporary directory: a signal
# then removes that directory too.
rm -f "$rs/pids"
FAKE_MODE=fixsleep FAKE_PIDS=$rs/pids PATH=$rs/fake:$PATH TMPDIR=$rs/tmp \
	"$mmucheck" fix "$rs_kt" --rules MMU006 -o "$rs/series" > /dev/null 2>&1 &
rs_pid=$!
for i in $(seq 300); do
	[ -s "$rs/pids" ] && break
	sleep 0.1
done
check "robust-scan: fix re-checks its patch in a temporary directory" \
	test -n "$(ls -d "$rs"/tmp/mmucheck-fix.* 2> /dev/null)"
kill -TERM $rs_pid
wait $rs_pid 2> /dev/null
check "robust-scan: SIGTERM to fix leaves no temporary file or directory ($(ls "$rs/tmp" | head -3))" \
	test -z "$(ls "$rs/tmp")"
kill "$(cat "$rs/pids")" 2> /dev/null
rm -rf "$rs"/tmp/* "$rs/series"

# A git tree: spatch must filter each file itself.  The kernel's
# .cocciconfig asks for git grep, which would grep the whole tree once
# per file group (hours on a kernel).
rs_git=$rs/gittree
cp -a "$rs_kt" "$rs_git" &&
	printf '[spatch]\n\toptions = --use-gitgrep\n' > "$rs_git/.cocciconfig" &&
	git -C "$rs_git" init -q &&
	git -C "$rs_git" add -A && git -C "$rs_git" -c user.name=t -c user.email=t@t commit -qm t
mkdir -p "$rs/gitlog"
printf '#!/bin/sh\necho "$*" >> "%s"\nexec "%s" "$@"\n' "$rs/git-calls" "$(command -v git)" > "$rs/gitlog/git"
chmod +x "$rs/gitlog/git"
: > "$rs/git-calls"
PATH=$rs/gitlog:$PATH run_driver rs-gittree scan "$rs_git" --rules MMU006,MMU001
check "robust-scan: a scan of a git tree reports its findings" \
	test "$(cat "$work/rs-gittree.rc")" = 1 -a -s "$work/rs-gittree.out"
check "robust-scan: a scan of a git tree never runs git grep" \
	test -z "$(grep -w grep "$rs/git-calls")"
