/*
 * blocks.c: Block Kit messages of a section and buttons (blocks.h).
 * Shapes from Slack's Block Kit reference [BK]: section, actions,
 * button elements; the fixture interactive_block_actions.json shows
 * them as Slack sends them back.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/blocks.h"
#include "bot/util.h"

/* One button element (new reference), or NULL. */
static json_t *
button_new(const struct button *b)
{
	json_t	*o;

	if (b->label == NULL || b->action_id == NULL ||
	    strlen(b->label) > BLOCKS_LABEL_MAX ||
	    (b->value != NULL && strlen(b->value) > BLOCKS_VALUE_MAX))
		return (NULL);
	o = json_pack("{s:s, s:{s:s, s:s}, s:s}", "type", "button", "text",
	    "type", "plain_text", "text", b->label, "action_id",
	    b->action_id);
	if (o == NULL)
		return (NULL);
	if ((b->value != NULL && json_object_set_new(o, "value",
	    json_string(b->value)) != 0) || (b->style != NULL &&
	    json_object_set_new(o, "style", json_string(b->style)) != 0)) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

char *
blocks_buttons_new(const char *text, const struct button *b, size_t n)
{
	json_t	*blocks = NULL, *elems = NULL, *e;
	char	*s = NULL;
	size_t	 i;

	if (text == NULL || strlen(text) > BLOCKS_SECTION_MAX ||
	    n > BLOCKS_BUTTONS_MAX)
		return (NULL);
	/* json_pack "s" refuses a string that is not UTF-8: NULL. */
	blocks = json_pack("[{s:s, s:{s:s, s:s}}]", "type", "section",
	    "text", "type", "mrkdwn", "text", text);
	if (blocks == NULL)
		goto out;
	if (n > 0) {
		if ((elems = json_array()) == NULL)
			goto out;
		for (i = 0; i < n; i++) {
			if ((e = button_new(&b[i])) == NULL ||
			    json_array_append_new(elems, e) != 0)
				goto out;
		}
		/* elems is stolen by the pack ("o"), even on failure. */
		e = json_pack("{s:s, s:o}", "type", "actions", "elements",
		    elems);
		elems = NULL;
		if (e == NULL || json_array_append_new(blocks, e) != 0)
			goto out;
	}
	s = json_dumps(blocks, JSON_COMPACT);
out:
	json_decref(elems);
	json_decref(blocks);
	return (s);
}

char *
blocks_fallback_new(const char *text, const struct button *b, size_t n,
    const char *prefix)
{
	struct buf	 out = { NULL, 0, 0 };
	size_t		 i;

	buf_adds(&out, text != NULL ? text : "");
	for (i = 0; i < n; i++) {
		buf_adds(&out, i == 0 ? "\n" : " ");
		buf_printf(&out, "[%s: `%s%s`]", b[i].label, prefix != NULL ?
		    prefix : "", b[i].command != NULL ? b[i].command : "");
	}
	if (out.s == NULL)
		buf_adds(&out, "");
	return (buf_release(&out));
}
