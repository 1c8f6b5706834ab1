/*
 * test_blocks.c: Block Kit messages of a section and buttons
 * (bot/blocks.c): the JSON Slack takes, the limits that make it NULL,
 * and the fallback text that lists the commands for who cannot click.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "bot/blocks.h"
#include "bot/util.h"

static const struct button two[] = {
	{ "Yes, close it", "ticket-close-accept", "ticket-close-accept:42",
	    "primary", "ticket close 42" },
	{ "No, still open", "ticket-close-decline", "ticket-close-decline:42",
	    NULL, "ticket reopen 42" },
};

static void
test_buttons_json(void **state)
{
	json_t		*v, *b;
	char		*s;

	(void)state;
	s = blocks_buttons_new("Close *#42*?", two, 2);
	assert_non_null(s);
	v = json_loads(s, 0, NULL);
	assert_non_null(v);
	assert_int_equal(json_array_size(v), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(v, 0), "type")), "section");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(v, 0), "text"), "text")), "Close *#42*?");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(v, 1), "type")), "actions");
	b = json_array_get(json_object_get(json_array_get(v, 1), "elements"),
	    0);
	assert_string_equal(json_string_value(json_object_get(b, "type")),
	    "button");
	assert_string_equal(json_string_value(json_object_get(b, "value")),
	    "ticket-close-accept:42");
	assert_string_equal(json_string_value(json_object_get(b, "style")),
	    "primary");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(b, "text"), "text")), "Yes, close it");
	b = json_array_get(json_object_get(json_array_get(v, 1), "elements"),
	    1);
	assert_null(json_object_get(b, "style"));
	json_decref(v);
	free(s);

	/* no buttons: the section alone (a question answered) */
	s = blocks_buttons_new("done", NULL, 0);
	assert_string_equal(s, "[{\"type\":\"section\",\"text\":{\"type\":"
	    "\"mrkdwn\",\"text\":\"done\"}}]");
	free(s);
}

static void
test_buttons_limits(void **state)
{
	struct button	 b = two[0];
	char		*text, *s, label[80];

	(void)state;
	text = xmalloc(BLOCKS_SECTION_MAX + 2);
	memset(text, 'a', BLOCKS_SECTION_MAX + 1);
	text[BLOCKS_SECTION_MAX + 1] = '\0';
	assert_null(blocks_buttons_new(text, two, 2));
	text[BLOCKS_SECTION_MAX] = '\0';
	s = blocks_buttons_new(text, two, 2);	/* exactly the limit */
	assert_non_null(s);
	free(s);
	free(text);
	memset(label, 'b', sizeof label - 1);
	label[sizeof label - 1] = '\0';
	b.label = label;
	assert_null(blocks_buttons_new("x", &b, 1));
	/* not UTF-8 */
	assert_null(blocks_buttons_new("\xff\xfe", two, 2));
	assert_null(blocks_buttons_new(NULL, two, 2));
}

static void
test_fallback(void **state)
{
	char	*s;

	(void)state;
	s = blocks_fallback_new("Close #42?", two, 2, "!");
	assert_string_equal(s, "Close #42?\n[Yes, close it: `!ticket close "
	    "42`] [No, still open: `!ticket reopen 42`]");
	free(s);
	s = blocks_fallback_new("", NULL, 0, NULL);
	assert_string_equal(s, "");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buttons_json),
		cmocka_unit_test(test_buttons_limits),
		cmocka_unit_test(test_fallback),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
