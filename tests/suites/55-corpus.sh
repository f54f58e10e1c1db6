# SPDX-License-Identifier: GPL-2.0-only
# Real upstream bugs (../shared/corpus): both backends, scored against
# EXPECTED.tsv.  The scores are a benchmark printed here; the gates are
# that nothing noisy appears on a fixed text and recall does not fall
# below what the rules reach today.
corpus_recall_floor=25	# what the rules reach; raise it as they learn
corpus_dir=$top/../shared/corpus
if [ ! -f "$corpus_dir/EXPECTED.tsv" ]; then
	echo "SKIP: corpus: no $corpus_dir (the shared corpus sits beside the checkout)"
else
	# The plugin builds each text in the tree of its generation
	# (plugin_corpus): Debian's 6.1/6.12 here, the GitHub snapshots the
	# corpus README names where the search tool's fetch brought them
	# (a clean machine has none: their texts are listed as skipped).
	. "$top/tests/lib/real.sh"
	. "$top/tests/lib/kbuild.sh"
	plugin_corpus "$work/corpus.plugin"
	check "corpus: the GCC plugin's Debian builds built" test $? = 0
	check "corpus: the GCC plugin knows the tree of every text" \
		test -s "$work/corpus.plugin.versions"
	# The texts of Debian's own trees are always at hand: they must build
	# (but for another architecture's, which an x86 build cannot).
	awk 'NR == FNR { if (/: an arch\/[a-z0-9]+ text/) other[$1 " " $2]; next }
	     ($3 == "6.1" || $3 == "6.12") && !(($1 " " $2) in other) { print $1, $2 }' \
		"$work/corpus.plugin.skipped" "$work/corpus.plugin.versions" | sort -u > "$work/corpus.debian"
	awk '{ print $1, $2 }' "$work/corpus.plugin.built" | sort -u > "$work/corpus.built"
	check "corpus: the GCC plugin built every text of a Debian tree" \
		test -s "$work/corpus.debian" -a -z "$(comm -23 "$work/corpus.debian" "$work/corpus.built")"
	echo "corpus, GCC plugin: texts built (in the tree of their generation or the nearest at hand):"
	sed 's/^/    /' "$work/corpus.plugin.built"
	echo "corpus, GCC plugin: texts not built (the trees tried, and why):"
	sed 's/^/    SKIP: /' "$work/corpus.plugin.skipped"
	"$top/tests/corpus" --findings "$work/corpus.findings" \
		--plugin "$work/corpus.plugin" "$corpus_dir" \
		> "$work/corpus.out" 2> "$work/corpus.err"
	echo "corpus (rows met by the union; per backend above the last line):"
	sed 's/^/    /' "$work/corpus.out"
	check "corpus: the scorer ran" test -s "$work/corpus.out"
	check "corpus: spatch ran every rule on every text" test ! -s "$work/corpus.err"
	for who in " (semantic patches)" " (GCC plugin, texts it built)" ""; do
		score=$(grep -F "corpus$who: recall" "$work/corpus.out" |
			sed -nE 's/.*recall ([0-9]+)\/([0-9]+), quiet violations ([0-9]+).*/\1 \2 \3/p')
		read -r found total noisy <<< "${score:-0 0 99}"
		check "corpus$who: no finding near a QUIET line of a fixed text ($noisy)" \
			test "$noisy" = 0
	done
	check "corpus: union recall at least $corpus_recall_floor/$total ($found)" \
		test "$found" -ge "$corpus_recall_floor"
fi
