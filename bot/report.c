/*
 * report.c: the figures of a period (bot/report.h gives the
 * definitions): the store's rows and counts (store-report.c) gathered
 * into one row per rotation and person, ack times ranked, pages put in
 * business, off-hours and sleep buckets by their local time.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/config.h"
#include "bot/oncall.h"
#include "bot/page.h"
#include "bot/report.h"
#include "bot/tz.h"
#include "bot/watch.h"
#include "store/store.h"

int64_t
report_percentile(const int64_t *sorted, size_t n, int p)
{
	size_t	 rank;

	if (n == 0 || p < 1 || p > 100)
		return (-1);
	/* ceil(p * n / 100), at least 1 */
	rank = ((size_t)p * n + 99) / 100;
	if (rank < 1)
		rank = 1;
	return (sorted[rank - 1]);
}

enum report_bucket
report_bucket_local(const struct watch_active *hours, const struct tz_time *t)
{
	int	 min = t->hour * 60 + t->min;

	if (watch_active_local(hours, t) == 1)
		return (REPORT_BUSINESS);
	if (min >= REPORT_SLEEP_FROM_MIN || min < REPORT_SLEEP_UNTIL_MIN)
		return (REPORT_SLEEP);
	return (REPORT_OFFHOURS);
}

enum report_bucket
report_bucket_at(const struct watch_active *hours, const char *tz,
    int64_t at_ms)
{
	struct tz_time	 t;
	int64_t		 secs = at_ms / 1000 - (at_ms % 1000 < 0);

	if (tz_local(tz, secs, &t) != 0 && tz_local("UTC", secs, &t) != 0)
		return (REPORT_OFFHOURS);
	return (report_bucket_local(hours, &t));
}

/* The row of rotation and user (user "" the total), added if new. */
static struct report_row *
report_row_get(struct report *r, const char *rotation, const char *user)
{
	struct report_row	*row;
	size_t			 i;

	for (i = 0; i < r->nrows; i++) {
		row = &r->rows[i];
		if (strcmp(row->rotation, rotation) == 0 &&
		    strcmp(row->user, user) == 0)
			return (row);
	}
	r->rows = xreallocarray(r->rows, r->nrows + 1, sizeof *r->rows);
	row = &r->rows[r->nrows++];
	memset(row, 0, sizeof *row);
	row->rotation = xstrdup(rotation);
	row->user = xstrdup(user);
	row->ack_median_ms = row->ack_p90_ms = row->ack_worst_ms = -1;
	return (row);
}

/* Adds to the rotation's total and to the person's row alike. */
typedef void	(*report_add_fn)(struct report_row *, const void *);

static void
report_add_both(struct report *r, const char *rotation, const char *user,
    report_add_fn fn, const void *arg)
{
	fn(report_row_get(r, rotation, ""), arg);
	/* a row for "no one" is the total's alone */
	if (user != NULL && *user != '\0')
		fn(report_row_get(r, rotation, user), arg);
}

/* What one page adds: its bucket, and its ack time if acknowledged. */
struct report_page_add {
	const struct store_report_page	*p;
	enum report_bucket		 bucket;
};

static void
report_page_add(struct report_row *row, const void *arg)
{
	const struct report_page_add	*a = arg;

	row->pages++;
	if (a->bucket == REPORT_BUSINESS)
		row->business++;
	else if (a->bucket == REPORT_SLEEP)
		row->sleep++;
	else
		row->offhours++;
	if (a->p->acked_ms == 0) {
		row->pages_unacked++;
		return;
	}
	row->acks = xreallocarray(row->acks, row->nacks + 1,
	    sizeof *row->acks);
	row->acks[row->nacks++] = a->p->acked_ms - a->p->opened_ms;
}

static void
report_steps_add(struct report_row *row, const void *arg)
{
	const struct store_report_count	*c = arg;

	row->steps += c->a;
}

static void
report_handoffs_add(struct report_row *row, const void *arg)
{
	const struct store_report_count	*c = arg;

	row->handoffs += c->a;
	row->handoffs_acked += c->b;
	row->handoffs_late += c->c;
}

static void
report_duties_add(struct report_row *row, const void *arg)
{
	const struct store_report_count	*c = arg;

	row->duties_done += c->a;
	row->duties_missed += c->b;
}

/* The zone and business hours of a rotation by name. */
static void
report_zone(const struct config *cfg, const char *name, const char **tz,
    const struct watch_active **hours)
{
	const struct rotation		*rot;
	const struct esc_policy		*pol = NULL;

	*tz = cfg != NULL && cfg->tz != NULL ? cfg->tz : "UTC";
	*hours = &policy_default.hours;
	if (cfg == NULL || (rot = rotation_find(cfg, name)) == NULL)
		return;
	if (rot->tz != NULL)
		*tz = rot->tz;
	if ((pol = policy_find(cfg, rot->policy)) != NULL)
		*hours = &pol->hours;
}

static int
int64_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Rotation by name, its total ("") first, then people by user ID. */
static int
report_row_cmp(const void *a, const void *b)
{
	const struct report_row	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->rotation, y->rotation)) != 0)
		return (c);
	return (strcmp(x->user, y->user));
}

static int
report_tickets_cmp(const void *a, const void *b)
{
	const struct report_tickets	*x = a, *y = b;

	return (strcmp(x->name, y->name));
}

/* The entry of name in *v, added if new. */
static struct report_tickets *
report_tickets_get(struct report_tickets **v, size_t *n, const char *name)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].name, name) == 0)
			return (&(*v)[i]);
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	(*v)[*n].name = xstrdup(name);
	return (&(*v)[(*n)++]);
}

/* Counts one ticket into t, as of the period's end to_ms. */
static void
report_ticket_count(struct report_tickets *t,
    const struct store_report_ticket *k, int64_t to_ms)
{
	t->opened++;
	if (k->first_response_ms >= 0 && k->first_response_ms <= k->due_ms)
		t->in_sla++;
	else if (k->first_response_ms >= 0 || k->due_ms < to_ms)
		t->breached++;
	else
		t->waiting++;
}

static void
report_tickets_build(struct report *r, const struct store_report_ticket *v,
    size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		report_ticket_count(&r->tickets, &v[i], r->to_ms);
		report_ticket_count(report_tickets_get(&r->channels,
		    &r->nchannels, v[i].channel), &v[i], r->to_ms);
		report_ticket_count(report_tickets_get(&r->responders,
		    &r->nresponders, v[i].responder != NULL ?
		    v[i].responder : ""), &v[i], r->to_ms);
	}
	if (r->nchannels > 1)
		qsort(r->channels, r->nchannels, sizeof *r->channels,
		    report_tickets_cmp);
	if (r->nresponders > 1)
		qsort(r->responders, r->nresponders, sizeof *r->responders,
		    report_tickets_cmp);
}

/*
 * The bucket of every page, into buckets[0..n): the pages of each
 * rotation read in its zone at once (tz_local_all), since a zone
 * switch per page would cost a read of the zone's file each time.
 */
static void
report_buckets(const struct config *cfg, const struct store_report_page *v,
    size_t n, enum report_bucket *buckets)
{
	const struct watch_active	*hours;
	const char			*tz;
	struct tz_time			*t;
	int64_t				*secs;
	size_t				*idx, i, j, m;
	char				*done;

	secs = xreallocarray(NULL, n + 1, sizeof *secs);
	idx = xreallocarray(NULL, n + 1, sizeof *idx);
	t = xreallocarray(NULL, n + 1, sizeof *t);
	done = xcalloc(n + 1, 1);
	for (i = 0; i < n; i++) {
		if (done[i])
			continue;
		/* every page of this one's rotation, in time order */
		for (m = 0, j = i; j < n; j++) {
			if (done[j] || strcmp(v[j].rotation, v[i].rotation) != 0)
				continue;
			done[j] = 1;
			idx[m] = j;
			secs[m++] = v[j].opened_ms / 1000 -
			    (v[j].opened_ms % 1000 < 0);
		}
		report_zone(cfg, v[i].rotation, &tz, &hours);
		if (tz_local_all(tz, secs, m, t) != 0 &&
		    tz_local_all("UTC", secs, m, t) != 0) {
			for (j = 0; j < m; j++)
				buckets[idx[j]] = REPORT_OFFHOURS;
			continue;
		}
		for (j = 0; j < m; j++)
			buckets[idx[j]] = report_bucket_local(hours, &t[j]);
	}
	free(done);
	free(t);
	free(idx);
	free(secs);
}

int
report_build(struct store *s, const struct config *cfg,
    const char *rotation, int64_t from_ms, int64_t to_ms,
    struct report *out, char **cause)
{
	struct store_report_page	*pages = NULL;
	struct store_report_count	*steps = NULL, *hand = NULL;
	struct store_report_count	*duties = NULL;
	struct store_report_ticket	*tickets = NULL;
	size_t				 npages = 0, nsteps = 0, nhand = 0;
	size_t				 nduties = 0, ntickets = 0, i;
	struct report_page_add		 pa;
	struct report_row		*row;
	enum report_bucket		*buckets = NULL;
	int				 rc = -1;

	memset(out, 0, sizeof *out);
	out->from_ms = from_ms;
	out->to_ms = to_ms;
	if (store_report_pages(s, rotation, from_ms, to_ms, &pages,
	    &npages) < 0 ||
	    store_report_steps(s, rotation, from_ms, to_ms, &steps,
	    &nsteps) < 0 ||
	    store_report_handoffs(s, rotation, from_ms, to_ms, &hand,
	    &nhand) < 0 ||
	    store_report_duties(s, rotation, from_ms, to_ms, &duties,
	    &nduties) < 0 ||
	    store_report_tickets(s, from_ms, to_ms, &tickets,
	    &ntickets) < 0) {
		xasprintf(cause, "cannot read the figures: %s",
		    store_last_error(s));
		goto out;
	}
	/* a rotation asked for has its row even when nothing happened */
	if (rotation != NULL)
		report_row_get(out, rotation, "");
	buckets = xreallocarray(NULL, npages + 1, sizeof *buckets);
	report_buckets(cfg, pages, npages, buckets);
	for (i = 0; i < npages; i++) {
		pa.p = &pages[i];
		pa.bucket = buckets[i];
		report_add_both(out, pages[i].rotation, pages[i].oncall,
		    report_page_add, &pa);
	}
	for (i = 0; i < nsteps; i++)
		report_add_both(out, steps[i].rotation, steps[i].user,
		    report_steps_add, &steps[i]);
	for (i = 0; i < nhand; i++)
		report_add_both(out, hand[i].rotation, hand[i].user,
		    report_handoffs_add, &hand[i]);
	for (i = 0; i < nduties; i++)
		report_add_both(out, duties[i].rotation, duties[i].user,
		    report_duties_add, &duties[i]);
	for (i = 0; i < out->nrows; i++) {
		row = &out->rows[i];
		if (row->nacks == 0)
			continue;
		qsort(row->acks, row->nacks, sizeof *row->acks, int64_cmp);
		row->ack_median_ms = report_percentile(row->acks, row->nacks,
		    50);
		row->ack_p90_ms = report_percentile(row->acks, row->nacks,
		    90);
		row->ack_worst_ms = row->acks[row->nacks - 1];
	}
	if (out->nrows > 1)
		qsort(out->rows, out->nrows, sizeof *out->rows,
		    report_row_cmp);
	report_tickets_build(out, tickets, ntickets);
	rc = 0;
out:
	for (i = 0; i < npages; i++)
		store_report_page_release(&pages[i]);
	for (i = 0; i < nsteps; i++)
		store_report_count_release(&steps[i]);
	for (i = 0; i < nhand; i++)
		store_report_count_release(&hand[i]);
	for (i = 0; i < nduties; i++)
		store_report_count_release(&duties[i]);
	for (i = 0; i < ntickets; i++)
		store_report_ticket_release(&tickets[i]);
	free(buckets);
	free(pages);
	free(steps);
	free(hand);
	free(duties);
	free(tickets);
	if (rc != 0)
		report_release(out);
	return (rc);
}

void
report_release(struct report *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrows; i++) {
		free(r->rows[i].rotation);
		free(r->rows[i].user);
		free(r->rows[i].acks);
	}
	free(r->rows);
	for (i = 0; i < r->nchannels; i++)
		free(r->channels[i].name);
	free(r->channels);
	for (i = 0; i < r->nresponders; i++)
		free(r->responders[i].name);
	free(r->responders);
	memset(r, 0, sizeof *r);
}
