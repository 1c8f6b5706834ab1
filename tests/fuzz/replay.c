/*
 * replay.c: runs a fuzz target over files (the corpus and every crash
 * ever found), so ctest guards the fixes without libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bot/bot.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
main(int argc, char **argv)
{
	FILE	*f;
	char	*data;
	long	 len;
	int	 i;

	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			perror(argv[i]);
			return (1);
		}
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		data = xmalloc((size_t)len + 1);
		if (fread(data, 1, (size_t)len, f) != (size_t)len) {
			perror(argv[i]);
			return (1);
		}
		fclose(f);
		LLVMFuzzerTestOneInput((const uint8_t *)data, (size_t)len);
		free(data);
	}
	printf("replayed %d inputs\n", argc - 1);
	return (0);
}
