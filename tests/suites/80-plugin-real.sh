# SPDX-License-Identifier: GPL-2.0-only
# The GCC plugin in real kernel builds: Debian's 6.12 and 6.1 trees,
# defconfig plus the options that bring in the checked code, built with
# the plugin and facts; the linked report against the triaged lists;
# then the project's mutations compiled with kbuild's own command.
. "$top/tests/lib/real.sh"
. "$top/tests/lib/mutate.sh"
. "$top/tests/lib/kbuild.sh"

for v in 6.12 6.1; do
	facts=$(plugin_facts "$v")
	check "$v: the checked objects build with the plugin (make O= KCFLAGS=-fplugin=...)" \
		test "$(cat "$facts.rc")" = 0
	[ "$(cat "$facts.rc")" = 0 ] || sed 's/^/    /' "$facts.log" | tail -20
	check "$v: no compiler crash" \
		bash -c "! grep -q 'internal compiler error' '$facts.log'"
	n=$(ls "$facts" | wc -l)
	check "$v: one facts file per translation unit ($n)" test "$n" -gt 100
	src=$(tree "$v")
	"$top/build/mmucheck" link "$facts" "$src" > "$work/plink-$v.txt" 2> "$work/plink-$v.err"
	echo "   $v: $(cat "$work/plink-$v.err")"
	check "$v: the link step exits 1 (findings) and says what it read" \
		grep -q "^mmucheck: linked $n units" "$work/plink-$v.err"
	plugin_keys "$work/plink-$v.txt" > "$work/pfound-$v"
	triage=$top/tests/real/triage-plugin-$v.txt
	grep -v '^#' "$triage" | cut -f1-3 | tr '\t' ' ' | sort -u > "$work/ptriaged-$v"
	same "$v: the plugin's linked findings match the triaged list" \
		"$work/ptriaged-$v" "$work/pfound-$v"
	echo "   $v triage: $(grep -v '^#' "$triage" | cut -f4 | sort | uniq -c | tr '\n' ' ')"
	check "$v: every plugin triage line has a verdict and a reason" \
		test -z "$(grep -v '^#' "$triage" | awk -F'\t' 'NF != 5 || ($4 != "FP" && $4 != "BUG")')"
	check "$v: the build's notes name rule and function" \
		grep -qE "note: \[MMU[0-9]{3}\] .* \[[a-z_]+\]$" "$facts.log"
done

# The checker slot on a real file: make C=2 CHECK="mmucheck check", with
# the KCFLAGS of the facts build so that kbuild only runs the checker.
MMUCHECK_RULES=MMU003 kbuild 6.12 \
	"-fplugin=$plugin -fplugin-arg-mmucheck-facts=$(plugin_facts 6.12)" \
	C=2 CHECK="$top/build/mmucheck check" mm/hugetlb.o > "$work/slot.log" 2>&1
check "6.12: make C=2 CHECK=\"mmucheck check\" mm/hugetlb.o succeeds" test $? = 0
check "6.12: the checker slot runs the plugin on the real file" \
	grep -q 'note: \[MMU003\] .*\[hugetlb_unshare_pmds\]' "$work/slot.log"

# scan --build merges the plugin's facts with the semantic patches.
"$top/build/mmucheck" scan "$(tree 6.12)" --rules MMU003 --build "$(plugin_facts 6.12)" \
	--format json > "$work/merged.json" 2> "$work/merged.err"
check "6.12: scan --build adds the plugin's findings to the report" \
	grep -q '"function": "hugetlb_unshare_pmds"' "$work/merged.json"

# Mutations, each compiled with the exact command kbuild used.
caught=0
expected=0
for m in "$top"/tests/mutations/*.mut; do
	name=$(basename "$m" .mut)
	want=$(. "$m"; echo "${plugin_finds:-}")
	[ -n "$want" ] || continue
	v=$(. "$m"; echo "$tree")
	out=$(plugin_mutation "$m") || { fail "$name: the mutated file does not compile"; continue; }
	for w in $want; do
		expected=$((expected + 1))
		r=${w%%:*} fn=${w#*:}
		if grep -q "\[$r\] .* \[$fn\]$" "$out" &&
			! grep -q "\[$r\] .* \[$fn\]$" "$work/plink-$v.txt"; then
			caught=$((caught + 1))
			pass "$name: the plugin reports $r in $fn after the mutation"
		else
			fail "$name: the plugin misses $r in $fn"
		fi
	done
done
echo "   plugin mutations: $caught of $expected expected findings reported"
