# SPDX-License-Identifier: GPL-2.0-only
# Real kernel builds with the GCC plugin: configured once per cache,
# built once per run, shared by the plugin suites and the bench.

plugin=$top/build/gcc-plugin/mmucheck.so
# The code the plugin issue names: mm/, fs/proc/, fs/dax.o,
# kernel/events/ and virt/kvm/ (built through arch/x86/kvm/).
plugin_targets="mm/ fs/proc/ fs/dax.o kernel/events/ arch/x86/kvm/"
plugin_dirs="mm fs/proc kernel/events arch/x86/kvm virt"

# kbuild_dir VERSION: an O= build directory of the tree with defconfig
# plus the options that bring in the checked code.  Snapshot trees
# (generation_snapshot) are older than the compiler (gcc 12), so their
# builds also get snapshot_config and snapshot_make_args.
kbuild_dir() {
	local src obj=$cache/build-$1 off= args
	src=$(tree "$1") || return 1
	if [ ! -f "$obj/.mmucheck-configured" ]; then
		rm -rf "$obj" && mkdir -p "$obj" || return 1
		# One argument a line: HOSTCFLAGS holds spaces.
		if generation_snapshot "$1" > /dev/null; then
			off=$snapshot_config
			snapshot_make_args > "$obj/.mmucheck-make-args"
		fi
		mapfile -t args < <(kbuild_make_args "$obj")
		make -s -C "$src" O="$obj" defconfig > "$obj/.log" 2>&1 &&
			"$src/scripts/config" --file "$obj/.config" \
				-e HUGETLBFS -e TRANSPARENT_HUGEPAGE -e KSM -e KVM \
				-m KVM_INTEL -d KVM_AMD -e MEMORY_HOTPLUG \
				-e MEMORY_HOTREMOVE -e ZONE_DEVICE -e FS_DAX $off &&
			kbuild_olddefconfig "$src" "$obj" >> "$obj/.log" 2>&1 &&
			compiler_header_shim "$src" "$obj" &&
			make -s -C "$src" O="$obj" "${args[@]}" -j"$(nproc)" prepare >> "$obj/.log" 2>&1 &&
			touch "$obj/.mmucheck-configured" || return 1
	fi
	echo "$obj"
}

# What gcc 12 needs to build the snapshot trees (v3.6-v6.13):
# - tools/objtool's libsubcmd (built in prepare with -Werror up to v5.16)
#   fails on gcc 12's -Wuse-after-free in its xrealloc(): WERROR=0 drops
#   libsubcmd's -Werror, HOSTCFLAGS objtool's own.
# - Debian's gcc makes PIE code by default, which trees before v4.11 do
#   not turn off ("code model kernel does not support PIC mode"): KCFLAGS
#   -fno-pie (kbuild() adds it to the plugin's flags).
# - SELinux's genheaders (before v5.x) stops on the newer glibc's
#   address families ("#error New address family defined"): SELinux off,
#   nothing the checked code needs.
# - gcc 10 and later default to -fno-common, and v3.10's relocs tool
#   defines a variable in two files: HOSTCFLAGS -fcommon.
snapshot_kcflags="-fno-pie"
snapshot_config="-d SECURITY_SELINUX"
snapshot_make_args() {
	echo "WERROR=0"
	echo "HOSTCFLAGS=-Wno-error=use-after-free -fcommon"
	echo "KCFLAGS=$snapshot_kcflags"
}

# kbuild_make_args OBJ: the make arguments OBJ's tree needs, one a line.
kbuild_make_args() {
	cat "$1/.mmucheck-make-args" 2> /dev/null
}

# kbuild_olddefconfig SRC OBJ: the new options at their defaults (trees
# before v3.7 have no olddefconfig target: oldconfig answering defaults).
kbuild_olddefconfig() {
	if grep -q olddefconfig "$1/scripts/kconfig/Makefile"; then
		make -s -C "$1" O="$2" olddefconfig
	else
		yes '' | make -s -C "$1" O="$2" oldconfig > /dev/null
	fi
}

# compiler_header_shim SRC OBJ: trees before v4.2 include
# <linux/compiler-gccN.h> for the compiler's major N and know gcc up to
# 4 or 5; the build's own include/ (searched before the tree's) gets a
# compiler-gcc12.h that stands for the newest one the tree has.
compiler_header_shim() {
	local n newest
	n=$(gcc -dumpversion | cut -d. -f1)
	newest=$(ls "$1/include/linux/" 2>/dev/null | sed -n 's/^compiler-gcc\([0-9]\)\.h$/\1/p' | sort -n | tail -1)
	[ -n "$newest" ] && [ ! -f "$1/include/linux/compiler-gcc$n.h" ] || return 0
	mkdir -p "$2/include/linux" &&
		echo "#include <linux/compiler-gcc$newest.h>" > "$2/include/linux/compiler-gcc$n.h"
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
	local v=$1 flags=$2 obj args
	shift 2
	obj=$(kbuild_dir "$v") || return 1
	if generation_snapshot "$v" > /dev/null; then
		flags="$snapshot_kcflags $flags"
	fi
	mapfile -t args < <(kbuild_make_args "$obj")
	make -s -C "$(tree "$v")" O="$obj" "${args[@]}" \
		-j"$(nproc)" KCFLAGS="$flags" "$@"
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

# corpus_text_versions: "NN side VERSION" of each corpus text, VERSION
# being its tree's as the README's tree table writes it, without the
# sublevel (v5.18.12 -> 5.18; v6.1-rc7 -> 6.1-rc7; Debian's 6.1 -> 6.1),
# the keys tree() knows.
corpus_text_versions() {
	awk -F'|' '$2 ~ /^ *[0-9][0-9] *$/ && $3 ~ /github|Debian|, as [0-9]/ {
		n = $2; gsub(/ /, "", n)
		for (i = 3; i <= 4; i++) {
			match($i, /[0-9]+\.[0-9]+(\.[0-9]+)?(-rc[0-9]+)?/)
			v = substr($i, RSTART, RLENGTH)
			rc = ""
			if (match(v, /-rc[0-9]+$/)) rc = substr(v, RSTART)
			match(v, /^[0-9]+\.[0-9]+/)
			print n, (i == 3 ? "before" : "after"), substr(v, 1, RLENGTH) rc
		}
	}' "$1/README.md"
}

# candidate_trees VERSION: the trees tree() knows that may build a text
# of VERSION, best first: its own; the same release (4.19 for 4.19-rc3);
# older ones of the same major, nearest first; then the nearest newer one
# of the same major (v5.7 texts in v5.11, when no v5.7 tree is at hand);
# the first three, as each costs a build of the text's directory.
candidate_trees() {
	{ echo 6.1; echo 6.12; echo 6.19; generation_snapshots; } |
		awk -v v="$1" '
		function base(x) { sub(/-rc[0-9]+$/, "", x); return x }
		function key(x,  p) { split(base(x), p, "."); return p[1] * 1000 + p[2] }
		{ split(v, t, "."); split($1, c, ".") }
		c[1] != t[1] { next }
		$1 == v { print 0, 0, $1; next }
		base($1) == base(v) { print 1, 0, $1; next }
		key($1) < key(v) { print 2, key(v) - key($1), $1; next }
		{ print 3, key($1) - key(v), $1 }' | sort -k1,1n -k2,2n |
		awk '$1 < 3 || !newer++ { print $3 }' | head -n 3
}

# plugin_dir_facts VERSION DIR: the facts of one directory of a tree
# (a snapshot tree builds only the directory a text needs; Debian's
# trees share plugin_facts with the plugin suites).  Prints the facts
# directory; its .rc says whether every object built.  A snapshot never
# changes, so its facts are kept in its build directory for the plugin
# that made them (keyed by the plugin's checksum) and made again only
# when the plugin changes.
plugin_dir_facts() {
	local v=$1 dir=$2 facts obj key
	if ! generation_snapshot "$v" > /dev/null; then
		plugin_facts "$v"
		return
	fi
	# A tree that does not configure is tried once per run.
	facts=$work/facts-$v-configure
	if [ -f "$facts.rc" ] || ! obj=$(kbuild_dir "$v"); then
		echo configure > "$facts.rc"
		echo "$facts"
		return
	fi
	key=$(sha1sum "$plugin" | cut -c1-12)
	facts=$obj/.mmucheck-facts-$key-$(echo "$dir" | tr / _)
	if [ ! -f "$facts.rc" ]; then
		# Facts of an older plugin are stale.
		rm -rf "$obj"/.mmucheck-facts-*-"$(echo "$dir" | tr / _)"*
		mkdir -p "$facts"
		find "$obj/$dir" -name '*.o' -delete 2> /dev/null
		# -k: a file gcc 12 rejects loses its own facts, not the
		# directory's.
		kbuild "$v" "-fplugin=$plugin -fplugin-arg-mmucheck-facts=$facts" \
			-k "$dir/" > "$facts.log" 2>&1
		echo $? > "$facts.rc"
	fi
	echo "$facts"
}

# tree_name VERSION: how the skip and build lists name a tree.
tree_name() {
	if generation_snapshot "$1" > /dev/null; then
		echo "snapshot $(generation_snapshot "$1" | awk '{ print $2 "@" $3 }') (v$1)"
	elif [ "$1" = 6.19 ]; then
		echo "mainline snapshot v6.19"
	else
		echo "Debian $1"
	fi
}

# plugin_corpus_text BUG SIDE FILE TEXT VERSION OUT: compile TEXT in place
# of FILE in the tree of VERSION with the facts of FILE's directory and
# link them; appends the text's findings to OUT ("bug side path line rule
# function").  Fails, saying why on stderr, when the tree is not at hand
# or the text does not build in it.
plugin_corpus_text() {
	local bug=$1 side=$2 file=$3 text=$4 v=$5 out=$6 src facts log why
	src=$(tree "$v" 2> /dev/null) || { echo "tree not at hand"; return 1; }
	facts=$(plugin_dir_facts "$v" "$(dirname "$file")")
	if [ "$(cat "$facts.rc")" = configure ]; then
		echo "its build does not configure (see $cache/build-$v/.log)"
		return 1
	fi
	# The text's unit replaces the tree's among the build's facts, so
	# the link step sees its callers and callees.
	log=$work/pcorpus-$bug-$side-$v-$(basename "$file")
	rm -rf "$log.facts" && mkdir -p "$log.facts" &&
		cp "$facts"/*.json "$log.facts/" 2> /dev/null
	rm -f "$log.facts/$(echo "$src/$file" | tr / %).json"
	if ! kbuild_compile "$v" "$file" "$text" \
		"-fplugin-arg-mmucheck-facts=$log.facts" > "$log.log"; then
		why=$(grep -m1 -E 'error:|internal compiler error|plugin' "$log.log" | sed "s#^$text:##; s#^$src/##")
		echo "does not build: ${why:-no build command for $file}"
		return 1
	fi
	# The link step keeps the findings inside its KDIR (the text's side
	# of the corpus), named relative to it; the compiler names the text.
	"$top/build/mmucheck" link "$log.facts" "${text%/"$file"}" > "$log.link" 2> /dev/null
	{ grep -F "$text:" "$log.log"; grep "^$file:" "$log.link"; } |
		sed -nE "s#^[^:]+:([0-9]+):[0-9]+: (note|warning): \[(MMU[0-9]+)\] .* \[([A-Za-z0-9_]+)\]\$#$bug $side $file \1 \3 \4#p" |
		sort -u >> "$out"
}

# plugin_corpus OUT: the plugin's findings on the corpus texts, each
# built in the tree of its generation (candidate_trees: its own tree from
# the README when at hand, else the nearest that builds it), as "bug side
# path line rule function" lines.  OUT.built says which tree built each
# text; OUT.skipped which texts no tree at hand built, and why (a missing
# snapshot is a skip, never a failure: a clean machine has none).  Fails
# only when Debian's build of the plugin's code fails.
plugin_corpus() {
	local out=$1 corpus bug side ver text file v why tried arch
	# Its real path, as the link step prints the text's findings.
	corpus=$(cd "$top/../shared/corpus" && pwd -P) || return 1
	: > "$out"
	: > "$out.built"
	: > "$out.skipped"
	corpus_text_versions "$corpus" > "$out.versions"
	[ -s "$out.versions" ] || return 1
	while read -r bug side ver; do
		for text in $(cd "$corpus" && find "$bug"-*/"$side" -name '*.c' | sort); do
			file=${text#*/"$side"/}
			arch=$(echo "$file" | sed -n 's#^arch/\([^/]*\)/.*#\1#p')
			if [ -n "$arch" ] && [ "$arch" != x86 ]; then
				echo "$bug $side $file (v$ver): an arch/$arch text; the builds here are x86" >> "$out.skipped"
				continue
			fi
			tried=
			for v in $(candidate_trees "$ver"); do
				if why=$(plugin_corpus_text "$bug" "$side" "$file" "$corpus/$text" "$v" "$out"); then
					echo "$bug $side $file (v$ver): built in $(tree_name "$v")" >> "$out.built"
					tried=built
					break
				fi
				tried="$tried; $(tree_name "$v"): $why"
			done
			[ "$tried" = built ] && continue
			echo "$bug $side $file (v$ver): ${tried#; }" >> "$out.skipped"
		done
	done < "$out.versions"
	[ "$(cat "$(plugin_facts 6.1).rc")" = 0 ] && [ "$(cat "$(plugin_facts 6.12).rc")" = 0 ]
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
