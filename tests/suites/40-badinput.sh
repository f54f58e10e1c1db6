# SPDX-License-Identifier: GPL-2.0-only
# Bad input: clear messages and the right exit codes.

scan=$top/scripts/mmucheck-scan

# expect_error NAME EXPECTED_RC PATTERN COMMAND...
expect_error() {
	local name=$1 want=$2 pattern=$3
	shift 3
	"$@" > "$work/out" 2> "$work/err"
	local rc=$?
	if [ $rc = "$want" ] && grep -q -- "$pattern" "$work/err"; then
		pass "$name"
	else
		fail "$name (exit $rc, stderr: $(head -2 "$work/err"))"
	fi
}

mkdir -p "$work/notkernel/src" "$work/empty"
echo 'int main(void) { return 0; }' > "$work/notkernel/src/main.c"
expect_error "scan of a directory that is not a kernel tree" 2 \
	"is not a kernel source tree" "$scan" "$work/notkernel"
expect_error "scan of an empty directory" 2 \
	"is not a kernel source tree" "$scan" "$work/empty"
expect_error "scan of a missing directory" 2 \
	"no such directory" "$scan" "$work/does-not-exist"
expect_error "unknown mode" 2 "unknown mode 'fix'" "$scan" --mode fix "$work/empty"
expect_error "unknown option" 2 "unknown option --frobnicate" "$scan" --frobnicate

# A PATH with every tool but spatch.
mkdir -p "$work/nospatch"
for t in /usr/bin/* /bin/*; do
	case $(basename "$t") in spatch*) continue ;; esac
	ln -sf "$t" "$work/nospatch/" 2> /dev/null
done
expect_error "spatch missing" 2 "spatch not found: install Coccinelle" \
	env PATH="$work/nospatch" "$scan" "$work/empty"

# A file spatch cannot parse is named, with the definition it skipped.
mkdir -p "$work/unparsable/mm" "$work/unparsable/include/linux"
echo '/* stub */' > "$work/unparsable/include/linux/mm.h"
cat > "$work/unparsable/mm/broken.c" <<'EOT'
static void good(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	ptep_clear_flush(vma, a, p);
}

static void broken(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	ptep_clear_flush(vma, a, p) +;
}
EOT
"$top/build/mmucheck" unparsed "$work/unparsable" > "$work/out" 2> "$work/err"
check "an unparsable function is named" \
	grep -q 'mm/broken.c:8: not parsed by spatch, skipped: broken' "$work/err"
ntoken=$(grep -rlw ptep_clear_flush "$work/unparsable" | wc -l)
check "the unparsable count is reported ($ntoken file with a token, 1 broken definition)" \
	grep -q "$ntoken files with mm API tokens, 1 definitions skipped" "$work/out"
