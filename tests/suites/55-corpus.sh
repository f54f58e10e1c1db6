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
	# The plugin builds the texts of the Debian trees' generation (v6.x)
	# in those trees' builds; older ones need their own trees (GitHub
	# snapshots CI cannot fetch, and compilers of their time).
	. "$top/tests/lib/real.sh"
	. "$top/tests/lib/kbuild.sh"
	plugin_corpus "$work/corpus.plugin"
	check "corpus: the GCC plugin built the texts of the trees at hand" \
		test -s "$work/corpus.plugin.versions" -a -f "$work/corpus.plugin"
	echo "corpus, GCC plugin: texts not built (a finding there needs the text's own tree):"
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
