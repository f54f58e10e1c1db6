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
