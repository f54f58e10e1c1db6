# SPDX-License-Identifier: GPL-2.0-only
# The fixture cases (tests/fixtures/<rule>/*.c, format in
# tests/fixtures/README): their marks, and what each backend finds in
# them, as "case line rule function" rows (case: the path under
# tests/fixtures).  Needs harness.sh ($top, $work, $cocci, spatch_opts).

fxdir=$top/tests/fixtures
fx_plugin_so=$top/build/gcc-plugin/mmucheck.so
fx_mmucheck=$top/build/mmucheck
# A mark: "/* MMU003 */", several ids in one comment; after an id,
# "cocci" or "plugin" (only that backend reports the line: it anchors the
# same finding elsewhere in the function) and "unfixed" (the rule's patch
# leaves the finding).
fx_mark_re='/\* MMU[0-9]{3}( (unfixed|cocci|plugin))*( MMU[0-9]{3}( (unfixed|cocci|plugin))*)* \*/'

# "MMUnnn slug" of every rule of api/mmu_rules.def, in its order.
fx_rules() {
	sed -nE 's/^MMU_RULE\(([0-9]{3}), *([a-z0-9_]+),.*/MMU\1 \2/p' \
		"$top/api/mmu_rules.def"
}
fx_rule_ids() { fx_rules | cut -d' ' -f1; }

# "MMUnnn backend..." of every rule: its registry backends column
# (B(COCCI) | B(PLUGIN)) in lower case.
fx_rule_backends() {
	awk '/^MMU_RULE\(/ { id = $0; sub(/^MMU_RULE\(/, "", id); sub(/,.*/, "", id); want = 1 }
	want && /B\([A-Z]+\)/ { s = $0; out = "MMU" id
		while (match(s, /B\([A-Z]+\)/)) {
			out = out " " tolower(substr(s, RSTART + 2, RLENGTH - 3))
			s = substr(s, RSTART + RLENGTH)
		}
		print out; want = 0 }' "$top/api/mmu_rules.def"
}
# fx_rules_of BACKEND: the ids of the rules BACKEND implements.
fx_rules_of() { fx_rule_backends | awk -v b="$1" '{ for (i = 2; i <= NF; i++) if ($i == b) print $1 }'; }

# The semantic patch of rule id MMUnnn; "merged": every rule's, in one.
fx_cocci_of() {
	[ "$1" = merged ] && { echo "$cocci/mmucheck.cocci"; return; }
	fx_rules | awk -v id="$1" -v d="$cocci" \
		'$1 == id { printf "%s/mmu%s_%s.cocci\n", d, substr(id, 4), $2 }'
}

# The cases: every .c file one level under a rule directory; files under
# units/ are the other units of cross-file cases, never cases themselves.
fx_cases() {
	(cd "$fxdir" && ls mmu[0-9][0-9][0-9]/*.c 2> /dev/null)
}
# Every file the semantic patches read (cases and units).
fx_files() {
	(cd "$fxdir" && ls mmu[0-9][0-9][0-9]/*.c mmu[0-9][0-9][0-9]/units/*.c 2> /dev/null)
}

# A case's directive "/* mmucheck-KEY: VALUE */", e.g. version, link.
fx_directive() {
	sed -nE "s|.*/\\* mmucheck-$2: (.*) \\*/.*|\\1|p" "$fxdir/$1"
}

# fx_marks FILE: "line rule backend [unfixed]" of each mark, backend
# "all", "cocci" or "plugin".
fx_marks() {
	grep -noE "$fx_mark_re" "$fxdir/$1" | awk -F: '{
		n = split($2, w, " ")
		for (i = 2; i < n; i++) {
			if (w[i] !~ /^MMU/)
				continue
			b = "all"; u = ""
			for (j = i + 1; j < n && w[j] !~ /^MMU/; j++)
				if (w[j] == "unfixed") u = " unfixed"; else b = w[j]
			print $1, w[i], b u
		}
	}'
}

# fx_function FILE LINE...: the function each line is in (kernel style:
# the name before "(" on a column-0 line, confirmed by a "{" line).
fx_function() {
	local f=$1
	shift
	awk -v want="$*" '
	BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) ask[w[i]] = 1 }
	/^[A-Za-z_][^;]*\(/ && !/^(#|typedef|struct [a-z_]+ \{)/ {
		s = $0; sub(/\(.*/, "", s); sub(/.*[^A-Za-z0-9_]/, "", s); cand = s
	}
	/^\{/ { cur = cand }
	/^\}/ { cur = "-" }
	(FNR in ask) { print FNR, (cur == "" ? "-" : cur) }' "$fxdir/$f"
}

# fx_with_functions FILE < "line rule": "FILE line rule function".
fx_with_functions() {
	local f=$1 rows lines
	rows=$(cat)
	[ -n "$rows" ] || return 0
	lines=$(echo "$rows" | cut -d' ' -f1 | sort -u | tr '\n' ' ')
	join <(echo "$rows" | sort -k1,1) <(fx_function "$f" $lines | sort -k1,1) |
		awk -v f="$f" '{ print f, $1, $2, $NF }'
}

# fx_all_marks BACKEND: "case line rule function" of every mark of all
# files that BACKEND must report.
fx_all_marks() {
	local f ids
	ids=" $(fx_rules_of "$1" | paste -sd' ') "
	for f in $(fx_files); do
		fx_marks "$f" | awk -v b="$1" -v ids="$ids" \
			'($3 == "all" || $3 == b) && index(ids, " " $2 " ") { print $1, $2 }' |
			fx_with_functions "$f"
	done | sort -u
}

# fx_one_sided: "case line rule function backend" of marks for one
# backend whose function has no mark of the rule for the other: those
# are disagreements, for AGREEMENT, not anchors.
fx_one_sided() {
	local f
	for f in $(fx_files); do
		fx_marks "$f" | awk '{ print $1, $2 "/" $3 }' | fx_with_functions "$f"
	done | awk '{ split($3, r, "/"); k = $1 " " $4 " " r[1]; has[k, r[2]] = 1
		if (r[2] != "all") one[$1 " " $2 " " r[1] " " $4 " " r[2]] = k }
	END { for (m in one) { split(m, w, " "); o = (w[5] == "cocci") ? "plugin" : "cocci"
		if (!has[one[m], o] && !has[one[m], "all"]) print m } }' |
		# a rule the other backend does not implement has no anchor there
		awk 'NR == FNR { for (i = 2; i <= NF; i++) b[$1 " " $i] = 1; next }
		b[$3 " " ($5 == "cocci" ? "plugin" : "cocci")]' <(fx_rule_backends) - | sort
}

# spatch report lines -> "case line rule function".
fx_norm_cocci() {
	sed -nE 's/^([^:]+):([0-9]+):[^ ]* WARNING: \[(MMU[0-9]{3})\] .*\(function ([A-Za-z0-9_]+)\)$/\1 \2 \3 \4/p'
}

# fx_run_cocci MODE OUT [ROOT [FILE...]]: every rule (or $fx_only, a
# list of ids) over the files (default: every case and unit) under ROOT
# (default: tests/fixtures), each file its own spatch group (no call
# graph spans two cases), grouped by the files' mmucheck-version
# directive (MMUCHECK_KERNEL_VERSION).  Raw output, paths relative to
# ROOT, one file per rule: OUT.MMUnnn.  Extra spatch arguments: $fx_args;
# fx_noversion=1: one group, MMUCHECK_KERNEL_VERSION unset (quicker).
fx_run_cocci() {
	local mode=$1 out=$2 root=${3:-$fxdir} f v id g files
	shift 3 2> /dev/null || shift $#
	files=${*:-$(fx_files)}
	rm -f "$out".groups.*
	for f in $files; do
		v=
		[ -n "${fx_noversion:-}" ] || v=$(fxdir=$root fx_directive "$f" version)
		printf '%s\n\n' "$f" >> "$out.groups.${v:-none}"
	done
	for id in ${fx_only:-$(fx_rules_of cocci)}; do
		: > "$out.$id"
		for g in "$out".groups.*; do
			v=${g##*.groups.}
			[ "$v" = none ] && v=
			(cd "$root" && MMUCHECK_KERNEL_VERSION=$v spatch $spatch_opts \
				--no-scanner -D "$mode" ${fx_args:-} \
				--sp-file "$(fx_cocci_of "$id")" --file-groups "$g") \
				>> "$out.$id" 2> "$work/spatch.err"
			if grep -qE 'Python failure|Fatal error|Error in Python' "$work/spatch.err"; then
				echo "spatch failed for $id ($mode):" >&2
				head -5 "$work/spatch.err" >&2
			fi
		done
	done
}

fx_plugin_built() { [ -f "$fx_plugin_so" ] && [ -x "$fx_mmucheck" ]; }

# Plugin notes of gcc's stderr -> "case line rule function".
fx_norm_plugin() {
	sed -nE 's/^([^:]+):([0-9]+):[0-9]+: (note|warning|error): \[(MMU[0-9]{3})\] .* \[([A-Za-z0-9_]+)\]$/\1 \2 \4 \5/p'
}

# fx_compile CASE [GCC ARGS...]: the case with the plugin, from
# tests/fixtures, told the case's mmucheck-version as the semantic
# patches are; stderr in $work/cc.err.
fx_compile() {
	local f=$1
	shift
	(cd "$fxdir" && MMUCHECK_KERNEL_VERSION=$(fx_directive "$f" version) \
		gcc -O2 -c -o /dev/null -fplugin="$fx_plugin_so" "$@" "$f") \
		2> "$work/cc.err"
}

# fx_run_plugin CASE: the plugin's findings on a case.  A cross-file case
# (mmucheck-link: its other units) is compiled with them and linked, as
# mmucheck scan --build does; a one-file case gives its notes.
fx_run_plugin() {
	local c=$1 units u d facts
	units=$(fx_directive "$c" link)
	if [ -z "$units" ]; then
		fx_compile "$c"
		fx_norm_plugin < "$work/cc.err"
		return
	fi
	facts=$work/facts-$(echo "$c" | tr / %)
	rm -rf "$facts" && mkdir -p "$facts"
	d=$(dirname "$c")
	for u in "$c" $(for u in $units; do echo "$d/$u"; done); do
		fx_compile "$u" -fplugin-arg-mmucheck-facts="$facts"
	done
	(cd "$fxdir" && "$fx_mmucheck" link "$facts" .) 2> /dev/null |
		sed -nE 's/^([^:]+):([0-9]+):[0-9]+: warning: \[(MMU[0-9]{3})\] .* \[([A-Za-z0-9_]+)\]$/\1 \2 \3 \4/p'
}

# The agreement table without comments: "case function rule backend".
fx_agreement() {
	grep -v '^#' "$fxdir/AGREEMENT" | awk -F'\t' 'NF >= 5 { print $1, $2, $3, $4 }' | sort -u
}

# fx_context_lines < DIFF: "case line" of each line context mode marks
# with "-", and "case line +" for a line continuing the one before it.
fx_context_lines() {
	awk '/^--- / { f = $2; sub(/^a\//, "", f); next }
	/^\+\+\+ / { next }
	/^@@ / { split($2, h, ","); n = -h[1]; prev = -1; next }
	/^-/ { print f, n (n == prev + 1 ? " +" : ""); prev = n; n++; next }
	/^[ ]/ { n++ }'
}

# fx_flat DIR [ID...]: each rule's main case (mmuNNN/SLUG.c) as
# DIR/mmuNNN_SLUG.c, marks stripped and the stubs one level up (the
# synthetic trees of the driver suites: DIR is TREE/mm, stubs TREE/stubs).
fx_flat() {
	local dir=$1 id slug n
	shift
	fx_rules | while read -r id slug; do
		[ $# = 0 ] || echo " $* " | grep -q " $id " || continue
		n=$(echo "$id" | tr A-Z a-z)
		[ -f "$fxdir/$n/$slug.c" ] || continue
		sed -E "s#[[:space:]]*$fx_mark_re##; s#\"\\.\\./\\.\\./stubs/#\"../stubs/#" \
			"$fxdir/$n/$slug.c" > "$dir/${n}_$slug.c"
	done
}
