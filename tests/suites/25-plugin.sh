# SPDX-License-Identifier: GPL-2.0-only
# The GCC plugin on synthetic fixtures: exact findings per rule and API
# generation, agreement with the semantic patches, cross-file facts and
# the link step, the make C=1 CHECK= slot, and bad input.

. "$top/tests/lib/fixtures.sh"
pdir=$top/tests/fixtures
mmucheck=$top/build/mmucheck
plugin=$top/build/gcc-plugin/mmucheck.so
v6=mmu002/v6_range.c

# compile FILE [GCC ARGS...]: gcc with the plugin, from tests/fixtures;
# stderr in $work/cc.err.
compile() {
	local f=$1
	shift
	(cd "$pdir" && gcc -O2 -c -o /dev/null -fplugin="$plugin" "$@" "$f") 2> "$work/cc.err"
}
notes() { fx_norm_plugin < "$1" | cut -d' ' -f2,3 | sort; }

# The rules the plugin checks, as it lists them when rules= names another.
compile "$v6" -fplugin-arg-mmucheck-rules=NOSUCH
plugin_rules=$(sed -nE 's/.*known rules: (MMU[0-9]{3}(,MMU[0-9]{3})*).*/\1/p' "$work/cc.err" | head -1)
check "plugin: rules= with an unknown id is an error that lists the known rules ($plugin_rules)" \
	bash -c "grep -q 'unknown rule .NOSUCH.' '$work/cc.err' && [ -n '$plugin_rules' ]"
check "plugin: it knows the rules of api/mmu_rules.def ($plugin_rules)" \
	test "$plugin_rules" = "$(fx_rule_ids | paste -sd,)"

# rules= picks rules: each case's findings (their marks: 20-fixtures)
# without a rule, and with that rule alone.
for c in $(fx_cases); do
	[ -n "$(fx_directive "$c" link)" ] && continue
	compile "$c"
	notes "$work/cc.err" > "$work/p.all"
	for r in $(cut -d' ' -f2 "$work/p.all" | sort -u); do
		others=$(fx_rule_ids | grep -vx "$r" | paste -sd,)
		compile "$c" -fplugin-arg-mmucheck-rules="$others"
		notes "$work/cc.err" > "$work/p.sub"
		grep -v " $r\$" "$work/p.all" > "$work/p.subexp"
		same "plugin $c: rules= without $r" "$work/p.subexp" "$work/p.sub"
		compile "$c" -fplugin-arg-mmucheck-rules="$r"
		notes "$work/cc.err" > "$work/p.sub"
		grep " $r\$" "$work/p.all" > "$work/p.subexp"
		same "plugin $c: rules=$r alone" "$work/p.subexp" "$work/p.sub"
	done
done

# rules= takes exact ids: anything else is an error naming the bad id
# and the known ones, never a build that silently checks nothing.
for bad in MMU999 mmu004 junk MMU0 MMU004,BOGUS MMU004, ,MMU004 "MMU004, MMU002" MMU0041; do
	compile "$v6" "-fplugin-arg-mmucheck-rules=$bad"
	rc=$?
	item=$(echo "$bad" | tr , '\n' | grep -vxF "$(fx_rule_ids)" | head -1)
	check "plugin: rules=$bad is an error naming '$item' and the known rules" \
		bash -c "[ $rc != 0 ] && grep -qF -- \"unknown rule \" '$work/cc.err' && grep -q -- \"unknown rule .$item. in\" '$work/cc.err' && grep -q 'known rules: $plugin_rules' '$work/cc.err' && ! grep -q 'internal compiler error' '$work/cc.err'"
done
compile "$v6" -fplugin-arg-mmucheck-rules=MMU002,MMU004
check "plugin: rules=MMU002,MMU004 is accepted and keeps MMU002" \
	bash -c "[ $? = 0 ] && grep -q 'note: \[MMU002\]' '$work/cc.err' && ! grep -q 'note: \[MMU003\]' '$work/cc.err'"

# Cross-file: facts of several units, joined by mmucheck link.
link_case() {
	local name=$1 f
	shift
	rm -rf "$work/facts-$name" && mkdir -p "$work/facts-$name"
	for f in "$@"; do
		compile "$f" -fplugin-arg-mmucheck-facts="$work/facts-$name"
	done
	(cd "$pdir" && "$mmucheck" link "$work/facts-$name" .) > "$work/link-$name.out" 2> "$work/link-$name.err"
	echo $? > "$work/link-$name.rc"
}
link_case ok mmu001/xfile_bracketed.c mmu001/units/xfile_caller_ok.c
check "link: a caller in another file brackets the update (exit 0)" \
	test "$(cat "$work/link-ok.rc")" = 0
check "link: no MMU001 for xfile_clear when its caller brackets" \
	bash -c "! grep -q 'xfile_clear' '$work/link-ok.out'"
link_case bad mmu001/xfile_unbracketed.c mmu001/units/xfile_caller_bad.c
check "link: MMU001 for xfile_clear when no caller chain brackets (exit 1)" \
	bash -c "rc=\$(cat '$work/link-bad.rc'); [ \$rc = 1 ] && grep -q '^mmu001/xfile_unbracketed.c:8:[0-9]*: warning: \[MMU001\] .* \[xfile_clear\]$' '$work/link-bad.out'"
link_case ok2 mmu001/xfile_bracketed.c mmu001/units/xfile_caller_ok.c
check "link: facts files are deterministic (same unit, same bytes)" \
	bash -c "cmp '$work/facts-ok/mmu001%units%xfile_caller_ok.c.json' '$work/facts-ok2/mmu001%units%xfile_caller_ok.c.json'"
link_case nested mmu001/xfile_unbracketed.c mmu001/units/xfile_caller_nested.c
check "link: a bracket two static calls away covers the update in another file (exit 0)" \
	test "$(cat "$work/link-nested.rc")" = 0
nested_facts="$work/facts-nested/mmu001%units%xfile_caller_nested.c.json"
check "facts: calls of static functions that reach nothing are left out, the others kept" \
	python3 -c "
import json, sys
callees = {s['callee'] for s in json.load(open(sys.argv[1]))['sites']}
sys.exit(not ({'::clear_outer', '::clear_inner', 'xfile_clear'} <= callees
	      and not callees & {'::inert_mid', '::inert_leaf'}))" "$nested_facts"
link_case unshare mmu003/units/xfile_zap_hugetlb.c mmu003/xfile_narrow_zap.c
check "link: MMU003 where a narrow range calls a function in another file that unshares" \
	bash -c "grep -q '^mmu003/xfile_narrow_zap.c:30:[0-9]*: warning: \[MMU003\] xfile_zap_hugetlb() can reach huge_pmd_unshare().* \[xfile_narrow_zap\]$' '$work/link-unshare.out'"
check "link: nothing where the caller widened its range" \
	test "$(grep -c 'MMU00' "$work/link-unshare.out")" = 1
link_case v6 $v6
check "link: the ops-struct callback stays covered, clear_one does not" \
	bash -c "grep -q '\[clear_one\]' '$work/link-v6.out' && ! grep -q 'ok_walk_entry' '$work/link-v6.out'"

# Bad facts: a truncated file and a foreign one stop the link, named.
cp -r "$work/facts-ok" "$work/facts-trunc"
f="$work/facts-trunc/mmu001%xfile_bracketed.c.json"
head -c 100 "$f" > "$f.cut" && mv "$f.cut" "$f"
(cd "$pdir" && "$mmucheck" link "$work/facts-trunc" .) > /dev/null 2> "$work/trunc.err"
check "link: a truncated facts file is an error (exit 2) that names it" \
	bash -c "[ $? = 2 ] && grep -q 'xfile_bracketed.c.json: not a complete facts file' '$work/trunc.err'"
cp -r "$work/facts-ok" "$work/facts-foreign"
echo '{"version": 3, "results": []}' > "$work/facts-foreign/other.json"
(cd "$pdir" && "$mmucheck" link "$work/facts-foreign" .) > /dev/null 2> "$work/foreign.err"
check "link: a foreign JSON file is an error (exit 2) that names it" \
	bash -c "[ $? = 2 ] && grep -q 'other.json: not an mmucheck facts file' '$work/foreign.err'"
"$mmucheck" link "$work/no-such-dir" > /dev/null 2> "$work/nodir.err"
check "link: a missing facts directory is an error (exit 2)" \
	bash -c "[ $? = 2 ] && grep -q 'cannot read facts directory' '$work/nodir.err'"

# Plugin arguments.
compile "$v6" -fplugin-arg-mmucheck-colour=red
check "plugin: an unknown argument is a clear error, not a crash" \
	bash -c "grep -q 'unknown or malformed option .-fplugin-arg-mmucheck-colour=red' '$work/cc.err' && ! grep -q 'internal compiler error' '$work/cc.err'"
compile "$v6" -fplugin-arg-mmucheck-disable
check "plugin: disable silences it" bash -c "! grep -q 'MMU00' '$work/cc.err'"
compile "$v6" -fplugin-arg-mmucheck-severity=warning -Werror
check "plugin: severity=warning makes -Werror builds fail" \
	bash -c "grep -q 'error: \[MMU002\]' '$work/cc.err'"
compile "$v6" -Werror
check "plugin: notes by default keep CONFIG_WERROR builds going" \
	bash -c "grep -q 'note: \[MMU002\]' '$work/cc.err' && ! grep -q ' error: ' '$work/cc.err'"
compile "$v6" -fplugin-arg-mmucheck-facts="$work/no/such/dir"
check "plugin: an unwritable facts directory is an error" \
	bash -c "grep -q 'cannot write facts file' '$work/cc.err'"

# A plugin built for another gcc: its version stamp says 12.9.9.
gccv=$(gcc -dumpfullversion)
other=$(echo "$gccv" | sed 's/[0-9]*$/9/;s/\.[0-9]*\./.9./')
if [ ${#other} = ${#gccv} ] && [ "$other" != "$gccv" ]; then
	LC_ALL=C sed "s/$gccv/$other/g" "$plugin" > "$work/other.so"
	gcc -O2 -c -o /dev/null -fplugin="$work/other.so" "$pdir/$v6" 2> "$work/cc.err"
	check "plugin: one built for another gcc says so and does not crash gcc" \
		bash -c "grep -q 'built for gcc $other, but this is gcc $gccv' '$work/cc.err' && ! grep -q 'internal compiler error' '$work/cc.err'"
fi

# The make C=1 CHECK= slot: sparse's flags first, the file last.
(cd "$top" && "$mmucheck" check -D__CHECKER__ --arch=x86 -Wbitwise \
	-mlittle-endian -m64 -O2 -Itests/stubs tests/fixtures/$v6) \
	> "$work/slot.out" 2> "$work/slot.err"
check "check slot: exit 0 with findings" test $? = 0
check "check slot: the plugin's notes (sparse-only flags dropped)" \
	grep -q 'note: \[MMU002\] .*\[bad_thp_macro_size\]' "$work/slot.err"
check "check slot: the semantic patches' findings too" \
	grep -q 'warning: \[MMU004\] .*\[bad_early_return\]' "$work/slot.err"

# Version gates read the API table's since/until, not the names a unit
# declares: MMU005's SEC_TLB era, on a unit that declares no SEC_TLB API.
era=$(sed -nE 's/^MMU_API\([a-z_]+,[[:space:]]*SEC_TLB,[[:space:]]*KV\(([0-9]+), ([0-9]+)\), KV\(([0-9]+), ([0-9]+)\)\).*/\1 \2 \3 \4/p' \
	"$top/api/mmu_api.def" | head -1)
set -- $era
gate=$work/gate.c
cat > "$gate" <<'C'
struct vm_area_struct;
typedef struct { unsigned long pmd; } pmd_t;
void flush_cache_page(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn);
pmd_t pmdp_huge_clear_flush(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp);

pmd_t cache_page_then_pmd(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd)
{
	flush_cache_page(vma, addr, 0);
	return pmdp_huge_clear_flush(vma, addr, pmd);
}
C
# gate_notes [ENV=VALUE...] -- [GCC ARGS...]: MMU005 notes on the unit.
gate_notes() {
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env -u MMUCHECK_KERNEL_VERSION -u KERNELVERSION "${envs[@]}" \
		gcc -O2 -c -o /dev/null -fplugin="$plugin" "$@" "$gate" 2>&1 | grep -c '\[MMU005\]'
}
check "plugin: the SEC_TLB era of api/mmu_api.def is v$1.$2-v$3.$4" test -n "$era"
check "plugin: kernel=$3.$4 (last of the era) checks MMU005 on a unit naming no SEC_TLB API" \
	test "$(gate_notes -- -fplugin-arg-mmucheck-kernel="$3.$4")" = 1
check "plugin: kernel=$3.$(($4 + 1)) (after the era) does not" \
	test "$(gate_notes -- -fplugin-arg-mmucheck-kernel="$3.$(($4 + 1))")" = 0
check "plugin: kernel=$1.$(($2 - 1)) (before it) does not" \
	test "$(gate_notes -- -fplugin-arg-mmucheck-kernel="$1.$(($2 - 1))")" = 0
check "plugin: MMUCHECK_KERNEL_VERSION gives the version, kernel= wins over it" \
	test "$(gate_notes MMUCHECK_KERNEL_VERSION=$3.$(($4 + 1)) --)$(gate_notes MMUCHECK_KERNEL_VERSION=$3.$(($4 + 1)) -- -fplugin-arg-mmucheck-kernel="$3.$4")" = 01
check "plugin: so does kbuild's KERNELVERSION (6.12.57-rc1 style)" \
	test "$(gate_notes KERNELVERSION=$3.$(($4 + 1)).57-rc1 --)$(gate_notes KERNELVERSION=$3.$4.57-rc1 --)" = 01
check "plugin: an unknown version checks every generation" test "$(gate_notes --)" = 1
compile "$v6" -fplugin-arg-mmucheck-kernel=six
check "plugin: a malformed kernel= is an error" \
	grep -q 'malformed option .-fplugin-arg-mmucheck-kernel=six' "$work/cc.err"
