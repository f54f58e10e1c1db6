// --- brackets per function, and who refers to whom (needs rule prefilter) --

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

@refs depends on prefilter@
identifier f;
position p;
@@
f@p

@script:python@
p << refs.p;
f << refs.f;
@@
add_call(p, f, in_bracket(p))

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
@@
struct T I = { ... };

@script:python@
I << opsvars.I;
@@
OPS_VARS.add(I)
