# SPDX-License-Identifier: GPL-2.0-only
# Real upstream bugs (../shared/corpus): both backends, scored against
# EXPECTED.tsv.  The scores are a benchmark printed here; the gates are
# that nothing noisy appears on a fixed text and recall does not fall
# below what the rules reach today.
corpus_recall_floor=7	# what the rules reach; raise it as they learn
corpus_dir=$top/../shared/corpus
if [ ! -f "$corpus_dir/EXPECTED.tsv" ]; then
	echo "SKIP: corpus: no $corpus_dir (the shared corpus sits beside the checkout)"
else
	"$top/tests/corpus" --findings "$work/corpus.findings" "$corpus_dir" \
		> "$work/corpus.out" 2> "$work/corpus.err"
	echo "corpus (semantic patches):"
	sed 's/^/    /' "$work/corpus.out"
	check "corpus: the scorer ran" test -s "$work/corpus.out"
	check "corpus: spatch ran every rule on every text" test ! -s "$work/corpus.err"
	score=$(sed -nE 's/^corpus: recall ([0-9]+)\/([0-9]+), quiet violations ([0-9]+).*/\1 \2 \3/p' "$work/corpus.out")
	read -r found total noisy <<< "${score:-0 0 99}"
	check "corpus: no finding near a QUIET line of a fixed text ($noisy)" test "$noisy" = 0
	check "corpus: recall at least $corpus_recall_floor/$total ($found)" \
		test "$found" -ge "$corpus_recall_floor"
	# The plugin needs each text's whole tree, configured and built.
	echo "SKIP: corpus, GCC plugin: the corpus trees (README: GitHub snapshots of v3.6-v6.13) are not built by CI; tests/suites/80-plugin-real.sh runs the plugin on Debian's 6.1/6.12"
fi
