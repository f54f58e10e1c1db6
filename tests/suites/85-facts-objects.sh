# SPDX-License-Identifier: GPL-2.0-only
# The plugin's facts inside the objects (.discard.mmucheck): a handful
# of mm/ objects of Debian's 6.12 tree, configured as for 80-plugin-real
# (tests/lib/kbuild.sh), built with the plugin by kbuild, then compiled
# again with kbuild's own command through ccache (cold, then warm) and
# through distcc to a distccd this suite starts on 127.0.0.1; every way
# must give the same facts and the same linked findings.  Then the
# kernel's module linker script must discard the section without an
# orphan-section warning.  ccache and distcc come from make deps; when
# one is missing its part is skipped, saying so.
. "$top/tests/lib/real.sh"
. "$top/tests/lib/kbuild.sh"

fo_units="mm/mremap.o mm/mprotect.o mm/pagewalk.o mm/madvise.o mm/rmap.o
	mm/khugepaged.o mm/hugetlb.o mm/memory.o"
fo_n=$(echo $fo_units | wc -w)
fo_src=$(tree 6.12)
fo_obj=$(kbuild_dir 6.12)
fo_section=.discard.mmucheck

# fo_link NAME DIR: link DIR's facts; NAME.txt the findings, NAME.err
# the summary line.
fo_link() {
	"$top/build/mmucheck" link "$2" "$fo_src" > "$work/fo-$1.txt" 2> "$work/fo-$1.err"
	echo $? > "$work/fo-$1.rc"
}

# fo_facts OBJECT: the facts section's bytes, the trailing NUL dropped.
fo_facts() {
	objcopy --dump-section "$fo_section=$work/fo-section" "$1" "$work/fo-null.o" &&
		tr -d '\0' < "$work/fo-section"
}

# fo_compile DIR LAUNCHER...: each unit with kbuild's command behind the
# launcher, the plugin putting facts into the objects only; DIR/log says
# what failed.
fo_compile() {
	local dir=$1 u cmd
	shift
	mkdir -p "$dir/mm"
	for u in $fo_units; do
		cmd=$(kbuild_command 6.12 "$u") || return 1
		(cd "$fo_obj" && eval "$* ${cmd#gcc } -fplugin-arg-mmucheck-facts -o $dir/$u") \
			>> "$dir.log" 2>&1 || return 1
	done
}

# fo_same_as_local NAME DIR: DIR's objects link to the local findings.
fo_same_as_local() {
	fo_link "$1" "$2"
	check "$1: linked the $fo_n units from the objects" \
		grep -q "^mmucheck: linked $fo_n units" "$work/fo-$1.err"
	same "$1: the same findings as the local build" \
		"$work/fo-local.txt" "$work/fo-$1.txt"
}

# --- the local build: objects and files ---------------------------------
# The build may compile kbuild's own probes too: only the units' files.
fo_files=$work/fo-files
mkdir -p "$fo_files" "$work/fo-all-files" "$work/fo-objs/mm"
for u in $fo_units; do rm -f "$fo_obj/$u"; done
kbuild 6.12 "-fplugin=$plugin -fplugin-arg-mmucheck-facts=$work/fo-all-files" $fo_units \
	> "$work/fo-build.log" 2>&1
check "facts: the objects build with the plugin and objtool (make O= KCFLAGS=...)" test $? = 0
for u in $fo_units; do
	cp -p "$fo_obj/$u" "$work/fo-objs/$u"
	f=$(echo "$fo_src/${u%.o}.c" | tr / %).json
	cp -p "$work/fo-all-files/$f" "$fo_files/$f"
done
bad=
for u in $fo_units; do
	readelf -S -W "$work/fo-objs/$u" |
		grep -qE "\] $fo_section +PROGBITS +0+ [0-9a-f]+ [0-9a-f]+ 00 +0 +0 +1$" ||
		bad="$bad $u"
done
check "facts: every object has a non-allocated $fo_section section${bad:+ (not:$bad)}" test -z "$bad"
bad=
for u in $fo_units; do
	f=$fo_files/$(echo "$fo_src/${u%.o}.c" | tr / %).json
	fo_facts "$work/fo-objs/$u" | cmp -s - "$f" || bad="$bad $u"
done
check "facts: each object's section holds the bytes of its facts file${bad:+ (differ:$bad)}" test -z "$bad"
fo_link files "$fo_files"
fo_link local "$work/fo-objs"
check "facts: link over the objects exits as over the files" \
	test "$(cat "$work/fo-local.rc")" = "$(cat "$work/fo-files.rc")"
grep -v '^mmucheck: linked' "$work/fo-files.err" > "$work/fo-files.warn"
check "facts: the files link without complaint" test ! -s "$work/fo-files.warn"
same "facts: the objects' findings equal the files' findings" \
	"$work/fo-files.txt" "$work/fo-local.txt"
check "facts: the objects' link reads as many units, updates and sites as the files'" \
	test "$(sed 's/.*linked //' "$work/fo-local.err")" = \
	"$(sed -n 's/.*linked //p' "$work/fo-files.err")"
echo "   facts: $(cat "$work/fo-local.err"); $(wc -l < "$work/fo-local.txt") finding lines"
# A static function is "::name" in its unit's facts (the unit's path is
# written once); facts of older plugins spell "unit::name" out and link
# the same.
rm -rf "$work/fo-spelt" && mkdir -p "$work/fo-spelt"
python3 - "$fo_files" "$work/fo-spelt" > "$work/fo-spelt.n" <<'PY'
import json, os, sys
keys = {"updates": ("function",), "sites": ("caller", "callee"),
	"fields": ("function",), "indirect": ("caller",)}
local = repeated = 0
for name in sorted(os.listdir(sys.argv[1])):
	u = json.load(open(os.path.join(sys.argv[1], name)))
	full = lambda k: u["unit"] + k if k.startswith("::") else k
	for array, ks in keys.items():
		for e in u[array]:
			for k in ks:
				local += e[k].startswith("::")
				repeated += e[k].startswith(u["unit"] + "::")
				e[k] = full(e[k])
	u["unshares"] = [full(k) for k in u["unshares"]]
	json.dump(u, open(os.path.join(sys.argv[2], name), "w"))
print(local, repeated)
PY
read -r fo_local fo_repeated < "$work/fo-spelt.n"
check "facts: static functions are ::name ($fo_local keys), no key repeats the unit's path" \
	test "${fo_local:-0}" -gt 0 -a "${fo_repeated:-1}" = 0
fo_link spelt "$work/fo-spelt"
same "facts: facts spelling unit::name out link to the same findings" \
	"$work/fo-files.txt" "$work/fo-spelt.txt"
check "... and the same units, updates and sites" \
	test "$(sed -n 's/.*linked //p' "$work/fo-spelt.err")" = \
	"$(sed -n 's/.*linked //p' "$work/fo-files.err")"

# Objects and files together (a build directory holding mmucheck-facts/):
# each unit once.
mkdir -p "$work/fo-both"
cp -rp "$work/fo-objs/mm" "$work/fo-both/" && cp -rp "$fo_files" "$work/fo-both/mmucheck-facts"
fo_same_as_local both "$work/fo-both"

# A partial link (ld -r) joins the sections: one document per unit.
mkdir -p "$work/fo-partial"
(cd "$work/fo-objs" && ld -m elf_x86_64 -r $fo_units -o "$work/fo-partial/all.o")
objcopy --dump-section "$fo_section=$work/fo-partial.bin" "$work/fo-partial/all.o" "$work/fo-null.o"
check "facts: ld -r keeps every unit's document ($fo_n NUL-terminated)" \
	test "$(tr -cd '\0' < "$work/fo-partial.bin" | wc -c)" = "$fo_n"
fo_same_as_local partial "$work/fo-partial"

# Bad sections stop the link with their name, as bad facts files do.
mkdir -p "$work/fo-bad"
printf '{"mmucheck-facts": 1, "updates": [' > "$work/fo-truncated"
objcopy --update-section "$fo_section=$work/fo-truncated" "$work/fo-objs/mm/mremap.o" \
	"$work/fo-bad/mremap.o"
fo_link bad "$work/fo-bad"
check "facts: a truncated section stops the link, named (exit 2)" \
	bash -c "[ $(cat "$work/fo-bad.rc") = 2 ] &&
		grep -q 'fo-bad/mremap.o($fo_section): not a complete facts file' '$work/fo-bad.err'"
objcopy --remove-section "$fo_section" "$work/fo-objs/mm/mremap.o" "$work/fo-bad/mremap.o"
fo_link none "$work/fo-bad"
check "facts: objects without the section are no facts (exit 2)" \
	bash -c "[ $(cat "$work/fo-none.rc") = 2 ] && grep -q 'no object with a $fo_section section' '$work/fo-none.err'"

# scan --build DIR reads the objects too.  A near-empty tree keeps spatch
# out of it: the linked findings, outside that tree, are named and dropped.
mkdir -p "$work/fo-tree/mm" "$work/fo-tree/include/linux"
: > "$work/fo-tree/include/linux/mm.h"
"$top/build/mmucheck" scan "$work/fo-tree" --rules MMU001 --build "$work/fo-objs" \
	> /dev/null 2> "$work/fo-scan.err"
check "facts: scan --build over objects links their $fo_n units" \
	grep -q "^mmucheck: linked the plugin's facts of $fo_n units" "$work/fo-scan.err"
check "facts: scan --build over objects has link's MMU001 findings" \
	test "$(grep -c 'MMU001 finding dropped' "$work/fo-scan.err")" = \
	"$(grep -c '\[MMU001\]' "$work/fo-local.txt")"

# --- ccache: a cold and a warm cache of the suite's own -----------------
if command -v ccache > /dev/null; then
	export CCACHE_DIR=$work/ccache
	ccache --zero-stats > /dev/null
	fo_compile "$work/fo-cold" ccache gcc -fplugin="$plugin"
	check "ccache: cold build of the units with the plugin" test $? = 0
	ccache --print-stats > "$work/fo-cold.stats"
	fo_compile "$work/fo-warm" ccache gcc -fplugin="$plugin"
	check "ccache: warm build of the units" test $? = 0
	ccache --print-stats > "$work/fo-warm.stats"
	hits() { awk -F'\t' '$1 ~ /^(direct|preprocessed)_cache_hit$/ { n += $2 } END { print n + 0 }' "$1"; }
	check "ccache: the cold build missed the cache" test "$(hits "$work/fo-cold.stats")" = 0
	check "ccache: the warm build hit the cache for all $fo_n units" \
		test "$(($(hits "$work/fo-warm.stats") - $(hits "$work/fo-cold.stats")))" = "$fo_n"
	fo_same_as_local ccache-cold "$work/fo-cold"
	fo_same_as_local ccache-warm "$work/fo-warm"
	unset CCACHE_DIR
else
	echo "SKIP: ccache: not installed (make deps installs it)"
fi

# --- distcc: a distccd on 127.0.0.1, started and stopped here -----------
# distccd refuses -fplugin= on a command line, so the volunteer runs
# scripts/mmucheck-gcc, which loads the plugin itself; --enable-tcp-
# insecure lets it run a compiler named by path (on loopback only).
# distccd runs as nobody when started by root: the plugin must be
# readable by it.
fo_distcc() {
	local port pid n
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	distccd --daemon --no-detach --log-stderr --enable-tcp-insecure \
		--allow 127.0.0.1 --listen 127.0.0.1 --port "$port" --jobs 2 \
		2> "$work/fo-distccd.log" &
	pid=$!
	for n in 1 2 3 4 5 6 7 8 9 10; do
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" \
			2> /dev/null && break
		sleep 0.5
	done
	mkdir -p "$work/distcc-dir"
	DISTCC_HOSTS=127.0.0.1:$port DISTCC_DIR=$work/distcc-dir DISTCC_FALLBACK=0 \
		fo_compile "$work/fo-distcc" distcc "$top/scripts/mmucheck-gcc"
	check "distcc: the units compile through distccd with the plugin" test $? = 0
	# distccd logs a job after it has answered the client.
	for n in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(grep -c 'COMPILE_OK.*mmucheck-gcc' "$work/fo-distccd.log")" -ge "$fo_n" ] &&
			break
		sleep 0.5
	done
	kill "$pid"
	wait "$pid" 2> /dev/null
	n=$(grep -c 'COMPILE_OK.*mmucheck-gcc' "$work/fo-distccd.log")
	check "distcc: distccd compiled all $fo_n units ($n)" test "$n" = "$fo_n"
	fo_same_as_local distcc "$work/fo-distcc"
}
if ! command -v distcc > /dev/null || ! command -v distccd > /dev/null; then
	echo "SKIP: distcc: not installed (make deps installs it)"
elif [ "$(id -u)" = 0 ] && ! su -s /bin/sh nobody -c "test -r '$plugin'"; then
	echo "SKIP: distcc: distccd runs as nobody, who cannot read $plugin"
else
	fo_distcc
fi

# --- linking: the kernel's scripts discard the section ------------------
make -s -C "$fo_src" O="$fo_obj" modules_prepare > "$work/fo-lds.log" 2>&1
lds=$fo_obj/scripts/module.lds
check "link: the kernel's module.lds is made (make modules_prepare)" test -f "$lds"
(cd "$work/fo-objs" && ld -m elf_x86_64 -r --orphan-handling=warn -T "$lds" $fo_units \
	-o "$work/fo-module.o") 2> "$work/fo-module.err"
check "link: ld -r -T module.lds of the objects succeeds" test $? = 0
check "link: no orphan-section warning for $fo_section" \
	bash -c "! grep -F '$fo_section' '$work/fo-module.err'"
check "link: the section is discarded" \
	bash -c "! readelf -S -W '$work/fo-module.o' | grep -qF '$fo_section'"
# The warning this looks for does come when a section is not discarded.
objcopy --rename-section "$fo_section=.mmucheck.facts" "$work/fo-objs/mm/mremap.o" "$work/fo-renamed.o"
ld -m elf_x86_64 -r --orphan-handling=warn -T "$lds" "$work/fo-renamed.o" \
	-o "$work/fo-renamed-link.o" 2> "$work/fo-renamed.err"
check "link: a facts section not named .discard.* would be an orphan (control)" \
	grep -q "orphan section .\.mmucheck\.facts" "$work/fo-renamed.err"
check "link: vmlinux.lds discards .discard.* too" \
	bash -c "make -s -C '$fo_src' O='$fo_obj' arch/x86/kernel/vmlinux.lds > /dev/null 2>&1 &&
		grep -A4 '/DISCARD/' '$fo_obj/arch/x86/kernel/vmlinux.lds' | grep -qF '*(.discard.*)'"
