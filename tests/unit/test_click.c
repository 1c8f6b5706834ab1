/*
 * test_click.c: the id a button's value carries (bot/click.c,
 * click_value_id), which every button handler reads; a value that is
 * not exactly "<prefix><id>" claims nothing. click_run_as is run by
 * the handlers' own tests (test_handoff.c: the Got it button).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bot/blocks.h"
#include "bot/gate.h"

static long long
id_of(enum msg_kind kind, const char *value)
{
	struct msg	 m;

	memset(&m, 0, sizeof m);
	m.kind = kind;
	m.action_id = "x";
	m.action_value = value;
	return (click_value_id(&m, "page:"));
}

static void
test_value_id(void **state)
{
	(void)state;
	assert_int_equal(id_of(MSG_ACTION, "page:42"), 42);
	assert_int_equal(id_of(MSG_ACTION, "page:9007199254740993"),
	    9007199254740993LL);
	/* not a click, no value, another prefix */
	assert_int_equal(id_of(MSG_MESSAGE, "page:42"), 0);
	assert_int_equal(id_of(MSG_ACTION, NULL), 0);
	assert_int_equal(id_of(MSG_ACTION, "duty-done:42"), 0);
	assert_int_equal(id_of(MSG_ACTION, "pag"), 0);
	/* not an id: empty, zero, leading zero, sign, space, tail */
	assert_int_equal(id_of(MSG_ACTION, "page:"), 0);
	assert_int_equal(id_of(MSG_ACTION, "page:0"), 0);
	assert_int_equal(id_of(MSG_ACTION, "page:042"), 0);
	assert_int_equal(id_of(MSG_ACTION, "page:-4"), 0);
	assert_int_equal(id_of(MSG_ACTION, "page:+4"), 0);
	assert_int_equal(id_of(MSG_ACTION, "page: 4"), 0);
	assert_int_equal(id_of(MSG_ACTION, "page:4x"), 0);
	assert_int_equal(id_of(MSG_ACTION, "page:4 "), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_id),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
