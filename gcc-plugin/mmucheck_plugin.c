// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmucheck_plugin.c - the GCC plugin: checks the code the compiler
 * builds (macros expanded, the real .config) for the mmu_notifier rules
 * of the semantic patches, with the same registry (api/mmu_rules.def) and
 * the same API table (api/mmu_api.def).
 *
 * Options (-fplugin-arg-mmucheck-KEY[=VALUE]):
 *   facts		put this unit's facts for `mmucheck link` into its
 *			object (section .discard.mmucheck)
 *   facts=DIR		the same, and also write them to DIR/<unit>.json
 *   severity=note|warning|error	how findings are reported (note)
 *   rules=MMU001,...	only these rules
 *   kernel=X.Y		the kernel's version, for the API table's since/until
 *			(default: $MMUCHECK_KERNEL_VERSION, else kbuild's
 *			$KERNELVERSION; unknown: every generation)
 *   disable		do nothing
 */
#include "mmucheck.h"
#include "plugin-version.h"

int plugin_is_GPL_compatible;

static struct plugin_info mmucheck_plugin_info = {
	.version = "mmucheck " MMUCHECK_VERSION,
	.help = "facts\tput this unit's facts for mmucheck link into its object\n"
		"facts=DIR\tand also write them into DIR\n"
		"severity=note|warning|error\thow findings are reported\n"
		"rules=LIST\tonly these rules (MMU001,MMU002,...)\n"
		"kernel=X.Y\tthe kernel version (default: $MMUCHECK_KERNEL_VERSION, $KERNELVERSION)\n"
		"disable\tdo not check\n",
};

enum severity { SEV_NOTE, SEV_WARNING, SEV_ERROR };

static const char *facts_dir;
static int facts_in_object;
static enum severity severity = SEV_NOTE;

/*
 * The rules' checks by enum mc_rule (api/mmu_rules.def, whose table
 * mmu_rule_table is in the same order); NULL for a rule the plugin does
 * not implement.  rules= takes a comma-separated subset.
 */
#define MMU_MSG(id, key, text)
#define MMU_RULE(id, slug, ...) check_##slug,
static void (*const checks[])(struct mc_fn *f) = {
#include "../api/mmu_rules.def"
};
#undef MMU_RULE
#undef MMU_MSG

/* One bit per rule. */
static unsigned int enabled_rules = ~0u;
static_assert(sizeof(enabled_rules) * 8 >= MC_RULE_COUNT,
	      "rules= needs a wider set");

static int rule_index(const char *rule, size_t len)
{
	return mmu_find_name(mmu_rule_table, MMU_RULE_COUNT,
			     sizeof(mmu_rule_table[0]), rule, len);
}

int mc_rule_enabled(enum mc_rule rule)
{
	return enabled_rules & (1u << rule);
}

/*
 * rules=MMU002,MMU004: exact ids only.  Anything else (a typo, another
 * case, an empty item) would silently check nothing: an error.
 */
static int parse_rules(const char *name, const char *value)
{
	const char *p = value, *comma;
	char known[MC_RULE_COUNT * 8] = "";
	size_t i;

	enabled_rules = 0;
	for (;;) {
		int r;
		size_t len;

		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		r = rule_index(p, len);
		if (r < 0) {
			for (i = 0; i < MMU_RULE_COUNT; i++) {
				strcat(known, i ? "," : "");
				strcat(known, mmu_rule_table[i].id);
			}
			error("mmucheck: unknown rule %<%.*s%> in %<-fplugin-arg-%s-rules=%s%>; known rules: %s",
			      (int)len, p, name, value, known);
			return 1;
		}
		enabled_rules |= 1u << r;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static void vreport(location_t loc, const char *function, enum mc_rule rule,
		    const char *fmt, va_list ap)
{
	const char *id = mmu_rule_table[rule].id;
	char *msg;

	if (!mc_rule_enabled(rule) || vasprintf(&msg, fmt, ap) < 0)
		return;
	if (severity == SEV_ERROR)
		error_at(loc, "[%s] %s [%s]", id, msg, function);
	else if (severity == SEV_WARNING)
		warning_at(loc, 0, "[%s] %s [%s]", id, msg, function);
	else
		inform(loc, "[%s] %s [%s]", id, msg, function);
	facts_finding(id, loc, function, msg);
	free(msg);
}

void mc_report_at(location_t loc, const char *function, enum mc_rule rule,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(loc, function, rule, fmt, ap);
	va_end(ap);
}

/* At the statement's place in the source (macro expansions: where used). */
void mc_report(struct mc_fn *f, gimple *stmt, enum mc_rule rule,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(expansion_point(gimple_location(stmt)), f->name, rule, fmt, ap);
	va_end(ap);
}

/*
 * The implementations of the API (and their inline wrappers) are the
 * primitives themselves: not checked.
 */
static bool is_api_implementation(function *fun)
{
	const char *name = decl_name(fun->decl);

	while (*name == '_')	/* __ptep_modify_prot_start() and kin */
		name++;
	return mc_api_by_name(name) != NULL ||
	       mc_api_by_name(decl_name(fun->decl)) != NULL;
}

static unsigned int mmucheck_execute(function *fun)
{
	struct mc_fn f;
	size_t i;

	if (is_api_implementation(fun)) {
		/* An arch's TLB flush entry points owe secondary TLBs. */
		if (mc_rule_enabled(MC_RULE_flush)) {
			mc_build(&f, fun);
			check_flush_entry(&f);
			mc_free(&f);
		}
		return 0;
	}
	mc_build(&f, fun);
	for (i = 0; i < ARRAY_SIZE(checks); i++)
		if (checks[i])
			checks[i](&f);
	/* After the checks: a range MMU003 reported is no narrow site. */
	facts_function(&f);
	mc_free(&f);
	return 0;
}

namespace {
const pass_data mmucheck_pass_data = {
	GIMPLE_PASS,		/* type */
	"mmucheck",		/* name */
	OPTGROUP_NONE,		/* optinfo_flags */
	TV_NONE,		/* tv_id */
	PROP_cfg | PROP_ssa,	/* properties_required */
	0, 0, 0, 0,
};

class mmucheck_pass : public gimple_opt_pass {
public:
	mmucheck_pass(gcc::context *ctxt)
		: gimple_opt_pass(mmucheck_pass_data, ctxt) {}
	unsigned int execute(function *fun) override
	{
		return mmucheck_execute(fun);
	}
};
}

static void finish_decl(void *event_data, void *data)
{
	(void)data;
	facts_static_initializer((tree)event_data);
	check_flush_order_decl((tree)event_data);
}

static void finish_parse_function(void *event_data, void *data)
{
	(void)data;
	check_flush_order_decl((tree)event_data);
}

static void finish_unit(void *event_data, void *data)
{
	(void)event_data;
	(void)data;
	check_flush_order_finish();
	/* Kbuild's compiler probes compile /dev/null: nothing to record. */
	if (!seen_error() && strcmp(main_input_filename, "/dev/null") &&
	    strcmp(main_input_filename, "-"))
		facts_finish_unit(facts_dir, facts_in_object);
}

static int parse_args(const char *name, struct plugin_name_args *info,
		      bool *disabled)
{
	int i;

	for (i = 0; i < info->argc; i++) {
		const char *key = info->argv[i].key;
		const char *value = info->argv[i].value;

		if (!strcmp(key, "disable")) {
			*disabled = true;
		} else if (!strcmp(key, "kernel") && value &&
			   mc_parse_kernel_version(value)) {
			mc_set_kernel_version(mc_parse_kernel_version(value));
		} else if (!strcmp(key, "facts") && (!value || *value)) {
			facts_in_object = 1;
			facts_dir = value;
		} else if (!strcmp(key, "rules") && value && *value) {
			if (parse_rules(name, value))
				return 1;
		} else if (!strcmp(key, "severity") && value &&
			   (!strcmp(value, "note") || !strcmp(value, "warning") ||
			    !strcmp(value, "error"))) {
			severity = !strcmp(value, "note") ? SEV_NOTE :
				   !strcmp(value, "warning") ? SEV_WARNING :
				   SEV_ERROR;
		} else {
			error("mmucheck: unknown or malformed option %<-fplugin-arg-%s-%s%s%s%>; see %<-fplugin-arg-%s-help%> or the README",
			      name, key, value ? "=" : "", value ? value : "",
			      name);
			return 1;
		}
	}
	return 0;
}

/*
 * The registry's backends column and the checks linked in must agree:
 * a rule it gives the plugin needs its check_<slug>(), and a check of a
 * rule it does not would run unlisted.
 */
static int check_backends(void)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < MMU_RULE_COUNT; i++) {
		const struct mmu_rule_def *r = &mmu_rule_table[i];
		bool listed = r->backends & MMU_BACKEND_PLUGIN;

		if (listed == (checks[i] != NULL))
			continue;
		error("mmucheck: %s: api/mmu_rules.def %s, but the plugin %s check_%s()",
		      r->id, listed ? "lists B(PLUGIN)" : "does not list B(PLUGIN)",
		      listed ? "has no" : "has", r->slug);
		bad = 1;
	}
	return bad;
}

int plugin_init(struct plugin_name_args *info,
		struct plugin_gcc_version *version)
{
	const char *name = info->base_name;
	struct register_pass_info pass_info;
	bool disabled = false;

	if (!plugin_default_version_check(version, &gcc_version)) {
		error("mmucheck: this plugin was built for gcc %s, but this is gcc %s; rebuild it (make) with the compiler that builds the kernel",
		      gcc_version.basever, version->basever);
		return 1;
	}
	register_callback(name, PLUGIN_INFO, NULL, &mmucheck_plugin_info);
	if (check_backends() || parse_args(name, info, &disabled))
		return 1;
	if (disabled)
		return 0;
	pass_info.pass = new mmucheck_pass(g);
	pass_info.reference_pass_name = "ssa";
	pass_info.ref_pass_instance_number = 1;
	pass_info.pos_op = PASS_POS_INSERT_AFTER;
	register_callback(name, PLUGIN_PASS_MANAGER_SETUP, NULL, &pass_info);
	register_callback(name, PLUGIN_FINISH_DECL, finish_decl, NULL);
	register_callback(name, PLUGIN_FINISH_PARSE_FUNCTION,
			  finish_parse_function, NULL);
	register_callback(name, PLUGIN_FINISH_UNIT, finish_unit, NULL);
	return 0;
}
