// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the link step's facts reader and the link itself on
 * one facts file (make fuzz).  The driver's link.c is included so that
 * its static reader is reached as the command reaches it.
 */
#include <stdint.h>
#include "../../driver/link.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *dir;
	struct findings fs = { 0 };
	struct link_stats st;
	char *path;
	FILE *f;

	if (!dir) {
		dir = xasprintf("%s/mmucheck-fuzz.XXXXXX",
				getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(dir))
			die("cannot create %s: %m", dir);
		stderr = fopen("/dev/null", "w");	/* the warnings */
	}
	path = xasprintf("%s/unit.json", dir);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		die("cannot write %s", path);
	if (link_facts(dir, "/nonexistent-tree", &fs, &st) >= 0)
		findings_finish(&fs, "/nonexistent-tree");
	findings_free(&fs);
	free(path);
	return 0;
}
