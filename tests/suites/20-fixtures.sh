# SPDX-License-Identifier: GPL-2.0-only
# The fixture cases (tests/fixtures/README): every rule of
# api/mmu_rules.def over every case, through the semantic patches and,
# when it is built, the GCC plugin; each backend must report exactly the
# marked lines, except where tests/fixtures/AGREEMENT says why it
# differs.  Then the other modes, and the fixes.
. "$top/tests/lib/fixtures.sh"

fx_ids=$(fx_rule_ids | paste -sd' ')
check "fixtures: api/mmu_rules.def lists rules ($fx_ids)" test -n "$fx_ids"
# Each backend is held to the marks of the rules the registry's backends
# column gives it (tests/suites/15-roles checks the column).
check "fixtures: backends by the registry: cocci $(fx_rules_of cocci | wc -l), plugin $(fx_rules_of plugin | wc -l) of $(echo $fx_ids | wc -w) rules" \
	test "$(fx_rule_backends | wc -l)" = "$(echo $fx_ids | wc -w)"
# Every mark names a rule of the registry.
for f in $(fx_files); do fx_marks "$f" | sed "s|^|$f |"; done > "$work/fx-marks-raw"
bad=$(awk '{ print $3 }' "$work/fx-marks-raw" | sort -u | grep -vxF -f <(fx_rule_ids))
check "fixtures: $(wc -l < "$work/fx-marks-raw") marks in $(fx_cases | wc -l) cases, all of known rules${bad:+ (unknown: $bad)}" \
	test -z "$bad"
fx_all_marks cocci > "$work/fx-marks-cocci"
fx_all_marks plugin > "$work/fx-marks-plugin"
fx_one_sided > "$work/fx-one-sided"
check "fixtures: a mark for one backend only anchors a finding the other reports in the same function (else: AGREEMENT)" \
	test ! -s "$work/fx-one-sided"
sed 's/^/     /' "$work/fx-one-sided"

# The semantic patches: findings, and the exact report text (messages,
# columns) that tests/fixtures/bless records in tests/fixtures/REPORT.
fx_run_cocci report "$work/fx-rep"
cat "$work"/fx-rep.MMU* | sort > "$work/fx-report"
fx_norm_cocci < "$work/fx-report" | sort -u > "$work/fx-got-cocci"
same "fixtures: the semantic patches' report text is tests/fixtures/REPORT (bless after a deliberate change)" \
	"$fxdir/REPORT" "$work/fx-report"
# Every rule in one semantic patch (tools/mergecocci, what scan runs):
# the same report, byte for byte, as the rules one by one.
fx_only=merged fx_run_cocci report "$work/fx-merged"
sort "$work/fx-merged.merged" > "$work/fx-merged-report"
same "fixtures: every rule in one pass (cocci/mmucheck.cocci) reports exactly tests/fixtures/REPORT" \
	"$fxdir/REPORT" "$work/fx-merged-report"

# The plugin, case by case (cross-file cases linked with their units).
: > "$work/fx-got-plugin"
: > "$work/fx-seen-plugin"
fx_backends=cocci
if fx_plugin_built; then
	fx_backends="cocci plugin"
	for c in $(fx_cases); do
		fx_run_plugin "$c" >> "$work/fx-got-plugin"
		# gcc runs no plugin pass on a unit with errors
		check "fixtures: $c compiles with the plugin (no error, no compiler crash)" \
			bash -c "! grep -qE ' error: |internal compiler error' '$work/cc.err'"
		echo "$c" >> "$work/fx-seen-plugin"
		for u in $(fx_directive "$c" link); do
			echo "$(dirname "$c")/$u" >> "$work/fx-seen-plugin"
		done
	done
	sort -u -o "$work/fx-got-plugin" "$work/fx-got-plugin"
else
	echo "   fixtures: the GCC plugin is not built (make): semantic patches only"
fi
fx_files > "$work/fx-seen-cocci"

# fx_diff BACKEND: "case line rule function extra|missing" where BACKEND
# differs from the marks, on the files it saw.
fx_diff() {
	local b=$1
	awk 'NR == FNR { seen[$1] = 1; next } ($1 in seen)' \
		"$work/fx-seen-$b" "$work/fx-marks-$b" > "$work/fx-exp-$b"
	{
		comm -13 "$work/fx-exp-$b" "$work/fx-got-$b" | sed 's/$/ extra/'
		comm -23 "$work/fx-exp-$b" "$work/fx-got-$b" | sed 's/$/ missing/'
	} | sort
}
fx_agreement > "$work/fx-agree"
: > "$work/fx-used"
for b in $fx_backends; do
	fx_diff "$b" > "$work/fx-diff-$b"
done
for b in $fx_backends; do
	for c in $(fx_files); do
		grep "^$c " "$work/fx-diff-$b" > "$work/fx-d" || true
		: > "$work/fx-unlisted"
		while read -r f l r fn how; do
			others=0
			for o in $fx_backends; do
				[ "$o" = "$b" ] && continue
				grep -q "^$f $l $r .* $how\$" "$work/fx-diff-$o" && others=1
			done
			if [ $others = 0 ] && grep -qx "$f $fn $r $b" "$work/fx-agree"; then
				echo "$f $fn $r $b" >> "$work/fx-used"
			else
				echo "     $f:$l: $r $how ($fn)" >> "$work/fx-unlisted"
			fi
		done < "$work/fx-d"
		n=$(grep -c "^$c " "$work/fx-marks-$b")
		if [ -s "$work/fx-unlisted" ]; then
			fail "fixtures: $b on $c: exactly the $n marked lines, or a difference AGREEMENT lists"
			cat "$work/fx-unlisted"
		elif grep -qx "$c" "$work/fx-seen-$b"; then
			pass "fixtures: $b on $c: exactly the $n marked lines$([ -s "$work/fx-d" ] && echo ", $(wc -l < "$work/fx-d") listed differences")"
		fi
	done
done
# A listed difference that is gone is a stale entry.
sort -u "$work/fx-used" > "$work/fx-used.s"
for b in $fx_backends; do grep " $b\$" "$work/fx-agree"; done | sort > "$work/fx-agree.ran"
same "fixtures: every AGREEMENT entry is still a difference (no stale entry)" \
	"$work/fx-agree.ran" "$work/fx-used.s"

# The other modes list the same findings as report mode, rule by rule
# (all three without the version directives: one spatch run each).
fx_noversion=1 fx_run_cocci report "$work/fx-repnv"
fx_noversion=1 fx_run_cocci org "$work/fx-org"
fx_noversion=1 fx_run_cocci context "$work/fx-ctx"
for id in $(fx_rules_of cocci); do
	n=$(wc -l < "$work/fx-repnv.$id")
	check "fixtures: $id org mode lists its $n findings" \
		test "$(grep -c "^\* TODO \[\[view:.*\]\[.*\[$id\]" "$work/fx-org.$id")" = "$n"
	fx_norm_cocci < "$work/fx-repnv.$id" | cut -d' ' -f1,2 | sort -u > "$work/fx-ctx-exp"
	# a line continuing a marked one is the same statement, unless
	# a finding of its own
	fx_context_lines < "$work/fx-ctx.$id" | awk 'NR == FNR { f[$1 " " $2] = 1; next }
		$3 != "+" || ($1 " " $2) in f { print $1, $2 }' "$work/fx-ctx-exp" - |
		sort -u > "$work/fx-ctx-got"
	same "fixtures: $id context mode marks the lines of its $n findings" \
		"$work/fx-ctx-exp" "$work/fx-ctx-got"
done

# Patch mode, each rule that has a fix over the cases of its directory:
# the diff applies from the root (git apply), the fixed files compile,
# and exactly the findings marked "unfixed" remain.
for id in $(fx_rules_of cocci); do
	grep -q 'depends on patch' "$(fx_cocci_of "$id")" || continue
	d=$(echo "$id" | tr A-Z a-z)
	cases=$(fx_cases | grep "^$d/")
	[ -n "$cases" ] || continue
	p=$work/p-$d
	rm -rf "$p" && mkdir -p "$p/tests/fixtures/$d" "$p/tests/stubs"
	cp "$fxdir/$d"/*.c "$p/tests/fixtures/$d/" && cp "$top"/tests/stubs/* "$p/tests/stubs/"
	files=$(for c in $cases; do echo "tests/fixtures/$c"; done)
	fx_only=$id fx_args="--patch ." fx_run_cocci patch "$work/fx-patch-$d" "$p" $files
	diff=$work/fx-patch-$d.$id
	check "fixtures: $id patch mode writes a fix" test -s "$diff"
	check "fixtures: $id's fix applies with git apply from the root" \
		git -C "$p" apply --check "$diff"
	git -C "$p" apply "$diff" 2> /dev/null
	for c in $cases; do
		gcc -fsyntax-only -Wno-implicit-function-declaration "$fxdir/$c" 2> /dev/null || continue
		check "fixtures: $c still compiles after $id's fix" \
			gcc -fsyntax-only "$p/tests/fixtures/$c" 2> "$work/gcc.err"
	done
	fx_only=$id fx_run_cocci report "$work/fx-after-$d" "$p/tests/fixtures" $cases
	fx_norm_cocci < "$work/fx-after-$d.$id" | cut -d' ' -f1-3 | sort > "$work/fx-after-$d.got"
	for c in $cases; do
		fxdir=$p/tests/fixtures fx_marks "$c" | grep -E " $id [a-z]+ unfixed\$" | cut -d' ' -f1,2 | sed "s|^|$c |"
	done | sort > "$work/fx-after-$d.exp"
	same "fixtures: after $id's fix only the findings marked unfixed remain" \
		"$work/fx-after-$d.exp" "$work/fx-after-$d.got"
done
