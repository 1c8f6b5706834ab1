/*
 * support-priority.c: a request's priority, read from its words, who
 * may ask for Critical, the workaround rule, and the tiers' default
 * response times. The rules are those of the support policies in
 * ../shared/seeds: 003_* (Otomi) and 004_* (Stakater).
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "bot/util.h"
#include "bot/support.h"

#define MS_HOUR		(INT64_C(3600) * 1000)
/* The longest word looked up; longer runs are no priority. */
#define SUPPORT_WORD_MAX	16

static const char *const support_priority_names[SUPPORT_NPRIORITIES] = {
	"Low", "Medium", "High", "Critical"
};
static const char *const support_tier_names[SUPPORT_NTIERS] = {
	"Essential", "Advanced", "Premium"
};

/* The words that name a priority, matched whole and ignoring case. */
static const struct {
	const char		*word;
	enum support_priority	 priority;
} support_words[] = {
	{ "critical", SUPPORT_CRITICAL }, { "urgent", SUPPORT_CRITICAL },
	{ "emergency", SUPPORT_CRITICAL }, { "p0", SUPPORT_CRITICAL },
	{ "p1", SUPPORT_CRITICAL }, { "sev0", SUPPORT_CRITICAL },
	{ "sev1", SUPPORT_CRITICAL },
	{ "high", SUPPORT_HIGH }, { "p2", SUPPORT_HIGH },
	{ "sev2", SUPPORT_HIGH },
	{ "medium", SUPPORT_MEDIUM }, { "normal", SUPPORT_MEDIUM },
	{ "p3", SUPPORT_MEDIUM }, { "sev3", SUPPORT_MEDIUM },
	{ "low", SUPPORT_LOW }, { "p4", SUPPORT_LOW }, { "sev4", SUPPORT_LOW },
};

/* Words that take the priority word after them back ("not urgent"). */
static const char *const support_negations[] = { "not", "no", "non" };

/*
 * Ticket response times, in hours of support time, per tier (rows:
 * Essential, Advanced, Premium) and priority (columns: Low, Medium,
 * High, Critical). From the Stakater support policy,
 * ../shared/seeds/004_e47fa480ed963588.txt, "Ticket response times -
 * Critical | 12h | 2h | 1h" and the three rows after it.
 */
static const int support_response_hours[SUPPORT_NTIERS][SUPPORT_NPRIORITIES] = {
	/*		Low	Medium	High	Critical */
	/* Essential */	{ 24,	24,	12,	12 },
	/* Advanced */	{ 24,	8,	4,	2 },
	/* Premium */	{ 24,	4,	2,	1 },
};

const char *
support_priority_name(enum support_priority p)
{
	if ((int)p < 0 || (int)p >= SUPPORT_NPRIORITIES)
		return ("?");
	return (support_priority_names[p]);
}

/* The priority word of len bytes at s names; -1 if none. */
static int
support_word_lookup(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < sizeof support_words / sizeof support_words[0]; i++) {
		if (strlen(support_words[i].word) == len &&
		    strncasecmp(s, support_words[i].word, len) == 0)
			return ((int)support_words[i].priority);
	}
	return (-1);
}

static int
support_is_negation(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < sizeof support_negations /
	    sizeof support_negations[0]; i++) {
		if (strlen(support_negations[i]) == len &&
		    strncasecmp(s, support_negations[i], len) == 0)
			return (1);
	}
	return (0);
}

int
support_priority_parse(const char *word, enum support_priority *p)
{
	int	 found;

	if (word == NULL)
		return (-1);
	found = support_word_lookup(word, strlen(word));
	if (found < 0)
		return (-1);
	*p = (enum support_priority)found;
	return (0);
}

static int
support_is_wordc(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'));
}

int
support_priority_words(const char *text, size_t len,
    enum support_priority *p)
{
	size_t	 i = 0, start, n;
	int	 best = -1, found, negated = 0;

	while (i < len) {
		if (text[i] == '<') {
			/* Slack markup: <@U1>, <!here>, <https://x|label>. */
			while (i < len && text[i] != '>')
				i++;
			negated = 0;
			continue;
		}
		if (!support_is_wordc(text[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && support_is_wordc(text[i]))
			i++;
		n = i - start;
		if (n > SUPPORT_WORD_MAX) {
			negated = 0;
			continue;
		}
		found = support_word_lookup(text + start, n);
		if (found > best && !negated)
			best = found;
		negated = support_is_negation(text + start, n);
	}
	if (best < 0) {
		*p = SUPPORT_PRIORITY_DEFAULT;
		return (0);
	}
	*p = (enum support_priority)best;
	return (1);
}

int
support_priority_allowed(enum support_priority p, int is_engineer)
{
	if ((int)p < 0 || (int)p >= SUPPORT_NPRIORITIES)
		return (0);
	return (p != SUPPORT_CRITICAL || is_engineer);
}

void
support_priority_ask(const char *text, size_t len, int is_engineer,
    struct support_ask *out)
{
	memset(out, 0, sizeof *out);
	out->named = support_priority_words(text, len, &out->asked);
	out->priority = out->asked;
	if (!support_priority_allowed(out->asked, is_engineer)) {
		/* 003_*: critical needs validation on the support side. */
		out->priority = SUPPORT_HIGH;
		out->needs_validation = 1;
	}
}

enum support_priority
support_priority_lower(enum support_priority p)
{
	/* 004_*: "will be lowered to ... if there is a workaround". */
	if ((int)p <= (int)SUPPORT_LOW)
		return (SUPPORT_LOW);
	if ((int)p > (int)SUPPORT_CRITICAL)
		return (SUPPORT_HIGH);
	return ((enum support_priority)((int)p - 1));
}

const char *
support_tier_name(enum support_tier t)
{
	if ((int)t < 0 || (int)t >= SUPPORT_NTIERS)
		return ("?");
	return (support_tier_names[t]);
}

int
support_tier_parse(const char *name, enum support_tier *t)
{
	int	 i;

	if (name == NULL)
		return (-1);
	for (i = 0; i < SUPPORT_NTIERS; i++) {
		if (strcasecmp(name, support_tier_names[i]) == 0) {
			*t = (enum support_tier)i;
			return (0);
		}
	}
	return (-1);
}

enum support_week
support_tier_week(enum support_tier t)
{
	/* 004_*: "Support hours | 24x5x365 | 24x7x365 | 24x7x365". */
	return (t == SUPPORT_ESSENTIAL ? SUPPORT_24X5 : SUPPORT_24X7);
}

int64_t
support_response_ms(enum support_tier t, enum support_priority p)
{
	if ((int)t < 0 || (int)t >= SUPPORT_NTIERS || (int)p < 0 ||
	    (int)p >= SUPPORT_NPRIORITIES)
		return (-1);
	return (support_response_hours[t][p] * MS_HOUR);
}
