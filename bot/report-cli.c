/*
 * report-cli.c: `opsbot report --format=csv|json [--since DATE]
 * [--until DATE] [--rotation NAME]`: the summary's figures from the
 * database, opened read-only, for spreadsheets. Kept apart from main.c
 * so that its arguments and exit codes are unit-tested.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/config.h"
#include "bot/oncall.h"
#include "bot/report.h"
#include "bot/rotation.h"
#include "store/store.h"

#define DAY_MS		(INT64_C(24) * 3600 * 1000)

/* A DATE of --since or --until: its local midnight (+ days). 0 or -1. */
static int
report_cli_date(const char *text, const char *tz, int days, int64_t *ms)
{
	int	 y, m, d;

	if (rotation_date_parse(text, &y, &m, &d) != 0)
		return (-1);
	return (report_day_start(tz, y, m, d + days, ms));
}

int
report_cli(const struct config *cfg, const char *db, const char *format,
    const char *since, const char *until, const char *rotation,
    int64_t now_ms, FILE *out, FILE *err)
{
	const struct rotation	*rot = NULL;
	struct store		*s = NULL;
	struct report		 r;
	struct buf		 b = { NULL, 0, 0 };
	enum report_format	 fmt;
	json_t			*j = NULL;
	char			*cause = NULL, *text = NULL;
	const char		*tz;
	int64_t			 from_ms, to_ms;
	int			 rc = 2;

	memset(&r, 0, sizeof r);
	if (format == NULL || strcmp(format, "csv") == 0)
		fmt = REPORT_CSV;
	else if (strcmp(format, "json") == 0)
		fmt = REPORT_JSON;
	else {
		fprintf(err, "opsbot report: --format must be csv or json, "
		    "not '%s'\n", format);
		goto out;
	}
	if (rotation != NULL && (rot = rotation_find(cfg, rotation)) == NULL) {
		fprintf(err, "opsbot report: no rotation named '%s' in the "
		    "config\n", rotation);
		goto out;
	}
	tz = rot != NULL ? rot->tz : cfg->tz != NULL ? cfg->tz : "UTC";
	to_ms = now_ms;
	if (until != NULL && report_cli_date(until, tz, 1, &to_ms) != 0) {
		fprintf(err, "opsbot report: --until '%s' is not a date such "
		    "as 2026-11-30\n", until);
		goto out;
	}
	from_ms = to_ms - REPORT_DEFAULT_DAYS * DAY_MS;
	if (since != NULL && report_cli_date(since, tz, 0, &from_ms) != 0) {
		fprintf(err, "opsbot report: --since '%s' is not a date such "
		    "as 2026-11-01\n", since);
		goto out;
	}
	if (from_ms >= to_ms) {
		fprintf(err, "opsbot report: --since must come before "
		    "--until\n");
		goto out;
	}
	rc = 1;
	if (db == NULL)
		db = cfg->db_path;
	if ((s = store_open_readonly(db, &cause)) == NULL) {
		fprintf(err, "opsbot report: %s\n", cause);
		goto out;
	}
	if (report_build(s, cfg, rotation != NULL ? rot->name : NULL, from_ms,
	    to_ms, &r, &cause) != 0) {
		fprintf(err, "opsbot report: %s\n", cause);
		goto out;
	}
	if (fmt == REPORT_CSV)
		report_csv(&b, &r);
	else {
		j = report_json_new(&r);
		if ((text = json_dumps(j, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER)) == NULL) {
			fprintf(err, "opsbot report: cannot encode JSON\n");
			goto out;
		}
		buf_adds(&b, text);
		buf_addc(&b, '\n');
	}
	if (fwrite(buf_str(&b), 1, b.len, out) != b.len || fflush(out) != 0) {
		fprintf(err, "opsbot report: cannot write the report\n");
		goto out;
	}
	rc = 0;
out:
	free(text);
	json_decref(j);
	report_release(&r);
	store_close(s);
	buf_reset(&b);
	free(cause);
	return (rc);
}
