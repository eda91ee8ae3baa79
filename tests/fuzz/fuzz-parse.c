/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: the command-line value parsers, each given the same
 * string; what one accepts must be in its range and survive a round
 * trip where there is a canonical form. */
#include <inttypes.h>
#include <limits.h>

#include "fuzz.h"
#include "lib/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	char text[64], path[64];
	uint64_t u, u2;
	int32_t key, key2;
	int id, proj, rc;
	unsigned int mode;
	int64_t secs;
	enum time_format tf;

	if (!s)
		return 0;

	rc = parse_size(s, &u);
	fuzz_assert(rc == 0 || rc == -22 || rc == -34);
	if (rc == 0)
		fuzz_assert(s[0] >= '0' && s[0] <= '9');

	rc = parse_u64(s, &u);
	fuzz_assert(rc == 0 || rc == -22 || rc == -34);
	if (rc == 0) {
		snprintf(text, sizeof(text), "%" PRIu64, u);
		fuzz_assert(parse_u64(text, &u2) == 0 && u2 == u);
		fuzz_assert(parse_size(s, &u2) == 0 && u2 == u);
	}

	rc = parse_key(s, &key);
	fuzz_assert(rc == 0 || rc == -22 || rc == -34);
	if (rc == 0) {
		snprintf(text, sizeof(text), "0x%08" PRIx32, (uint32_t)key);
		fuzz_assert(parse_key(text, &key2) == 0 && key2 == key);
		snprintf(text, sizeof(text), "%" PRId32, key);
		fuzz_assert(parse_key(text, &key2) == 0 && key2 == key);
	}

	rc = parse_id(s, &id);
	fuzz_assert(rc == 0 || rc == -22 || rc == -34);
	if (rc == 0)
		fuzz_assert(id >= 0);

	rc = parse_mode(s, &mode);
	fuzz_assert(rc == 0 || rc == -22 || rc == -34);
	if (rc == 0)
		fuzz_assert(mode <= 0777);

	rc = parse_duration(s, &secs);
	fuzz_assert(rc == 0 || rc == -22 || rc == -34);
	if (rc == 0)
		fuzz_assert(secs >= 0);

	rc = parse_ftok_proj(s, &proj);
	if (rc == 0)
		fuzz_assert(proj >= 1 && proj <= 255);
	rc = parse_ftok_spec(s, path, sizeof(path), &proj);
	fuzz_assert(rc == 0 || rc == -22 || rc == -34 || rc == -36);
	if (rc == 0) {
		fuzz_assert(proj >= 1 && proj <= 255);
		fuzz_assert(path[0] != '\0' && strlen(path) < sizeof(path));
		fuzz_assert(strncmp(s, path, strlen(path)) == 0);
	}

	rc = parse_time_format(s, &tf);
	if (rc == 0)
		fuzz_assert(tf == TIME_SHORT || tf == TIME_FULL || tf == TIME_ISO);
	free(s);
	return 0;
}
