// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the parser of spatch's report lines, one text of
 * lines at a time (make fuzz).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../driver/findings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct findings fs = { 0 };
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	findings_parse_text(&fs, text);
	findings_free(&fs);
	free(text);
	return 0;
}
