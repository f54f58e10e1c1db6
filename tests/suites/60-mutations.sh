# SPDX-License-Identifier: GPL-2.0-only
# Mutations of real functions: each must be reported with the right rule
# and function, and where patch mode has a fix, the fix must apply to the
# mutated tree and leave the rule quiet.
. "$top/tests/lib/mutate.sh"
. "$top/tests/lib/real.sh"
. "$top/tests/lib/fixtures.sh"

for v in 6.12 6.1; do
	tree "$v" > /dev/null || fail "$v: cannot prepare the tree"
done

killed=0
total=0
for m in "$top"/tests/mutations/*.mut; do
	name=$(basename "$m" .mut)
	(. "$m"; echo "$tree $file $rule $function $fix") > "$work/mut.meta"
	read -r tree file rule function fix < "$work/mut.meta"
	total=$((total + 1))
	if [ -z "$(fx_cocci_of "$rule")" ]; then
		fail "$name: $rule is not a rule of api/mmu_rules.def"
		continue
	fi
	d=$work/mut/$name
	rm -rf "$d" && mkdir -p "$d/orig/$(dirname "$file")"
	cp "$cache/linux-source-$tree/$file" "$d/orig/$file"
	if ! mutate "$m" "$d/tree" 2> "$work/mut.err"; then
		fail "$name: mutation does not apply: $(cat "$work/mut.err")"
		continue
	fi
	if [ -n "$(findings "$rule" "$function" "$d/orig" "$file")" ]; then
		fail "$name: $rule already reports $function before the mutation"
		continue
	fi
	if [ -z "$(findings "$rule" "$function" "$d/tree" "$file")" ]; then
		fail "$name: $rule does not report $function"
		continue
	fi
	killed=$((killed + 1))
	pass "$name: $rule reports $function"
	[ "$fix" = yes ] || continue

	r=$(basename "$(fx_cocci_of "$rule")" .cocci)
	(cd "$d/tree" && run_rule "$r" patch --patch . "$file") > "$d/fix.diff"
	if ! git -C "$d/tree" apply --check "$d/fix.diff" 2> "$work/mut.err"; then
		fail "$name: the fix does not apply: $(head -2 "$work/mut.err")"
		continue
	fi
	git -C "$d/tree" apply "$d/fix.diff"
	check "$name: after the fix $rule is quiet on $function" \
		test -z "$(findings "$rule" "$function" "$d/tree" "$file")"
done
echo "mutation score: $killed of $total mutations reported"
