/*
 * fuzz-config.c: any bytes as the config file: composing the YAML under
 * its limits and applying it over the defaults must never crash, leak
 * or take long, whether it loads or fails with a positioned cause.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct config	*cfg;
	char		*cause = NULL;

	cfg = config_new();
	if (config_load_string(cfg, "fuzz.yaml", (const char *)data, len,
	    &cause) != 0) {
		/* every failure says where: "fuzz.yaml:line:column: " */
		if (cause == NULL || strncmp(cause, "fuzz.yaml:", 10) != 0)
			abort();
	} else if (cause != NULL)
		abort();
	free(cause);
	config_free(cfg);
	log_release();
	return (0);
}
