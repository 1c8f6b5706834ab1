/* test_utf8.c: UTF-8 checks (RFC 3629) and the repair of stray bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/bot.h"

static const struct {
	const char	*in;
	size_t		 len;
	size_t		 prefix;	/* valid leading bytes */
} vrows[] = {
	{ "", 0, 0 },
	{ "plain ascii", 11, 11 },
	{ "Caf\xc3\xa9", 5, 5 },
	{ "Caf\xe9", 4, 3 },			/* Latin-1 */
	{ "a\0b", 3, 3 },			/* NUL is UTF-8 */
	{ "\xe2\x80\x99", 3, 3 },		/* U+2019 */
	{ "\xf0\x9f\x94\xa5", 4, 4 },		/* U+1F525 */
	{ "\xc0\xaf", 2, 0 },			/* overlong '/' */
	{ "\xe0\x80\xaf", 3, 0 },		/* overlong */
	{ "\xed\xa0\x80", 3, 0 },		/* U+D800 surrogate */
	{ "\xf4\x90\x80\x80", 4, 0 },		/* above U+10FFFF */
	{ "\xf5\x80\x80\x80", 4, 0 },
	{ "ok\xe2\x80", 4, 2 },			/* truncated */
	{ "\x80", 1, 0 },			/* lone continuation */
	{ "\xff\xfe", 2, 0 },
};

static void
test_valid(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof vrows / sizeof vrows[0]; i++) {
		assert_int_equal(utf8_valid_prefix(vrows[i].in, vrows[i].len),
		    vrows[i].prefix);
		assert_int_equal(utf8_valid(vrows[i].in, vrows[i].len),
		    vrows[i].prefix == vrows[i].len);
	}
}

static void
test_repair(void **state)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 first = 99;

	(void)state;
	/* Latin-1 and Windows-1252 bytes become the characters they meant. */
	assert_int_equal(utf8_repair(&b, "Caf\xe9 \x93q\x94", 8, &first), 3);
	assert_string_equal(buf_str(&b), "Caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d");
	assert_int_equal(first, 3);
	buf_reset(&b);

	/* Bytes Windows-1252 leaves undefined become U+FFFD. */
	assert_int_equal(utf8_repair(&b, "x\x81y", 3, NULL), 1);
	assert_string_equal(buf_str(&b), "x\xef\xbf\xbdy");
	buf_reset(&b);

	/* Valid input is copied as is; the result is always valid. */
	assert_int_equal(utf8_repair(&b, "\xe2\x80\x99ok", 5, NULL), 0);
	assert_string_equal(buf_str(&b), "\xe2\x80\x99ok");
	buf_reset(&b);
	assert_int_equal(utf8_repair(&b, "\xed\xa0\x80\xc0", 4, NULL), 4);
	assert_true(utf8_valid(b.s, b.len));
	buf_reset(&b);
	assert_int_equal(utf8_repair(&b, "", 0, NULL), 0);
	assert_string_equal(buf_str(&b), "");
	buf_reset(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_repair),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
