# SPDX-License-Identifier: GPL-2.0-only
# Mutation helpers: inject a project-written bug shape into a copy of a
# real kernel file and check the rule reports it, and that its fix works.

# apply_mutation MUTFILE FILE: the mutation's old text, found once in
# FILE, becomes its new text, in place; then old2 becomes new2 and old3
# new3, when the mutation has a second or third edit.
apply_mutation() {
	local tree file old new old2= new2= old3= new3= rule function fix plugin_finds
	. "$1"
	replace_once "$old" "$new" "$2" || return 1
	[ -z "$old2" ] || replace_once "$old2" "$new2" "$2" || return 1
	[ -z "$old3" ] || replace_once "$old3" "$new3" "$2"
}

replace_once() {
	OLD=$1 NEW=$2 perl -0777 -i -pe '
		BEGIN { $o = $ENV{OLD}; $n = $ENV{NEW} }
		$c = () = /\Q$o\E/g;
		die "mutation text found $c times\n" unless $c == 1;
		s/\Q$o\E/$n/;' "$3"
}

# mutate MUTFILE DIR: copy the tree file into DIR (keeping its path) and
# apply the mutation; the old text must occur exactly once.
mutate() {
	local file
	file=$(. "$1"; echo "$file")
	mkdir -p "$2/$(dirname "$file")"
	cp "$cache/linux-source-$(. "$1"; echo "$tree")/$file" "$2/$file" &&
		apply_mutation "$1" "$2/$file"
}

# findings RULE FUNCTION DIR FILE: the matching report lines.
findings() {
	local r=$(echo "$1" | tr A-Z a-z)
	(cd "$3" && run_rule "$(basename "$cocci"/"$r"_*.cocci .cocci)" report "$4") |
		grep -F "[$1]" | grep -F "(function $2)"
}
