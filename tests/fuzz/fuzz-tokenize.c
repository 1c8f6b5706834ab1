/*
 * fuzz-tokenize.c: any bytes as a command line from Slack: tokenizer,
 * Slack unescaping and the console's mrkdwn-to-plain must never crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bot/bot.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct strv	 out = { NULL, 0, 0 };
	char		*line, *cause = NULL, *plain;

	line = xstrndup((const char *)data, len);
	(void)tokenize(line, &out, &cause);
	plain = mrkdwn_to_plain_new(line);
	free(plain);
	free(slug_new(line));
	free(slug_anchor_new(line));
	free(cause);
	strv_reset(&out);
	free(line);
	return (0);
}
