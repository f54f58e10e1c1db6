# SPDX-License-Identifier: GPL-2.0-only
# The generator and the conventions every semantic patch must follow.

echo '{{NO_SUCH_ROLE}}' | "$top/build/gencocci" "$top/cocci/src" > /dev/null 2> "$work/gen.err"
check "gencocci rejects an unknown role" \
	test $? != 0 -a -n "$(grep "unknown role 'NO_SUCH_ROLE'" "$work/gen.err")"

out=$(echo 'x "^({{SIZE_PUD}})$" {{(MASK_PUD)}}' | "$top/build/gencocci" "$top/cocci/src")
check "gencocci expands regex and SmPL forms from the API table" \
	test "$out" = 'x "^(HPAGE_PUD_SIZE|PUD_SIZE)$" \(HPAGE_PUD_MASK\|PUD_MASK\)'

# A template is a rule of the registry; a rule gets only the library
# helpers it refers to, and no helper is dead.
mkdir -p "$work/gen" && echo '// SPDX-License-Identifier: GPL-2.0-only' > "$work/gen/mmu999_nosuch.cocci.in"
"$top/build/gencocci" "$top/cocci/src" "$work/gen/mmu999_nosuch.cocci.in" > /dev/null 2> "$work/gen.err"
check "gencocci rejects a template whose rule is not in api/mmu_rules.def" \
	test $? != 0 -a -n "$(grep 'no such rule in api/mmu_rules.def' "$work/gen.err")"
"$top/build/gencocci" --helpers "$top/cocci/src" "$top"/cocci/src/mmu*.cocci.in > "$work/helpers"
check "every helper of cocci/src/common.py is used by some rule" \
	test "$(tail -1 "$work/helpers")" = "unused:"
check "a rule without call-graph questions gets no call-graph helpers" \
	test -z "$(grep '^[^ ]*mmu002_range_size.cocci.in:' "$work/helpers" | grep -w covered_by_callers)"

for f in "$cocci"/mmu0*.cocci; do
	r=$(basename "$f" .cocci)
	ok=1
	head -1 "$f" | grep -q '^// SPDX-License-Identifier: GPL-2.0-only$' || ok=0
	grep -q '^/// MMU[0-9][0-9][0-9]:' "$f" || ok=0
	grep -q '^// Confidence: ' "$f" || ok=0
	grep -q "^// Generated from cocci/src/$r.cocci.in by tools/gencocci; do not edit.\$" "$f" || ok=0
	[ "$(grep -c '^@initialize:python@' "$f")" -le 1 ] || ok=0
	[ "$(grep -c 'Options:' "$f")" = 1 ] || ok=0
	grep -q '^// Options: --no-includes --include-headers$' "$f" || ok=0
	for v in patch context org report; do
		grep -q "^virtual $v\$" "$f" || ok=0
	done
	check "$r follows the coccinelle header and mode conventions" test $ok = 1
	check "$r parses" eval "spatch --parse-cocci '$f' > /dev/null 2>&1"
	# make coccicheck keeps each file holding any word of the rule's
	# grep query: a C keyword there ("long" from "unsigned long a")
	# makes the rule parse every file of the tree.
	kw=$(spatch --parse-cocci "$f" 2> /dev/null | sed -n '/^Grep query$/{n;p}' |
		grep -owE 'auto|break|case|char|const|continue|default|do|double|else|enum|extern|float|for|goto|if|inline|int|long|register|return|short|signed|sizeof|static|struct|switch|typedef|union|unsigned|void|volatile|while' |
		sort -u | tr '\n' ' ')
	check "$r's grep query holds no C keyword${kw:+ ($kw)}" test -z "$kw"
done

"$top/build/gencocci" --list > "$work/api.txt"
check "the API table lists only_end for v4.15-v6.5" \
	grep -qE '^mmu_notifier_invalidate_range_only_end +ONLY_END +v4\.15-v6\.5$' "$work/api.txt"
check "the API table lists invalidate_page up to v4.12" \
	grep -qE '^mmu_notifier_invalidate_page +LEGACY_PAGE +v2\.6-v4\.12$' "$work/api.txt"

# Rules describe bug classes: no function of the development corpus may
# appear in a rule, the plugin or the API table, except the API names the
# table itself lists (SPEC.md section 4 names them).
exp=$top/../shared/corpus/EXPECTED.tsv
if [ -f "$exp" ]; then
	grep -v '^#' "$exp" | cut -f5 | sort -u |
		grep -vxFf <(sed -nE 's/^MMU_API\(([A-Za-z0-9_]+),.*/\1/p' "$top/api/mmu_api.def") \
		> "$work/corpus-fns"
	grep -rnwFf "$work/corpus-fns" "$top"/cocci/src "$top"/gcc-plugin "$top"/common \
		"$top"/api > "$work/corpus-names"
	check "no corpus function is named by a rule, the plugin or the API table" \
		test ! -s "$work/corpus-names"
	sed 's/^/    /' "$work/corpus-names"
else
	echo "SKIP: corpus names: no $exp"
fi

# The build: one version for both binaries, the user's CFLAGS keep the
# warnings, and make install gives a working mmucheck-scan.
v=$(sed -n 's/^VERSION := //p' "$top/Makefile")
check "the driver reports the Makefile's version" \
	test "$("$top/build/mmucheck" --version | head -1)" = "mmucheck $v"
check "the plugin carries the same version" \
	grep -aq "mmucheck $v" "$top/build/gcc-plugin/mmucheck.so"
check "make CFLAGS=-O0 keeps the warnings" \
	eval "make -s -n -B -C '$top' CFLAGS=-O0 build/mmucheck | grep -q -- '-Wall -Wextra'"
inst=$work/install
make -s -C "$top" install DESTDIR="$inst" PREFIX=/usr > /dev/null 2>&1
fake=$work/faketree
mkdir -p "$fake/scripts" "$fake/mm" && touch "$fake/scripts/coccicheck" "$fake/Makefile"
"$inst/usr/bin/mmucheck-scan" --rules MMU999 "$fake" > /dev/null 2> "$work/inst.err"
check "make install installs mmucheck-scan, which finds the installed rules" \
	test -x "$inst/usr/bin/mmucheck-scan" -a -s "$work/inst.err" \
		-a -z "$(grep 'no semantic patches' "$work/inst.err")"
