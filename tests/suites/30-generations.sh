# SPDX-License-Identifier: GPL-2.0-only
# Every API generation of SPEC.md section 5, through all six rules.

gdir=$top/tests/fixtures/generations
for c in "$gdir"/*.c; do
	for f in "$cocci"/mmu0*.cocci; do
		(cd "$gdir" && run_rule "$(basename "$f" .cocci)" report "$(basename "$c")")
	done
done | sort > "$work/generations.out"
same "API generations: every rule over every generation" \
	"$gdir/expected" "$work/generations.out"
