/*
 * re.h: compiling the PCRE2 patterns of the runbook layer (fixup.c,
 * words.c, label.c) with one set of options, and an error that says
 * where a pattern is wrong. Kept out of bot.h so that only the files
 * that match include pcre2.h.
 */
#ifndef OPSBOT_RE_H
#define OPSBOT_RE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/*
 * Compiles pattern (NUL-terminated) as UTF-8 with Unicode properties;
 * text that is not UTF-8 never matches rather than failing the match
 * (PCRE2_MATCH_INVALID_UTF). flags adds options (PCRE2_CASELESS...).
 * Returns the code (caller frees with pcre2_code_free), or NULL with
 * *cause "column N: message" (caller frees; N is 1-based, in bytes).
 */
pcre2_code	*re_compile(const char *pattern, uint32_t flags, char **cause);

#endif /* OPSBOT_RE_H */
