// --- output: every rule names its flagged calls in rule cand ---------------

@depends on context && prefilter@
position cand.p : script:python() { found(p) };
identifier prim;
@@
* prim@p(...)

@script:python depends on report@
p << cand.p;
@@
print_finding(p, False)

@script:python depends on org@
p << cand.p;
@@
print_finding(p, True)
