# SPDX-License-Identifier: GPL-2.0-only
# Real Debian kernel trees, unpacked once per cache and shared by suites.

# tree VERSION: the path of Debian's linux-source-VERSION, unpacked by
# mmucheck-scan itself (the README's main job) on first use; 6.19 is the
# mainline snapshot, when fetched.
tree() {
	local fetched
	if [ "$1" = 6.19 ]; then
		mainline_tree
		return
	fi
	if fetched=$(generation_snapshot "$1"); then
		generation_tree $fetched
		return
	fi
	MMUCHECK_CACHE=$cache "$top/scripts/mmucheck-scan" --prepare --debian "$1"
}

# scan_tree VERSION MODE [SUBDIR]: run the scan once per run, mode and
# directory (the whole tree unless SUBDIR).
scan_tree() {
	local out=$work/scan-$1-$2${3:+-$3}
	if [ ! -f "$out.rc" ]; then
		MMUCHECK_CACHE=$cache "$top/scripts/mmucheck-scan" --mode "$2" \
			${3:+-M "$3"} "$(tree "$1")" > "$out.txt" 2> "$out.err"
		echo $? > "$out.rc"
	fi
	echo "$out"
}

# finding_keys FILE: "file rule function" of each report line.
finding_keys() {
	sed -nE 's|^(\./)?([^:]+):[0-9]+:[0-9-]+: WARNING: \[(MMU[0-9][0-9][0-9])\] .*\(function ([A-Za-z0-9_]+)\)$|\2 \3 \4|p' "$1" |
		sort -u
}

# git_repo VERSION: a git repository made once per cache from Debian's
# tree (one commit on branch "base"), for the driver's --base and fix.
git_repo() {
	local src repo=$cache/git-$1
	if [ ! -f "$repo/.git/mmucheck-ready" ]; then
		src=$(tree "$1") || return 1
		rm -rf "$repo" && cp -a "$src" "$repo" &&
			git -C "$repo" init -q -b base &&
			git -C "$repo" add -f . &&	# Debian's .gitignore ignores /*
			git -C "$repo" -c user.name=mmucheck \
				-c user.email=mmucheck@localhost \
				commit -qm "Debian linux-source-$1" &&
			touch "$repo/.git/mmucheck-ready" || return 1
	fi
	echo "$repo"
}

# The v6.19 snapshot SPEC.md names (the "Import Linux v6.19" commit).
mainline_tree() {
	fetched_tree linux-6.19 matankalina+linux-6.19.10-fork 094d86945
}

# fetched_tree NAME REPO REV: a tree from a git snapshot brought by the
# search tool's fetch (/work/.mirror/OWNER+NAME/repo, or MMUCHECK_MIRRORS),
# checked out once into the cache through a scratch index, without the
# blobs the snapshot lacks (some large drivers/gpu headers).  Fails when
# the snapshot is absent: CI cannot fetch, so suites skip with a message.
fetched_tree() {
	local name=$1 git=${MMUCHECK_MIRRORS:-/work/.mirror}/$2/repo rev=$3
	local dest=$cache/$name idx=$cache/$name.index
	# Some snapshots come as a repository with an (empty) work tree.
	[ -d "$git/.git" ] && git=$git/.git
	if [ ! -f "$dest/.mmucheck-ready" ]; then
		git -C "$git" rev-parse -q --verify "$rev^{commit}" > /dev/null 2>&1 ||
			return 1
		rm -rf "$dest" && mkdir -p "$dest" || return 1
		export GIT_INDEX_FILE=$idx GIT_DIR=$git GIT_WORK_TREE=$dest
		git read-tree "$rev" &&
		git ls-files -s | awk '{ print $2 }' | git cat-file --batch-check |
			awk '$2 == "missing" { print $1 }' > "$idx.missing" &&
		git ls-files -s | awk 'NR == FNR { gone[$1]; next }
			$2 in gone { sub(/^[^\t]*\t/, ""); print }' "$idx.missing" - |
			git update-index --force-remove --stdin &&
		# A configuration some snapshots committed makes kbuild refuse
		# O= builds ("The source tree is not clean").
		git ls-files .config .config.old include/config include/generated |
			git update-index --force-remove --stdin &&
		git checkout-index -a && touch "$dest/.mmucheck-ready"
		local rc=$?
		unset GIT_INDEX_FILE GIT_DIR GIT_WORK_TREE
		rm -f "$idx" "$idx.missing"
		[ $rc = 0 ] || return 1
	fi
	echo "$dest"
}

# generation_snapshot VERSION: "NAME REPO REV [SUBDIR]" of the GitHub
# snapshot (as the search tool's fetch brings it) that the corpus README
# names as the tree of that generation's texts; VERSION as the README
# writes it without the sublevel (5.18 for v5.18.12, 6.1-rc7).  Debian's
# 6.1/6.12 and the 6.19 snapshot are looked up above.
generation_snapshot() {
	awk -v v="$1" '$1 == v { $1 = ""; print; found = 1 } END { exit !found }' <<-EOF
	3.6 linux-3.6.5 yuhc+linux-3.6.5 f96fb88ee37f
	3.10 linux-3.10.4 iamroot-x86-10+linux-3.10.4 f2f4c758b0ce
	4.19-rc3 linux-4.19-rc3 fitchwa+linux-4.19 111061b22e40
	4.19 linux-4.19 ZDawnG+linux-4.19 b69769d39abc
	5.7 linux-5.7.14 a5221985+linux-5.7.14 5d0b54d93391
	5.11 linux-5.11 CompressionDuck+linux-5.11 2dbae366306d
	5.14-rc5 linux-5.14 lsk-legends+linux-5.14 45477c32dd5d
	5.18 kernel-5.18 esuoyanyu+kernel-5.18 4b13cea91dc6 common
	5.19 linux-5.19 yishangzhang+linux-5.19 4a8550523ce9
	6.0-rc1 linux-6.0 sun363587351+linux-6.0 071a8bf088f3
	6.1-rc7 linux-6.1.0 krr-io+linux-6.1.0 7c210bc387c3
	6.13 linux-6.13.2 vivo50kff+linux-6.13.2 9994c1effb65
	EOF
}

# generation_snapshots: the versions generation_snapshot knows.
generation_snapshots() {
	sed -n '/^generation_snapshot() {/,/^}/s/^\t\([0-9][0-9.a-z-]*\) .*/\1/p' "$top/tests/lib/real.sh"
}

# generation_tree NAME REPO REV [SUBDIR]: the snapshot's source tree,
# from the cache or checked out of the mirror; fails when neither has it.
generation_tree() {
	local dest
	dest=$(fetched_tree "$1" "$2" "$3") || return 1
	# Its real path, as kbuild writes it in the build's commands (the
	# cache may hold a symbolic link to the tree).
	(cd "$dest${4:+/$4}" && pwd -P)
}
