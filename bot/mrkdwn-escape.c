/*
 * mrkdwn-escape.c: the one mrkdwn escaper. Everything the bot shows and
 * did not write itself (runbook text, a user's words, names) goes
 * through here, so that Slack shows it as text and can never turn it
 * into a notification: no <!channel>, <!here>, <!subteam^S1>, <@U1> or
 * <#C1>, no bare @here, @channel or @everyone, and no link whose target
 * Slack would read as one of those.
 */
#include <string.h>
#include <strings.h>

#include "bot/mrkdwn.h"

/*
 * U+2060 WORD JOINER: invisible and unbreakable, and not a word
 * character, so after it "here" is no longer a name Slack's parsing
 * (link_names, verbatim:false) could read as a broadcast.
 */
#define ESCAPE_WORD_JOINER	"\xe2\x81\xa0"

/*
 * The names after an '@' that would page a whole channel or workspace
 * if Slack parsed them ("group" is @channel's old name in private
 * channels, which Slack's client has parsed as <!group>). Returns
 * the length of the one s starts with, ignoring case, if it ends there;
 * else 0. Only a letter or a digit right after the name makes it another
 * word ("@hereford", "@channels"): Slack reads "@here_", "@here-" and
 * "@here." as @here.
 */
static size_t
escape_broadcast(const char *s, size_t len)
{
	static const char	*names[] = { "here", "channel", "everyone",
				    "group" };
	size_t			 i, n;
	char			 c;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		n = strlen(names[i]);
		if (len < n || strncasecmp(s, names[i], n) != 0)
			continue;
		if (len == n)
			return (n);
		c = s[n];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			continue;
		return (n);
	}
	return (0);
}

/*
 * Appends len bytes of s to b escaped. With code_span, a backtick
 * becomes ' as well, so that text the bot puts between its own
 * backticks cannot close them.
 */
static void
escape(struct buf *b, const char *s, size_t len, int code_span)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '@':
			buf_addc(b, '@');
			if (escape_broadcast(s + i + 1, len - i - 1) != 0)
				buf_adds(b, ESCAPE_WORD_JOINER);
			break;
		case '`':
			buf_addc(b, code_span ? '\'' : '`');
			break;
		default:
			buf_addc(b, s[i]);
			break;
		}
	}
}

void
mrkdwn_escape(struct buf *b, const char *s, size_t len)
{
	escape(b, s, len, 0);
}

char *
mrkdwn_escape_new(const char *s)
{
	struct buf	 b = { NULL, 0, 0 };

	escape(&b, s, strlen(s), 1);
	return (buf_release(&b));
}

int
mrkdwn_escape_url(struct buf *b, const char *url)
{
	/*
	 * Inside <...>, Slack reads these first characters as a mention
	 * (<!channel|x>, <@U1|x>, <#C1|x>), not as a link.
	 */
	if (*url == '!' || *url == '@' || *url == '#')
		return (-1);
	for (; *url != '\0'; url++) {
		if (*url == '&')
			buf_adds(b, "&amp;");
		else if (strchr("<>| ", *url) != NULL)	/* ends <url|text> */
			buf_printf(b, "%%%02X", (unsigned char)*url);
		else
			buf_addc(b, *url);
	}
	return (0);
}
