// --- brackets per function, and who refers to whom (needs rule prefilter) --
// mmucheck-merge: shared
// Every rule that includes this piece gets the same facts, so a merged
// run (tools/mergecocci) matches it once for all of them and shares the
// Python state it fills.

@brackets depends on prefilter@
identifier start =~ "^({{START|START_NONBLOCK}})$";
identifier end =~ "^({{END|ONLY_END}})$";
position p;
@@
(
start@p(...)
|
end@p(...)
)

@script:python@
p << brackets.p;
start << brackets.start;
@@
add_bracket(p, True)

@script:python@
p << brackets.p;
end << brackets.end;
@@
add_bracket(p, False)

// Helpers that open a bracket for their caller (follow_pte_pmd(mm, a,
// &start, &end, ...) v4.13-v4.20, follow_pte_pmd(mm, a, &range, ...)
// v5.0-v5.10, follow_pte(mm, a, &range, ...) v5.11, follow_invalidate_pte(
// mm, a, &range, ...) v5.12-v5.18): what follows a successful call is
// bracketed, the caller closes it.  Every opening form has six or more
// arguments; a NULL range or start asks for no bracket, and the
// four-argument follow_pte() of other kernels opens none.
@opens_for_caller depends on prefilter@
identifier opens =~ "^({{OPENS_FOR_CALLER}})$";
expression list es;
position p;
@@
opens@p(es)

@script:python@
p << opens_for_caller.p;
es << opens_for_caller.es;
@@
args = str(es).split(",")
if len(args) >= 6 and args[2].strip() not in ("NULL", "0"):
	add_bracket(p, True)

// Walk callbacks registered the pre-v5.4 way, in a structure on the
// stack: struct mm_walk w = { .pmd_entry = f, ... }; or w.pmd_entry = f;
// then walk_page_range(start, end, &w).  The callback runs where &w is
// passed, so it is called from there (file-scope ops structures are
// followed by refs below: the structure calls its members).
@local_ops_init depends on prefilter@
identifier I, fld, cb;
type T;
position p;
@@
T I = { ..., .fld = cb@p, ... };

@script:python@
p << local_ops_init.p;
I << local_ops_init.I;
cb << local_ops_init.cb;
@@
if fn_of(p) != I and fn_of(p) != "something_else":
	add_ops_callback(p, (fn_of(p), I), cb)
	OPS_REFS.add(key(p))

@local_ops_set depends on prefilter@
identifier I, fld, cb;
position p;
@@
I.fld = cb@p

@script:python@
p << local_ops_set.p;
I << local_ops_set.I;
cb << local_ops_set.cb;
@@
add_ops_callback(p, (fn_of(p), I), cb)
OPS_REFS.add(key(p))

@local_ops_use depends on prefilter@
identifier I, f;
position p;
@@
f(..., &I@p, ...)

@script:python@
p << local_ops_use.p;
I << local_ops_use.I;
@@
if (fn_of(p), I) in OPS_CB.get(p[0].file, {}):
	add_ops_use(p, (fn_of(p), I), in_bracket(p))

// Every identifier is a reference: a big file has thousands.  A script
// rule per match costs about 0.4 ms each (most of MMU004's time on the
// largest mm/ files), so the position's constraint notes each one and
// rejects it, and one script per file records them all.
@refs depends on prefilter@
global idexpression f;
position p : script:python(f) { note_ref(p, f) };
@@
f@p

@script:python depends on prefilter@
@@
for p, f in pending_refs():
	if key(p) not in OPS_REFS:
		add_call(p, f, in_bracket(p))
		REF_LINES.setdefault((p[0].file, fn_of(p), f), []).append(int(p[0].line))

@defs depends on prefilter@
identifier f;
type T;
position p;
@@
T f@p(...) { ... }

@script:python@
f << defs.f;
p << defs.p;
@@
add_definition(p, f)

@opsvars depends on prefilter@
identifier I, T;
position p;
@@
struct T I@p = { ... };

@script:python@
I << opsvars.I;
p << opsvars.p;
@@
OPS_VARS.add((p[0].file, I))
