/*
 * test_config_node.c: what the config's section loaders share
 * (bot/config-node.c): the positioned errors users read from
 * `opsbot -n`, byte for byte, a scalar's checks, and paths relative
 * to the config file. Also
 * channel_same (channels.c), which the loaders' lookups use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <yaml.h>

#include "bot/channels.h"
#include "bot/config.h"

static const struct yaml_limits limits = {
	"config file", "", 64 * 1024, 16, 10
};

/* Composes text; returns the root node (the document owns it). */
static yaml_node_t *
compose(yaml_document_t *doc, const char *text)
{
	char	*cause = NULL;
	int	 line = 0, col = 0;

	if (yaml_compose(text, strlen(text), &limits, doc, &line, &col,
	    &cause) != 0)
		fail_msg("yaml_compose: %s", cause);
	return (yaml_document_get_root_node(doc));
}

/* The value of key in mapping map. */
static yaml_node_t *
value_of(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*k;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	    p++) {
		k = yaml_document_get_node(doc, p->key);
		if (strcmp((const char *)k->data.scalar.value, key) == 0)
			return (yaml_document_get_node(doc, p->value));
	}
	fail_msg("no key %s", key);
	return (NULL);
}

static void
test_errors(void **state)
{
	yaml_document_t		 doc;
	yaml_node_t		*root, *v;
	struct config_at	 at;
	char			*cause = NULL;

	(void)state;
	root = compose(&doc, "a: x\nb:\n  - 1\n");
	v = value_of(&doc, root, "b");
	config_at_init(&at, &doc, "f.yaml", &cause, "support");

	/* outside an entry: the section, whatever the key */
	assert_int_equal(config_at_error(&at, v, "tier", "bad %d", 1), -1);
	assert_string_equal(cause, "f.yaml:3:3: support: bad 1");
	free(cause);

	/* inside one: the entry and the key, or the entry alone */
	config_at_entry(&at, "support[%d]", 2);
	config_at_error(&at, v, "tier", "bad");
	assert_string_equal(cause, "f.yaml:3:3: support[2].tier: bad");
	free(cause);
	config_at_error(&at, v, NULL, "bad");
	assert_string_equal(cause, "f.yaml:3:3: support[2]: bad");
	free(cause);
	config_at_list_error(&at, v, "bad");
	assert_string_equal(cause, "f.yaml:3:3: support: bad");
	free(cause);
	config_at_leave(&at);
	config_at_error(&at, root, NULL, "bad");
	assert_string_equal(cause, "f.yaml:1:1: support: bad");
	free(cause);

	/* another section drops the entry */
	config_at_entry(&at, "x");
	config_at_list(&at, "rotations[%d].duties", 0);
	config_at_error(&at, v, "name", "bad");
	assert_string_equal(cause, "f.yaml:3:3: rotations[0].duties: bad");
	free(cause);

	/* a place inside a scalar */
	config_node_error(&cause, "f.yaml", value_of(&doc, root, "a"), 1,
	    "watches: %s", "regex");
	assert_string_equal(cause, "f.yaml:1:5: watches: regex");
	free(cause);
	yaml_document_delete(&doc);
}

static void
test_scalars(void **state)
{
	yaml_document_t		 doc;
	yaml_node_t		*root;
	struct config_at	 at;
	char			*cause = NULL;
	const char		*text = NULL;

	(void)state;
	root = compose(&doc, "a: x\nb: [1]\nc: \"\"\nd: \"a\\0b\"\n");
	config_at_init(&at, &doc, "f.yaml", &cause, "rotations");
	config_at_entry(&at, "rotations[0]");

	assert_int_equal(config_at_text(&at, value_of(&doc, root, "a"), "a",
	    &text), 0);
	assert_string_equal(text, "x");
	assert_null(cause);

	assert_int_equal(config_at_scalar(&at, value_of(&doc, root, "b"), "b",
	    &text), -1);
	assert_string_equal(cause, "f.yaml:2:4: rotations[0].b: expected a "
	    "single value");
	free(cause);
	cause = NULL;

	/* empty: a scalar, but not a text */
	assert_int_equal(config_at_scalar(&at, value_of(&doc, root, "c"), "c",
	    &text), 0);
	assert_string_equal(text, "");
	assert_int_equal(config_at_text(&at, value_of(&doc, root, "c"), "c",
	    &text), -1);
	assert_string_equal(cause, "f.yaml:3:4: rotations[0].c: must not be "
	    "empty");
	free(cause);

	assert_int_equal(config_at_text(&at, value_of(&doc, root, "d"), "d",
	    &text), -1);
	assert_string_equal(cause, "f.yaml:4:4: rotations[0].d: contains a "
	    "NUL byte");
	free(cause);
	yaml_document_delete(&doc);
}

static void
test_path(void **state)
{
	char	*p;

	(void)state;
	p = config_path_new("/etc/opsbot/opsbot.yaml", "tpl/hi.txt");
	assert_string_equal(p, "/etc/opsbot/tpl/hi.txt");
	free(p);
	p = config_path_new("/etc/opsbot/opsbot.yaml", "/srv/hi.txt");
	assert_string_equal(p, "/srv/hi.txt");
	free(p);
	p = config_path_new("opsbot.yaml", "hi.txt");
	assert_string_equal(p, "hi.txt");
	free(p);
	p = config_path_new(NULL, "runbooks");
	assert_string_equal(p, "runbooks");
	free(p);
}

static void
test_channel_same(void **state)
{
	(void)state;
	assert_true(channel_same("#ops", "ops"));
	assert_true(channel_same("OPS", "#ops"));
	assert_true(channel_same("#ops", "#Ops"));
	assert_false(channel_same("#ops", "ops2"));
	assert_false(channel_same("##ops", "ops"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_channel_same),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
