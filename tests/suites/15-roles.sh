# SPDX-License-Identifier: GPL-2.0-only
# Typed API roles: every role of api/mmu_api.def has a line in
# api/mmu_roles.def, and a row naming any other role stops the build of
# both C readers of the table, naming the row.

roles_def=$top/api/mmu_roles.def
api_def=$top/api/mmu_api.def
sed -nE 's/^MMU_ROLE\(([A-Z_]+),.*/\1/p' "$roles_def" | sort > "$work/roles-defined"
sed -nE 's/^MMU_API\([^,]+,[[:space:]]*([A-Z_]+),.*/\1/p' "$api_def" | sort -u > "$work/roles-used"
check "mmu_roles.def defines each role once" \
	test -z "$(uniq -d "$work/roles-defined")"
same "mmu_roles.def defines exactly the roles mmu_api.def uses" \
	"$work/roles-defined" "$work/roles-used"

# A copy of the readers with one row's role misspelt.
bad=$work/roles-bad
mkdir -p "$bad/api" "$bad/tools"
cp -r "$top/common" "$top/gcc-plugin" "$bad/"
cp "$top/tools/gencocci.c" "$bad/tools/"
cp "$roles_def" "$bad/api/"
cp "$top/api/mmu_rules.def" "$bad/api/"
row=$(grep -n '^MMU_API(pte_clear,' "$api_def" | cut -d: -f1)
sed -E "${row}s/PRIM_PTE,/PRIM_PTEE,/" "$api_def" > "$bad/api/mmu_api.def"
check "the misspelt copy differs in that row alone" \
	test "$(diff "$api_def" "$bad/api/mmu_api.def" | grep -c '^[<>]')" = 2

cc -o "$bad/gencocci" "$bad/tools/gencocci.c" 2> "$work/roles-cc.err"
"$bad/gencocci" --list > /dev/null 2> "$work/roles-gen.err"
check "gencocci stops on a role mmu_roles.def lacks, naming api/mmu_api.def:$row" \
	bash -c "[ $? = 1 ] && grep -qx \"api/mmu_api.def:$row: unknown role 'PRIM_PTEE' (not in api/mmu_roles.def)\" '$work/roles-gen.err'"
echo '{{PRIM_PTE}}' | "$bad/gencocci" "$top/cocci/src" > "$work/roles-gen.out" 2> /dev/null
check "... and expands no template with it" \
	bash -c "[ $? != 0 ] && [ ! -s '$work/roles-gen.out' ]"

pinc=$(gcc -print-file-name=plugin)/include
g++ -fsyntax-only -x c++ -I"$pinc" "$bad/gcc-plugin/engine.c" 2> "$work/roles-plugin.err"
check "the plugin does not build with it, naming the row" \
	bash -c "[ $? != 0 ] && grep -q 'MMU_ROLE_PRIM_PTEE' '$work/roles-plugin.err' && grep -q 'mmu_api.def:$row:' '$work/roles-plugin.err'"

# A role with no API is no placeholder; an unknown kind does not build.
cp "$api_def" "$bad/api/mmu_api.def"
echo 'MMU_ROLE(NO_API_ROLE, NONE, TEST, 0)' >> "$bad/api/mmu_roles.def"
cc -o "$bad/gencocci" "$bad/tools/gencocci.c" 2> "$work/roles-cc.err"
echo '{{NO_API_ROLE}}' | "$bad/gencocci" "$top/cocci/src" > /dev/null 2> "$work/roles-gen.err"
check "gencocci rejects {{ROLE}} of a role no API has" \
	bash -c "[ $? != 0 ] && grep -q \"no API in api/mmu_api.def has role 'NO_API_ROLE'\" '$work/roles-gen.err'"
echo 'MMU_ROLE(BAD_KIND, NONE, NO_SUCH_KIND, F(NO_SUCH_FLAG))' >> "$bad/api/mmu_roles.def"
cc -o "$bad/gencocci" "$bad/tools/gencocci.c" 2> "$work/roles-cc.err"
check "a role of an unknown kind or flag does not build" \
	bash -c "[ $? != 0 ] && grep -q 'MMU_KIND_NO_SUCH_KIND' '$work/roles-cc.err' && grep -q 'MMU_FLAG_NO_SUCH_FLAG' '$work/roles-cc.err'"

# Flags of single APIs (MMU_API_FLAG): {{F(FLAG)}} stands for the APIs
# with the flag, in the table's order; the MMU001 fix names no API.
fixable=$(awk '/^MMU_API\(/ { sub(/^MMU_API\(/, ""); sub(/,.*/, ""); row[++n] = $0 }
	/^MMU_API_FLAG\([a-z_0-9]+,[[:space:]]*FIXABLE\)/ { sub(/^MMU_API_FLAG\(/, ""); sub(/,.*/, ""); f[$0] = 1 }
	END { for (i = 1; i <= n; i++) if (row[i] in f) printf "%s%s", (out++ ? "|" : ""), row[i]; print "" }' "$api_def")
check "{{F(FIXABLE)}} expands to the MMU_API_FLAG FIXABLE rows ($fixable)" \
	test -n "$fixable" -a "$(echo '{{F(FIXABLE)}}' | "$top/build/gencocci" "$top/cocci/src")" = "$fixable"
check "the MMU001 fix brackets the FIXABLE calls, listing none itself" \
	grep -q 'prim =~ "^({{F(FIXABLE)}})\$"' "$top/cocci/src/mmu001_unbracketed.cocci.in"
check "... which the generated semantic patch spells out" \
	grep -qF "prim =~ \"^($fixable)\$\"" "$top/cocci/mmu001_unbracketed.cocci"
cp "$api_def" "$bad/api/mmu_api.def"
cp "$roles_def" "$bad/api/mmu_roles.def"
echo 'MMU_API_FLAG(no_such_api, FIXABLE)' >> "$bad/api/mmu_api.def"
cc -o "$bad/gencocci" "$bad/tools/gencocci.c" 2> "$work/roles-cc.err"
"$bad/gencocci" --list > /dev/null 2> "$work/roles-gen.err"
check "gencocci stops on a MMU_API_FLAG of no API, naming its line" \
	bash -c "[ $? = 1 ] && grep -q \"api/mmu_api.def:$(wc -l < "$bad/api/mmu_api.def"): MMU_API_FLAG of 'no_such_api'\" '$work/roles-gen.err'"
sed -i '$d' "$bad/api/mmu_api.def"
echo 'MMU_API_FLAG(pte_clear, NO_SUCH_FLAG)' >> "$bad/api/mmu_api.def"
cc -o "$bad/gencocci" "$bad/tools/gencocci.c" 2> "$work/roles-cc.err"
check "a MMU_API_FLAG of an unknown flag does not build" \
	bash -c "[ $? != 0 ] && grep -q 'MMU_FLAG_NO_SUCH_FLAG' '$work/roles-cc.err'"

# Messages (MMU_MSG of api/mmu_rules.def): each printed by some backend,
# as {{MSG(key)}} in its rule's template or mmu_msg_NNN_key in C; the
# wording of the rules that have them is nowhere else.
rules_def=$top/api/mmu_rules.def
sed -nE 's/^MMU_MSG\(([0-9]{3}), *([a-z0-9_]+),.*/\1 \2/p' "$rules_def" > "$work/msgs"
while read -r n key; do
	grep -qF "{{MSG($key)}}" "$top"/cocci/src/mmu${n}_*.cocci.in 2> /dev/null ||
		grep -rqw "mmu_msg_${n}_$key" "$top"/gcc-plugin "$top"/driver || echo "MMU$n $key"
done < "$work/msgs" > "$work/msgs-unused"
check "registry: each of the $(wc -l < "$work/msgs") messages is printed by a backend" \
	test -s "$work/msgs" -a ! -s "$work/msgs-unused"
sed 's/^/     unused: /' "$work/msgs-unused"
python3 - "$rules_def" > "$work/msg-texts" <<'PY'
import json, re, sys
src = open(sys.argv[1]).read()
for m in re.finditer(r'MMU_MSG\(\d+,\s*\w+,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)', src):
	text = "".join(json.loads(x) for x in re.findall(r'"(?:[^"\\]|\\.)*"', m.group(1)))
	# the longest run without a format: what a copy would repeat
	print(max(re.split(r"%[sd]", text), key=len).strip())
PY
grep -rnF -f "$work/msg-texts" "$top"/cocci/src "$top"/gcc-plugin "$top"/driver > "$work/msg-copies"
check "registry: no message is worded again in a template, the plugin or the driver" \
	test -s "$work/msg-texts" -a ! -s "$work/msg-copies"
sed 's/^/     /' "$work/msg-copies"
# ... for every rule: each has its messages there, and no backend words
# one itself: no decide() of a template and no report of the plugin or
# the link is given a string with words in it (a bare "%s" joins rows).
sed -nE 's/^MMU_RULE\(([0-9]{3}),.*/\1/p' "$rules_def" > "$work/rule-ids"
cut -d' ' -f1 "$work/msgs" | sort -u | comm -23 "$work/rule-ids" - > "$work/rules-unworded"
check "registry: each of the $(wc -l < "$work/rule-ids") rules has its messages as MMU_MSG rows" \
	test -s "$work/rule-ids" -a ! -s "$work/rules-unworded"
sed 's/^/     no MMU_MSG: /' "$work/rules-unworded"
worded_inline() {
	python3 - "$@" <<'PY'
import re, sys
lit = r'"(?:[^"\\]|\\.)*"'
# decide(pos, "MMUnnn", message), mc_report(f, stmt, rule, format, ...),
# mc_report_at(loc, function, rule, format, ...), xasprintf(mmu_msg...)
call = re.compile(r'\b(?:decide\([^,]+,\s*"MMU\d+",|mc_report(?:_at)?\([^,]+,[^,]+,[^,]+,)\s*(%s)' % lit)
for path in sys.argv[1:]:
	src = open(path).read()
	for m in call.finditer(src):
		if re.search(r"[A-Za-z]{2}", re.sub(r"%[a-z]+", "", m.group(1))):
			print("%s:%d: %s" % (path, src.count("\n", 0, m.start()) + 1, m.group(1)[:60]))
PY
}
worded_inline "$top"/cocci/src/mmu*.cocci.in "$top"/gcc-plugin/*.c > "$work/msg-inline"
check "registry: no template's decide() and no plugin report words its message" \
	test ! -s "$work/msg-inline"
sed 's/^/     /' "$work/msg-inline"
printf '%s\n' 'decide(p, "MMU004", "range left open" % x)' \
	'	mc_report(f, s->stmt, MC_RULE_unbalanced,' '		  "%s() never ends", n);' > "$work/msg-inline.c"
check "... which a worded decide() and a worded report fail" \
	test "$(worded_inline "$work/msg-inline.c" | wc -l)" = 2
echo '{{MSG(no_such_key)}}' > "$work/mmu003_pmd_sharing.cocci.in"
"$top/build/gencocci" "$top/cocci/src" "$work/mmu003_pmd_sharing.cocci.in" > /dev/null 2> "$work/msg-gen.err"
check "gencocci refuses {{MSG(key)}} its rule has no MMU_MSG for" \
	bash -c "[ $? != 0 ] && grep -q 'no MMU_MSG(003, no_such_key)' '$work/msg-gen.err'"

# The registry's backends column (api/mmu_rules.def) is what exists: a
# rule with B(COCCI) has its template, one with B(PLUGIN) its check.
. "$top/tests/lib/fixtures.sh"
fx_rules | while read -r id slug; do
	n=$(echo "$id" | tr A-Z a-z)
	has=
	[ -f "$top/cocci/src/${n}_$slug.cocci.in" ] && has=cocci
	grep -q "^void check_$slug(struct mc_fn \*f)$" "$top"/gcc-plugin/*.c && has="${has:+$has }plugin"
	echo "$id $has"
done > "$work/backends-found"
fx_rule_backends > "$work/backends-listed"
same "registry: each rule's backends column names exactly its template and plugin check ($(awk '{ print NF - 1 }' "$work/backends-listed" | sort | uniq -c | awk '{ printf "%s%s with %s", (NR > 1 ? ", " : ""), $1, $2 }'))" \
	"$work/backends-listed" "$work/backends-found"

# A one-backend rule: the last rule, with its backends column changed.
one=$work/one-backend
last=$(fx_rules | tail -1)
lid=${last% *} lslug=${last#* }
lnum=${lid#MMU}
rm -rf "$one" && mkdir -p "$one/api" "$one/tools" "$one/build"
cp -r "$top/common" "$top/gcc-plugin" "$one/"
cp "$top/api"/*.def "$one/api/" && cp "$top/tools/gencocci.c" "$one/tools/"
# with_backends B: the registry copy with the last rule's column set to B.
with_backends() {
	awk -v id="$lnum" -v b="$1" '/^MMU_RULE\(/ { mine = index($0, "MMU_RULE(" id ",") == 1 }
		mine && /B\(/ { sub(/B\([A-Z]+\)( \| B\([A-Z]+\))*/, b); mine = 0 } { print }' \
		"$top/api/mmu_rules.def" > "$one/api/mmu_rules.def"
}
pdir=$(gcc -print-file-name=plugin)
build_one_plugin() {
	g++ -O0 -fPIC -shared -fno-rtti -fno-exceptions -Wno-format-diag -I"$pdir/include" \
		-DMMUCHECK_VERSION='"test"' -x c++ -o "$one/build/mmucheck.so" \
		"$one"/gcc-plugin/*.c "$one/common/callgraph.c" 2> "$work/one-build.err"
}
case_of_last=$top/tests/fixtures/$(echo "$lid" | tr A-Z a-z)/$lslug.c

with_backends 'B(COCCI)'
check "one-backend registry: only $lid's column differs" \
	test "$(diff "$top/api/mmu_rules.def" "$one/api/mmu_rules.def" | grep -c '^[<>]')" = 2
build_one_plugin
gcc -c -o /dev/null -fplugin="$one/build/mmucheck.so" "$case_of_last" 2> "$work/one-load.err"
check "a plugin whose $lid is B(COCCI) alone but has check_$lslug() refuses to load, naming both" \
	bash -c "[ $? != 0 ] && grep -q '$lid: api/mmu_rules.def does not list B(PLUGIN), but the plugin has check_$lslug()' '$work/one-load.err'"
rm "$(grep -l "^void check_$lslug(struct mc_fn \*f)$" "$one"/gcc-plugin/*.c)"
build_one_plugin
check "... without its check it builds" test -s "$one/build/mmucheck.so"
(cd "$top/tests/fixtures" && gcc -O2 -c -o /dev/null -fplugin="$top/build/gcc-plugin/mmucheck.so" \
	"$case_of_last") 2> "$work/one-run.err"
check "(the plugin as built reports $lid on that fixture)" grep -q "\[$lid\]" "$work/one-run.err"
(cd "$top/tests/fixtures" && gcc -O2 -c -o /dev/null -fplugin="$one/build/mmucheck.so" \
	"$case_of_last") 2> "$work/one-run.err"
check "... loads, and reports no $lid on its own fixture" \
	bash -c "[ $? = 0 ] && ! grep -q '\[$lid\]' '$work/one-run.err'"
cc -o "$one/gencocci" "$one/tools/gencocci.c" 2> /dev/null
(cd "$top" && "$one/gencocci" cocci/src "cocci/src/${lid,,}_$lslug.cocci.in") | cmp -s - "$top/cocci/${lid,,}_$lslug.cocci"
check "... and gencocci generates $lid's semantic patch as before" test $? = 0

with_backends 'B(PLUGIN)'
cc -o "$one/gencocci" "$one/tools/gencocci.c" 2> /dev/null
"$one/gencocci" "$top/cocci/src" "$top/cocci/src/${lid,,}_$lslug.cocci.in" > /dev/null 2> "$work/one-gen.err"
check "gencocci refuses a template of a rule that is B(PLUGIN) alone" \
	bash -c "[ $? != 0 ] && grep -q 'does not list B(COCCI) for $lid' '$work/one-gen.err'"
(top=$one; fx_rules_of cocci) > "$work/one-cocci-rules"
check "the fixture suite runs no semantic patch of a rule that is B(PLUGIN) alone" \
	bash -c "! grep -qx '$lid' '$work/one-cocci-rules' && [ \$(wc -l < '$work/one-cocci-rules') = $(($(fx_rules | wc -l) - 1)) ]"
