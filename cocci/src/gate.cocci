// The gate every rule depends on: its checker's token rule matched, or
// the driver already chose the files by the same token query (spatch's
// --use-idutils form) and says so with -D prefiltered, which spares each
// file a match of the whole disjunction of names.
@script:python prefilter depends on tokens || prefiltered@
@@
pass
