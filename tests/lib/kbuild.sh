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
	cmd=$(sed -n '1s/^[a-z_]*cmd_[^ ]* := //p' "$obj/$(dirname "$file")/.$(basename "$file" .c).o.cmd")
	# Whatever plugin flags the last build used, this one uses ours.
	cmd=$(echo "$cmd" | sed -E "s#-Wp,-MMD,[^ ]+##; s# -o [^ ]+# -o /dev/null#; s#-fplugin(-arg-mmucheck-[a-z]+)?=[^ ]+##g; s#$src/$file#-fplugin=$plugin -fplugin-arg-mmucheck-facts=$out/facts $out/src/$file#")
	(cd "$obj" && eval "$cmd") > "$out/cc.log" 2>&1 || return 1
	"$top/build/mmucheck" link "$out/facts" "$src" > "$out/link.txt" 2> "$out/link.err"
	echo "$out/link.txt"
}
