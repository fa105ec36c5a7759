// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: the chunked byte FIFO of buf.h.
 */
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "buf.h"

struct klua_chunk {
	struct list_head node;
	size_t len;
	char data[];
};

#define KLUA_CHUNK_SIZE	(PAGE_SIZE - sizeof(struct klua_chunk))

void klua_buf_init(struct klua_buf *b, size_t limit, gfp_t gfp)
{
	INIT_LIST_HEAD(&b->chunks);
	b->held = 0;
	b->limit = limit;
	b->written = 0;
	b->head_off = 0;
	b->gfp = gfp;
	b->memcg = NULL;
	b->spare = NULL;
	b->use_spare = false;
}

int klua_buf_reserve(struct klua_buf *b, gfp_t gfp)
{
	if (!b->spare)
		b->spare = kmalloc(PAGE_SIZE, gfp | __GFP_ACCOUNT | __GFP_NOWARN);
	return b->spare ? 0 : -ENOMEM;
}

/*
 * A new chunk, charged to b->memcg: set as the active memcg, which in
 * softirq is the only one that __GFP_ACCOUNT charges.
 */
static struct klua_chunk *klua_chunk_alloc(struct klua_buf *b)
{
	struct mem_cgroup *old = NULL;
	struct klua_chunk *c;

	if (b->memcg)
		old = set_active_memcg(b->memcg);
	c = kmalloc(PAGE_SIZE, b->gfp | __GFP_ACCOUNT | __GFP_NOWARN);
	if (b->memcg)
		set_active_memcg(old);
	if (!c && b->use_spare) {
		c = b->spare;
		b->spare = NULL;
	}
	return c;
}

/*
 * A chunk no longer used: the spare again if the last lines took it (only
 * they may; a buffer without a reservation keeps nothing).
 */
static void klua_chunk_free(struct klua_buf *b, struct klua_chunk *c)
{
	if (b->use_spare && !b->spare)
		b->spare = c;
	else
		kfree(c);
}

void klua_buf_free(struct klua_buf *b)
{
	struct klua_chunk *c, *tmp;

	list_for_each_entry_safe(c, tmp, &b->chunks, node) {
		list_del(&c->node);
		kfree(c);
	}
	kfree(b->spare);
	b->spare = NULL;
	b->held = 0;
	b->head_off = 0;
}

int klua_buf_write(struct klua_buf *b, const void *p, size_t n)
{
	const char *src = p;

	/* held may be beyond a limit that was raised for a line and restored */
	if (b->held > b->limit || n > b->limit - b->held)
		return -ENOSPC;
	while (n) {
		struct klua_chunk *c = NULL;
		size_t room, k;

		if (!list_empty(&b->chunks))
			c = list_last_entry(&b->chunks, struct klua_chunk, node);
		if (!c || c->len == KLUA_CHUNK_SIZE) {
			c = klua_chunk_alloc(b);
			if (!c)
				return -ENOMEM;
			c->len = 0;
			list_add_tail(&c->node, &b->chunks);
		}
		room = KLUA_CHUNK_SIZE - c->len;
		k = min(room, n);
		memcpy(c->data + c->len, src, k);
		c->len += k;
		src += k;
		n -= k;
		b->held += k;
		b->written += k;
	}
	return 0;
}

int klua_buf_puts(struct klua_buf *b, const char *s)
{
	return klua_buf_write(b, s, strlen(s));
}

void klua_buf_rollback(struct klua_buf *b, u64 mark)
{
	size_t drop = b->written - mark;

	if (WARN_ON_ONCE(mark > b->written || drop > b->held))
		return;
	while (drop) {
		struct klua_chunk *c = list_last_entry(&b->chunks,
						       struct klua_chunk, node);
		size_t k = min(drop, c->len);

		c->len -= k;
		drop -= k;
		b->held -= k;
		b->written -= k;
		if (!c->len) {
			list_del(&c->node);
			klua_chunk_free(b, c);
			if (list_empty(&b->chunks))
				b->head_off = 0;
		}
	}
}

size_t klua_buf_lines(const struct klua_buf *b, size_t max, size_t *first)
{
	const struct klua_chunk *c;
	size_t seen = 0, fit = 0, off = b->head_off;

	*first = 0;
	list_for_each_entry(c, &b->chunks, node) {
		const char *p = c->data + off, *end = c->data + c->len;

		for (; p < end; p++) {
			seen++;
			if (*p != '\n')
				continue;
			if (!*first)
				*first = seen;
			if (seen > max)
				return fit;
			fit = seen;
		}
		off = 0;
	}
	return fit;
}

size_t klua_buf_read(struct klua_buf *b, void *dst, size_t max)
{
	char *out = dst;
	size_t done = 0;

	while (done < max && b->held) {
		struct klua_chunk *c = list_first_entry(&b->chunks,
							struct klua_chunk, node);
		size_t k = min(c->len - b->head_off, max - done);

		memcpy(out + done, c->data + b->head_off, k);
		done += k;
		b->head_off += k;
		b->held -= k;
		if (b->head_off == c->len) {
			list_del(&c->node);
			kfree(c);
			b->head_off = 0;
		}
	}
	return done;
}
