# SPDX-License-Identifier: GPL-2.0-only
# Real kernel builds with the GCC plugin: configured once per cache,
# built once per run, shared by the plugin suites and the bench.

plugin=$top/build/gcc-plugin/mmucheck.so
# The code the plugin issue names: mm/, fs/proc/, fs/dax.o,
# kernel/events/ and virt/kvm/ (built through arch/x86/kvm/).
plugin_targets="mm/ fs/proc/ fs/dax.o kernel/events/ arch/x86/kvm/"
plugin_dirs="mm fs/proc kernel/events arch/x86/kvm virt"

# kbuild_dir VERSION: an O= build directory of Debian's tree with
# defconfig plus the options that bring in the checked code.
kbuild_dir() {
	local src obj=$cache/build-$1
	src=$(tree "$1") || return 1
	if [ ! -f "$obj/.mmucheck-configured" ]; then
		rm -rf "$obj" && mkdir -p "$obj" &&
			make -s -C "$src" O="$obj" defconfig > "$obj/.log" 2>&1 &&
			"$src/scripts/config" --file "$obj/.config" \
				-e HUGETLBFS -e TRANSPARENT_HUGEPAGE -e KSM -e KVM \
				-m KVM_INTEL -d KVM_AMD -e MEMORY_HOTPLUG \
				-e MEMORY_HOTREMOVE -e ZONE_DEVICE -e FS_DAX &&
			make -s -C "$src" O="$obj" olddefconfig >> "$obj/.log" 2>&1 &&
			make -s -C "$src" O="$obj" -j"$(nproc)" prepare >> "$obj/.log" 2>&1 &&
			touch "$obj/.mmucheck-configured" || return 1
	fi
	echo "$obj"
}

# forget_objects OBJ: the checked objects are compiled again next time
# (kbuild does not know the plugin changed).
forget_objects() {
	local d
	for d in $plugin_dirs; do
		[ -d "$1/$d" ] && find "$1/$d" -name '*.o' -delete
	done
	rm -f "$1/fs/dax.o"
}

# kbuild VERSION FLAGS TARGETS...: build targets with KCFLAGS=FLAGS.
kbuild() {
	local v=$1 flags=$2 obj
	shift 2
	obj=$(kbuild_dir "$v") || return 1
	make -s -C "$(tree "$v")" O="$obj" -j"$(nproc)" KCFLAGS="$flags" "$@"
}

# plugin_facts VERSION: the facts of the checked code, built once per run.
plugin_facts() {
	local facts=$work/facts-$1 obj
	if [ ! -f "$facts.rc" ]; then
		rm -rf "$facts" && mkdir -p "$facts"
		if obj=$(kbuild_dir "$1"); then
			forget_objects "$obj"
			kbuild "$1" "-fplugin=$plugin -fplugin-arg-mmucheck-facts=$facts" \
				$plugin_targets > "$facts.log" 2>&1
			echo $? > "$facts.rc"
		else
			echo 1 > "$facts.rc"
		fi
	fi
	echo "$facts"
}

# plugin_keys FILE: "file rule function" of each linked finding.
plugin_keys() {
	sed -nE 's|^([^:]+):[0-9]+:[0-9]+: warning: \[(MMU[0-9][0-9][0-9])\] .* \[([A-Za-z0-9_]+)\]$|\1 \2 \3|p' "$1" |
		sort -u
}

# kbuild_compile VERSION FILE TEXT [PLUGIN-ARGS]: compile TEXT in place of
# the tree's FILE with the exact command kbuild used for FILE (from its
# .cmd file, so the build must have built it) and the plugin loaded;
# the compiler's messages go to stdout.
kbuild_compile() {
	local v=$1 file=$2 text=$3 args=${4:-} src obj cmdf cmd
	src=$(tree "$v") && obj=$(kbuild_dir "$v") || return 1
	cmdf=$obj/$(dirname "$file")/.$(basename "$file" .c).o.cmd
	[ -f "$cmdf" ] || return 1
	# The compiler only: kbuild appends "; objtool ..." to the command.
	cmd=$(sed -n '1s/^[a-z_]*cmd_[^ ]* := //p' "$cmdf" | sed 's/ *;.*//')
	# Whatever plugin flags the last build used, this one uses ours.
	cmd=$(echo "$cmd" | sed -E "s#-Wp,-MMD,[^ ]+##; s# -o [^ ]+# -o /dev/null#; s#-fplugin(-arg-mmucheck-[a-z]+)?=[^ ]+##g; s#$src/$file#-fplugin=$plugin $args $text#")
	(cd "$obj" && eval "$cmd") 2>&1
}

# nearest_debian VERSION: the Debian tree (6.1 or 6.12) of the text's
# generation, whose configured build can compile it in place of its own
# file: v6.0-v6.11 texts build in 6.1, v6.12 and later in 6.12.  Older
# generations need their own trees.
nearest_debian() {
	local major=${1%%.*} minor=${1#*.}
	[ "$major" = 6 ] || return 1
	if [ "$minor" -lt 12 ]; then echo 6.1; else echo 6.12; fi
}

# plugin_corpus OUT: the plugin's findings on the corpus texts that build
# in a Debian tree at hand (nearest_debian), as "bug side path line rule
# function" lines; OUT.skipped says which texts it could not build, and
# why.
plugin_corpus() {
	local out=$1 corpus=$top/../shared/corpus bug side ver text file log
	: > "$out"
	: > "$out.skipped"
	"$top/tests/corpus" --versions > "$out.versions" || return 1
	while read -r bug side ver; do
		for text in $(cd "$corpus" && find "$bug"-*/"$side" -name '*.c' | sort); do
			file=${text#*/"$side"/}
			if ! ver=$(nearest_debian "$ver"); then
				echo "$bug $side $file: no Debian tree of its generation at hand" >> "$out.skipped"
				continue
			fi
			[ "$(cat "$(plugin_facts "$ver").rc")" = 0 ] || return 1
			# The text's unit replaces the tree's among the build's
			# facts, so the link step sees its callers and callees.
			log=$work/pcorpus-$bug-$side-$(basename "$file")
			rm -rf "$log.facts" && mkdir -p "$log.facts" &&
				cp "$(plugin_facts "$ver")"/*.json "$log.facts/" &&
				rm -f "$log.facts/$(echo "$(tree "$ver")/$file" | tr / %).json"
			if ! kbuild_compile "$ver" "$file" "$corpus/$text" \
				"-fplugin-arg-mmucheck-facts=$log.facts" > "$log.log"; then
				echo "$bug $side $file: does not build in Debian $ver's configuration" >> "$out.skipped"
				continue
			fi
			"$top/build/mmucheck" link "$log.facts" "$(tree "$ver")" > "$log.link" 2> /dev/null
			cat "$log.log" "$log.link" | grep -F "$text:" |
				sed -nE "s#^[^:]+:([0-9]+):[0-9]+: (note|warning): \[(MMU[0-9]+)\] .* \[([A-Za-z0-9_]+)\]\$#$bug $side $file \1 \3 \4#p" |
				sort -u >> "$out"
		done
	done < "$out.versions"
}

# plugin_mutation MUTFILE: compile the mutated copy of the mutation's
# file with the exact command kbuild used for it (from its .cmd file),
# into a copy of the build's facts, and link them; prints the link
# output's path.
plugin_mutation() {
	local m=$1 v file src obj facts name out cmd unit
	v=$(. "$m"; echo "$tree")
	file=$(. "$m"; echo "$file")
	name=$(basename "$m" .mut)
	src=$(tree "$v") && obj=$(kbuild_dir "$v") || return 1
	facts=$(plugin_facts "$v")
	out=$work/pmut-$name
	rm -rf "$out" && mkdir -p "$out/facts" && cp "$facts"/*.json "$out/facts/"
	unit=$(echo "$src/$file" | tr / %).json
	rm -f "$out/facts/$unit"
	mutate "$m" "$out/src" || return 1
	kbuild_compile "$v" "$file" "$out/src/$file" \
		"-fplugin-arg-mmucheck-facts=$out/facts" > "$out/cc.log" 2>&1 || return 1
	# The link step keeps only findings inside its KDIR: those in the
	# mutated copy, then those in the tree's other files.
	{ "$top/build/mmucheck" link "$out/facts" "$out/src"
	  "$top/build/mmucheck" link "$out/facts" "$src"; } > "$out/link.txt" 2> "$out/link.err"
	echo "$out/link.txt"
}

# kbuild_command VERSION OBJECT: the compiler command kbuild ran for
# OBJECT (from its .cmd file, so the build must have made it), without
# its dependency file, output and plugin arguments; run it in the build
# directory with a launcher (ccache, distcc) in front of its first word
# and "-o FILE" after it.
kbuild_command() {
	local obj cmdf
	obj=$(kbuild_dir "$1") || return 1
	cmdf=$obj/$(dirname "$2")/.$(basename "$2").cmd
	[ -f "$cmdf" ] || return 1
	sed -n '1s/^[a-z_]*cmd_[^ ]* := //p' "$cmdf" | sed 's/ *;.*//' |
		sed -E 's#-Wp,-MMD,[^ ]+##; s# -o [^ ]+# #; s#-fplugin(-arg-mmucheck-[a-z]+)?(=[^ ]+)?##g'
}
