# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the mmucheck driver tests.

mmucheck=$top/build/mmucheck

# run_driver NAME-OF-OUTPUT ARGS...: run the driver, keep stdout, stderr
# and the exit code in $work/NAME.{out,err,rc}.
run_driver() {
	local name=$1
	shift
	"$mmucheck" "$@" > "$work/$name.out" 2> "$work/$name.err"
	echo $? > "$work/$name.rc"
}

# rc_is NAME WANT TEST-NAME: the recorded exit code.
rc_is() {
	local rc
	rc=$(cat "$work/$1.rc")
	if [ "$rc" = "$2" ]; then
		pass "$3"
	else
		fail "$3 (exit $rc, not $2): $(head -3 "$work/$1.err")"
	fi
}

# tree_sum DIR: a checksum of every file under DIR, .git excluded.
tree_sum() {
	(cd "$1" && find . -path ./.git -prune -o -type f -print0 | sort -z |
		xargs -0 sha1sum | sha1sum)
}

# gcc_style FILE PREFIX: a semantic patch's report lines as the driver's
# text format (1-based columns, tree-relative names) for comparison.
gcc_style() {
	sed -nE "s|^(\./)?([^:]+):([0-9]+):([0-9]+)-[0-9]+: WARNING: \[(MMU[0-9][0-9][0-9])\] (.*) \(function ([A-Za-z0-9_]+)\)$|$2\2:\3:\4 [\5] \6 [\7]|p" "$1" |
		awk '{ split($1, a, ":"); $1 = a[1] ":" a[2] ":" a[3] + 1 ": warning:"; print }'
}

# sarif_validate FILE: Microsoft's SARIF multitool (the reference
# validator, on the official 2.1.0 schema and the spec's rules), installed
# from npm into the cache.  It exits 0 on invalid input too, so read its
# own SARIF log: any error-level result fails.
sarif_validate() {
	local tool=$cache/npm/node_modules/.bin/sarif-multitool
	if [ ! -x "$tool" ]; then
		npm install --silent --prefix "$cache/npm" @microsoft/sarif-multitool \
			> "$work/npm.log" 2>&1 || { cat "$work/npm.log"; return 1; }
	fi
	"$tool" validate "$1" --output "$work/validation.sarif" --log ForceOverwrite \
		> "$work/validate.log" 2>&1 || { cat "$work/validate.log"; return 1; }
	python3 - "$work/validation.sarif" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0].get("results", [])
errors = [r for r in results if r.get("level", "warning") == "error"]
for r in errors:
	print(r["ruleId"], r["message"].get("text", r["message"]))
sys.exit(1 if errors else 0)
PY
}

# The rule registry api/mmu_rules.def: rule_ids prints every id (MMU001),
# rule_stems every file stem (mmu001_unbracketed), one a line, in order.
rule_ids() {
	sed -nE 's/^MMU_RULE\(([0-9]+), *([a-z0-9_]+),.*/MMU\1/p' "$top/api/mmu_rules.def"
}
rule_stems() {
	sed -nE 's/^MMU_RULE\(([0-9]+), *([a-z0-9_]+),.*/mmu\1_\2/p' "$top/api/mmu_rules.def"
}

# rules_json: the registry as JSON, {id: {slug, title, confidence,
# backends, subject, description}}, the C strings decoded and
# concatenated, backends as listed (["COCCI", "PLUGIN"]).
rules_json() {
	python3 - "$top/api/mmu_rules.def" <<'PY'
import json, re, sys
# comments open a line: a "/*" inside a string (*_begin/*_end) is none
src = re.sub(r"^/\*.*?\*/", "", open(sys.argv[1]).read(), flags=re.S | re.M)
lit = r'(?:"(?:[^"\\]|\\.)*"\s*)+'
entry = re.compile(r"MMU_RULE\((\d+),\s*(\w+),\s*(%s),\s*(\w+),\s*([A-Z()| ]+),\s*(%s),\s*(%s)\)" % (lit, lit, lit))
def text(s):
	return "".join(json.loads(x) for x in re.findall(r'"(?:[^"\\]|\\.)*"', s))
print(json.dumps({"MMU" + m[0]: {"slug": m[1], "title": text(m[2]), "confidence": m[3],
	"backends": re.findall(r"B\((\w+)\)", m[4]), "subject": text(m[5]),
	"description": text(m[6])} for m in entry.findall(src)}))
PY
}

# bad_input SUITE TEST-NAME PATTERN ARGS...: the driver, given bad input,
# exits 2 with PATTERN on stderr.
bad_input() {
	local suite=$1 name=$2 pattern=$3
	shift 3
	run_driver bad-input "$@"
	if [ "$(cat "$work/bad-input.rc")" = 2 ] && grep -q -- "$pattern" "$work/bad-input.err"; then
		pass "$suite: $name"
	else
		fail "$suite: $name (exit $(cat "$work/bad-input.rc"): $(head -2 "$work/bad-input.err"))"
	fi
}
