/*
 * events.c - a day's events, sorted into three runs (loads and heartbeats,
 * leaves, actions), each by visitor, page and second:
 *  - the load run gives the screen classes (breakdown_compute, one slot,
 *    per page and for the whole site)
 *    and, per visitor and page, the tracker views and their heartbeats;
 *  - the leave run gives the beacon's engaged time and scroll depth;
 *  - the action run gives action_daily (breakdown_compute, a slot per
 *    action, so labels fold per page and action).
 */
#include "events.h"

#include "smallcell.h"

#include <stdlib.h>
#include <string.h>

/* The kind word: kind in bits 0-3, the tracker flag in bit 4, the scroll
 * depth (0..100 or HIT_NO_SCROLL) in bits 8-15, the local hour in 16-20. */
#define META_KIND(m) ((m) & 0xfu)
#define META_TRACKER(m) (((m) >> 4) & 1u)
#define META_SCROLL(m) (((m) >> 8) & 0xffu)
#define META_HOUR(m) (((m) >> 16) & 0x1fu)

void events_fill(const struct hit *h, uint32_t value, uint32_t vals[EV_NVALS])
{
	memset(vals, 0, EV_NVALS * sizeof(uint32_t));
	vals[EV_META] = (uint32_t)h->kind | (uint32_t)h->tracker << 4 | (uint32_t)h->scroll << 8 |
			(h->sec_of_day / 3600) << 16;
	if (h->kind == HIT_LOAD) {
		vals[0] = value;
		vals[EV_NUM] = h->client_load_ms;
	} else if (h->kind == HIT_ACTION) {
		vals[h->action] = value;
	} else if (h->kind == HIT_LEAVE) {
		vals[EV_NUM] = h->engaged_s;
	}
}

static int group_of(const struct agg_pv *r)
{
	uint32_t kind = META_KIND(((const uint32_t *)(const void *)(r + 1))[EV_META]);
	return kind == HIT_LEAVE ? 1 : kind == HIT_ACTION ? 2 : 0;
}

/* qsort order: run, visitor, page rank, second. */
static int events_cmp(const void *x, const void *y)
{
	const struct agg_pv *a = x, *b = y;
	int ga = group_of(a), gb = group_of(b);
	if (ga != gb)
		return ga < gb ? -1 : 1;
	if (a->visitor != b->visitor)
		return a->visitor < b->visitor ? -1 : 1;
	if (a->page != b->page)
		return a->page < b->page ? -1 : 1;
	return (a->sec > b->sec) - (a->sec < b->sec);
}

static const uint32_t *vals_at(const struct records *rs, size_t i)
{
	return records_values_at(rs, i);
}

/* The measured views of a day, for the small-cell rule: who measured
 * which page (one item per view). */
struct views {
	struct smallcell_item *v;
	size_t n;
};

/* The beacon's leave events: one measured view each. */
static void count_leaves(const struct records *rs, struct engagement_row *per_page,
			 struct views *views)
{
	static const uint32_t depth[4] = { 25, 50, 75, 100 };
	for (size_t i = 0; i < rs->n; i++) {
		const struct agg_pv *r = records_at(rs, i);
		struct engagement_row *e = &per_page[r->page];
		uint32_t scroll = META_SCROLL(vals_at(rs, i)[EV_META]);
		e->measured++;
		e->engaged_s += vals_at(rs, i)[EV_NUM];
		for (int k = 0; k < 4; k++)
			if (scroll != HIT_NO_SCROLL && scroll >= depth[k])
				e->scroll[k]++;
		views->v[views->n++] = (struct smallcell_item){ r->visitor, r->page };
	}
}

/*
 * A tracker's views: a tracker load starts a view of that visitor and page,
 * each heartbeat no more than timeout seconds after the previous request
 * extends it, and a view with at least one heartbeat is measured, engaged
 * from its load to its last heartbeat (Matomo's own reckoning). The run is
 * sorted by visitor, page and second, so a view's requests are adjacent.
 */
static void count_heartbeats(const struct records *rs, uint32_t timeout,
			     struct engagement_row *per_page, struct views *views)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct agg_pv *start = records_at(rs, i);
		uint32_t meta = vals_at(rs, i)[EV_META];
		if (META_KIND(meta) != HIT_LOAD || !META_TRACKER(meta))
			continue;
		uint32_t last = start->sec;
		size_t j = i + 1;
		for (; j < rs->n; j++) {
			const struct agg_pv *r = records_at(rs, j);
			if (r->visitor != start->visitor || r->page != start->page ||
			    META_KIND(vals_at(rs, j)[EV_META]) != HIT_PING || r->sec - last > timeout)
				break;
			last = r->sec;
		}
		if (j > i + 1) {
			per_page[start->page].measured++;
			per_page[start->page].engaged_s += last - start->sec;
			views->v[views->n++] = (struct smallcell_item){ start->visitor, start->page };
		}
		i = j - 1;
	}
}

/* Add the counts of page row b into a (the "(other)" row). */
static void fold_engagement(struct engagement_row *a, const struct engagement_row *b)
{
	a->measured += b->measured;
	a->engaged_s += b->engaged_s;
	for (int k = 0; k < 4; k++)
		a->scroll[k] += b->scroll[k];
}

/* engagement_daily's one group and its pages, for shardsets_add. */
static void page_group(const void *ctx, uint32_t group, struct slice *page, struct slice *part)
{
	*page = *part = SLICE_LIT("");
}

static struct slice page_member(const void *ctx, uint32_t rank)
{
	const struct breakdown_names *names = ctx;
	return names->rows[rank].page;
}

/* A shard's sets (shardsets.h) of the views (grouped by visitor): each
 * visitor's measured pages of fewer than K visitors here, and "(other)". */
static bool engagement_sets(const struct views *views, const struct smallcell *sc,
			    const struct breakdown_names *names, struct shardsets *sets)
{
	struct shardsets_item *items = malloc((views->n + 1) * sizeof(*items));
	size_t n = 0;
	if (!items)
		return false;
	for (size_t i = 0; i < views->n; i++) {
		uint32_t p = views->v[i].cell;
		if (!smallcell_published(sc->visitors[p], sets->k) ||
		    slice_eq_cstr(names->rows[p].page, DIM_OTHER))
			items[n++] = (struct shardsets_item){ views->v[i].visitor, 0, p };
	}
	struct shardsets_names sn = { "engagement_daily", page_group, page_member, names };
	bool ok = shardsets_add(sets, items, n, &sn) == LF_OK;
	free(items);
	return ok;
}

/*
 * The small-cell rule on rows[0..npages) (smallcell.h): a page whose
 * measured views came from fewer than k visitors folds into one "(other)"
 * row (with the page DIM_OTHER of --page-allow, always), left out under k.
 * The rows kept are moved to the front, in page order: "(other)" first,
 * as '(' sorts before the '/' every other page starts with. Returns how
 * many, or SIZE_MAX when out of memory.
 */
static size_t engagement_k(struct engagement_row *rows, uint32_t npages, struct views *views,
			   const struct breakdown_names *names, uint32_t k, struct shardsets *sets)
{
	struct smallcell sc = { 0 };
	struct engagement_row other = { .page = SLICE_LIT(DIM_OTHER) };
	uint32_t *group = calloc(npages ? npages : 1, sizeof(*group)); /* all in group 0 */
	size_t n = SIZE_MAX;
	if (!group || smallcell_init(&sc, npages, 1) != LF_OK)
		goto out;
	for (uint32_t p = 0; p < npages; p++)
		sc.folded[p] = slice_eq_cstr(names->rows[p].page, DIM_OTHER);
	smallcell_apply(&sc, views->v, views->n, group, k);
	if (sets && !engagement_sets(views, &sc, names, sets))
		goto out;
	n = 0;
	for (uint32_t p = 0; p < npages; p++) {
		if (sc.folded[p]) {
			fold_engagement(&other, &rows[p]);
		} else if (rows[p].measured) {
			rows[p].page = names->rows[p].page;
			rows[p].visitors = sc.visitors[p];
			rows[n++] = rows[p];
		}
	}
	if (sc.other_visitors[0] && smallcell_published(sc.other_visitors[0], k)) {
		other.visitors = sc.other_visitors[0];
		memmove(rows + 1, rows, n * sizeof(*rows));
		rows[0] = other;
		n++;
	}
out:
	smallcell_release(&sc);
	free(group);
	return n;
}

static enum lf_status engagement(const struct records *loads, const struct records *leaves,
				 uint32_t npages, const struct breakdown_names *names,
				 uint32_t min_visitors, uint32_t timeout, struct shardsets *sets,
				 struct events_result *out)
{
	/* one row more than pages: room for the "(other)" row in front */
	struct engagement_row *rows = calloc((size_t)npages + 1, sizeof(*rows));
	struct views views = { malloc((leaves->n + loads->n + 1) * sizeof(*views.v)), 0 };
	size_t n = SIZE_MAX;
	if (rows && views.v) {
		count_leaves(leaves, rows, &views);
		count_heartbeats(loads, timeout, rows, &views);
		n = engagement_k(rows, npages, &views, names, min_visitors, sets);
	}
	free(views.v);
	if (n == SIZE_MAX) {
		free(rows);
		return LF_ERR_NOMEM;
	}
	out->engagement = rows;
	out->nengagement = n;
	return LF_OK;
}

/* The action rows, from breakdown rows whose "dimension" is the action. */
static enum lf_status actions(const struct records *rs, const struct breakdown_names *names,
			      uint32_t min_visitors, struct shardsets *sets,
			      struct events_result *out)
{
	struct breakdown_row *bd;
	size_t n;
	struct breakdown_sets bs = { sets, "action_daily", action_names };
	if (breakdown_compute(rs, names, min_visitors, sets ? &bs : NULL, &bd, &n) != LF_OK)
		return LF_ERR_NOMEM;
	out->actions = malloc((n ? n : 1) * sizeof(*out->actions));
	if (!out->actions) {
		free(bd);
		return LF_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		out->actions[i] = (struct action_row){ bd[i].page, (enum action)bd[i].dimension,
						       bd[i].value, bd[i].pageviews,
						       bd[i].visitors };
	out->nactions = n;
	free(bd);
	return LF_OK;
}

enum lf_status events_compute(unsigned char *base, size_t n, uint32_t npages,
			      const struct breakdown_names *names, uint32_t min_visitors,
			      uint32_t session_timeout, struct shardsets *sets,
			      struct events_result *out)
{
	struct breakdown_sets page_sets = { sets, "breakdown_daily", dimension_names };
	struct breakdown_sets site_sets = { sets, "site_breakdown_daily", dimension_names };
	static const uint8_t screen_slot[1] = { DIM_SCREEN };
	/* In action_daily a slot stands for an action, not a dimension. */
	static const uint8_t action_slots[ACTION_COUNT] = { ACTION_CLICK, ACTION_SELECT,
							    ACTION_EVENT };
	size_t stride = events_stride(), cut[2] = { n, n };
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return LF_OK; /* no rows; and base may be NULL */
	qsort(base, n, stride, events_cmp);
	for (size_t i = n; i-- > 0;) {
		int g = group_of((const struct agg_pv *)(const void *)(base + i * stride));
		if (g >= 1)
			cut[0] = i;
		if (g == 2)
			cut[1] = i;
	}
	struct records loads = { base, cut[0], stride, 1, screen_slot };
	struct records leaves = { base + cut[0] * stride, cut[1] - cut[0], stride, 0, NULL };
	struct records acts = { base + cut[1] * stride, n - cut[1], stride, ACTION_COUNT,
				action_slots };
	if (breakdown_compute(&loads, names, min_visitors, sets ? &page_sets : NULL, &out->screen,
			      &out->nscreen) != LF_OK ||
	    breakdown_compute_site(&loads, names, min_visitors, sets ? &site_sets : NULL,
				   &out->site_screen, &out->nsite_screen) != LF_OK ||
	    engagement(&loads, &leaves, npages, names, min_visitors, session_timeout, sets,
		       out) != LF_OK ||
	    actions(&acts, names, min_visitors, sets, out) != LF_OK) {
		events_result_free(out);
		return LF_ERR_NOMEM;
	}
	return LF_OK;
}

void events_result_free(struct events_result *r)
{
	free(r->screen);
	free(r->site_screen);
	free(r->engagement);
	free(r->actions);
	memset(r, 0, sizeof(*r));
}

enum lf_status events_load_times(const unsigned char *base, size_t n, struct load_table *t)
{
	struct records rs = { base, n, events_stride(), EV_NVALS, NULL };
	for (size_t i = 0; i < n; i++) {
		const uint32_t *v = vals_at(&rs, i);
		const struct agg_pv *r = records_at(&rs, i);
		if (META_KIND(v[EV_META]) == HIT_LOAD && v[EV_NUM] != HIT_NO_LOAD_TIME &&
		    load_add(t, r->page, META_HOUR(v[EV_META]), v[EV_NUM], r->visitor) != LF_OK)
			return LF_ERR_NOMEM;
	}
	return LF_OK;
}
