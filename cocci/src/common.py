# Helpers of the mmucheck semantic patches.  tools/gencocci copies into a
# rule only the top-level definitions it refers to (and what those refer
# to), each with the comment lines directly above it: keep one definition
# per statement, and its comment attached.  Findings are decided here,
# once, and printed by report/org/context.

import os
import re

FINDINGS = {}		# (file, line, col) -> message, decided per match
CALLS = {}		# file -> list of (caller, callee, bracketed)
BRACKETS = {}		# (file, function) -> [(line, is_start)]
OPS_CB = {}		# file -> {ops variable: set of callback functions}
OPS_USE = {}		# file -> list of (function, ops variable, bracketed)
OPS_REFS = set()	# positions of callbacks stored in a local ops structure
REF_LINES = {}		# (file, function, name) -> lines where function names name

def key(p):
	return (p[0].file, p[0].line, p[0].column)

def fn_of(p):
	return p[0].current_element

def message(rule, text, p):
	return "WARNING: [%s] %s (function %s)" % (rule, text, fn_of(p))

def decide(p, rule, text):
	"""Record a finding at p; text None means 'not a bug here'."""
	if text is None:
		return None
	FINDINGS[key(p)] = message(rule, text, p)
	_DECIDED_NOW.add(key(p))
	return FINDINGS[key(p)]

# Findings decided since the last take_decided().
_DECIDED_NOW = set()

def take_decided():
	"""Whether a finding was decided since the last call (in this file:
	spatch runs every rule over one file before the next).  Rule cand
	matches calls again, with a Python test each, only to print the
	findings: a file with none skips it.  The gate (a script rule that
	calls cocci.include_match(False)) stops every later rule of the
	file, so it must come after the last rule that decides."""
	decided = bool(_DECIDED_NOW)
	_DECIDED_NOW.clear()
	return decided

def found(p):
	return key(p) in FINDINGS

def print_finding(p, org):
	msg = FINDINGS.get(key(p))
	if msg is None:
		return
	if org:
		coccilib.org.print_todo(p[0], msg[len("WARNING: "):])
	else:
		coccilib.report.print_report(p[0], msg)

def add_call(p, callee, bracketed):
	# File-scope code that is no definition (an export, say) is named
	# something_else by Coccinelle: that is no call.
	if fn_of(p) != "something_else":
		CALLS.setdefault(p[0].file, []).append((fn_of(p), callee, bracketed))

# References noted by the refs rule's constraint: {(f, file, line, col): p}
_REFS = {}

def note_ref(p, f):
	"""Note a reference for pending_refs(); False: the rule binds none."""
	_REFS[(f, p[0].file, int(p[0].line), int(p[0].column))] = p
	return False

def pending_refs():
	"""The references noted since the last call, once each, by name then
	position, and forget them."""
	out = [(_REFS[k], k[0]) for k in sorted(_REFS)]
	_REFS.clear()
	return out

def add_bracket(p, is_start):
	for q in p:
		BRACKETS.setdefault((q.file, q.current_element), []).append(
			(int(q.line), is_start))

def has_start(p):
	return any(s for _, s in BRACKETS.get((p[0].file, fn_of(p)), ()))

def in_bracket(p):
	"""Whether p follows a start with no end between them, in source
	order: cheap, and right for the straight-line and loop brackets of
	the kernel, including the conditional if (x) start ... if (x) end."""
	line = int(p[0].line)
	events = sorted(BRACKETS.get((p[0].file, fn_of(p)), ()))
	open_ = False
	for l, is_start in events:
		if l >= line:
			break
		open_ = is_start
	return open_

def add_ops_callback(p, ops, cb):
	OPS_CB.setdefault(p[0].file, {}).setdefault(ops, set()).add(cb)

def add_ops_use(p, ops, bracketed):
	OPS_USE.setdefault(p[0].file, []).append((fn_of(p), ops, bracketed))

def add_private_mm(p, text):
	PRIVATE_MM.setdefault(p[0].file, set()).add(text)

def call_sites(f):
	"""Every place in file f that may call each function: direct calls,
	and uses of an ops structure that holds it as a callback."""
	sites = {}
	for caller, callee, br in CALLS.get(f, []):
		sites.setdefault(callee, []).append((caller, br))
	cbs = OPS_CB.get(f, {})
	for user, ops, br in OPS_USE.get(f, []):
		for cb in cbs.get(ops, ()):
			sites.setdefault(cb, []).append((user, br))
	return sites

_covered = {}

def covered_by_callers(f, fn, api_names):
	"""True when fn has callers in this file and every one of them runs
	it inside an open bracket, directly or through its own callers.
	Callers that implement a primitive count as bracketed: their own
	users are checked instead."""
	if f not in _covered:
		sites = call_sites(f)
		ok = set(api_names)
		for members in ops_members(f).values():
			if any(has_bracket_event(f, g, True) for g in members):
				ok.update(members)
		changed = True
		while changed:
			changed = False
			for callee, lst in sites.items():
				if callee in ok:
					continue
				if all(br or caller in ok for caller, br in lst):
					ok.add(callee)
					changed = True
		_covered[f] = ok
	return fn in _covered[f]

KERNEL_MM_RE = re.compile(r"^\s*&?\s*({{KERNEL_MM}})\b")
# Definitions of the primitives themselves, generic and per architecture.
IMPL_FILE_RE = re.compile(r"(^|/)include/(asm-generic/|linux/pgtable|asm/)|/include/asm/")
ARCH_FILE_RE = re.compile(r"(^|/)arch/")
DEFINED = {}		# file -> functions defined in it
OPS_VARS = set()	# (file, structure) initialised with { ... }: ops tables
PRIVATE_MM = {}		# file -> texts of mms the file makes with mm_alloc()

def is_kernel_mm(p, args):
	"""The first argument of an update names a page table no secondary
	MMU mirrors: init_mm and friends, NULL, or a private mm_alloc() mm."""
	first = args.split(",")[0].strip()
	if KERNEL_MM_RE.match(first):
		return True
	# args->mm = mm_alloc() also makes args->vma private.
	return any(first == mm or first.startswith(mm[:mm.rfind("->") + 2])
		   for mm in PRIVATE_MM.get(p[0].file, ()) if "->" in mm) or \
		first in PRIVATE_MM.get(p[0].file, ())

def is_impl_file(p, api_names):
	"""Generic or arch code that implements the primitives."""
	f = p[0].file
	return IMPL_FILE_RE.search(f) is not None or \
		(ARCH_FILE_RE.search(f) is not None and
		 not DEFINED.get(f, set()).isdisjoint(api_names))

def add_definition(p, fn):
	DEFINED.setdefault(p[0].file, set()).add(fn)

def has_bracket_event(f, fn, is_start):
	return any(s == is_start for _, s in BRACKETS.get((f, fn), ()))

def ops_members(f):
	"""{structure: functions it holds} for the file-scope ops structures
	of file f (mm_walk_ops and the like)."""
	defined = DEFINED.get(f, set())
	ops = {}
	for caller, callee, _ in CALLS.get(f, []):
		if (f, caller) in OPS_VARS and callee in defined:
			ops.setdefault(caller, set()).add(callee)
	return ops

def in_split_bracket(f, fn, is_start):
	"""fn sits in an ops structure beside a callback that opens
	(is_start) or closes the bracket: the walk API runs pre_vma before
	and post_vma after every entry callback."""
	return any(fn in members and
		   any(has_bracket_event(f, g, is_start) for g in members if g != fn)
		   for members in ops_members(f).values())

# Kernel versions of the API table (major * 100 + minor), and the tree's
# own version: MMUCHECK_KERNEL_VERSION ("6.12") set by mmucheck scan and
# mmucheck-scan from the tree's Makefile.  Unset: unknown.
API_VERSIONS = {{=VERSIONS}}

def kernel_version():
	m = re.match(r"^(\d+)\.(\d+)", os.environ.get("MMUCHECK_KERNEL_VERSION", ""))
	return int(m.group(1)) * 100 + int(m.group(2)) if m else None

def api_in_tree(name, default=True):
	"""Whether the tree's kernel has API name (the table's since/until);
	default when the version or the name is unknown."""
	kv = kernel_version()
	if kv is None or name not in API_VERSIONS:
		return default
	since, until = API_VERSIONS[name]
	return since <= kv <= until
