/*
 * fuzz-api.c: any bytes as a Web API answer body, under each method and
 * a few HTTP statuses: slack_api_classify must never crash or leak, must
 * give one of its four verdicts, and an OK must never carry an error
 * code nor a PERMANENT be without a reason for the log.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "adapters/slack.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char *methods[] = { "chat.postMessage", "response_url",
	    "apps.connections.open", "reactions.add", "no.such.method" };
	static const long statuses[] = { 0, 200, 404, 429, 503 };
	struct slack_api_answer	 a;
	size_t			 i, j;

	memset(&a, 0, sizeof a);
	for (i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		for (j = 0; j < sizeof statuses / sizeof statuses[0]; j++) {
			slack_api_classify(slack_api_method_find(methods[i]),
			    statuses[j], (long)j * 7, (const char *)data, len,
			    &a);
			switch (a.verdict) {
			case SLACK_API_OK:
				if (a.error != NULL)
					abort();
				break;
			case SLACK_API_PERMANENT:
				if (a.why[0] == '\0')
					abort();
				break;
			case SLACK_API_RATE_LIMITED:
			case SLACK_API_RETRYABLE:
				break;
			default:
				abort();
			}
			slack_api_answer_clear(&a);
		}
	}
	return (0);
}
