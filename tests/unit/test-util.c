/* Unit tests for src/util.c: messages that quote what the user gave. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util.h"

/* What warnx_safe writes to stderr. */
static char *stderr_of(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *stderr_of(const char *fmt, ...)
{
	va_list ap;
	static char buf[4096];
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), STDERR_FILENO);
	va_start(ap, fmt);
	vwarnx_safe(fmt, ap);
	va_end(ap);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return buf;
}

static void test_plain(void **state)
{
	(void)state;
	assert_string_equal(stderr_of("invalid size: '%s'", "12Q"),
			    "test-util: invalid size: '12Q'\n");
}

/* a hostile argument cannot drive the terminal through an error message */
static void test_escapes(void **state)
{
	(void)state;
	assert_string_equal(stderr_of("invalid segment id: '%s'", "1\033[31mX\033]0;t\a"),
			    "test-util: invalid segment id: '1\\x1b[31mX\\x1b]0;t\\x07'\n");
	assert_string_equal(stderr_of("cannot open '%s'", "a\nb\rc\td"),
			    "test-util: cannot open 'a\\x0ab\\x0dc\\x09d'\n");
	/* C1 CSI and invalid UTF-8; a backslash is doubled so the text is unambiguous */
	assert_string_equal(stderr_of("'%s'", "\xc2\x9b" "2J\xff\\"),
			    "test-util: '\\xc2\\x9b2J\\xff\\\\'\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
