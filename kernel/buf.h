/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klua: a byte FIFO made of page-sized chunks. It holds NDJSON output: the
 * lines of one exec, or the events of a state waiting for their
 * subscribers. Writes never sleep (the gfp flags are the caller's), stop at
 * a limit on the bytes held, and can be taken back to a mark so that a line
 * is either written whole or not at all. The caller serialises access.
 *
 * The chunks are memory outside any Lua heap, so they are charged to a
 * memory cgroup (__GFP_ACCOUNT): to memcg if it is set (the caller holds a
 * reference for the buffer's life), else to the current task's, which is
 * none in softirq or in a kernel thread.
 */
#ifndef KLUA_BUF_H
#define KLUA_BUF_H

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/types.h>

#include "uapi/klua.h"

struct mem_cgroup;

#define KLUA_STATE_NAME_SIZE	(KLUA_NAME_MAX + 1)

struct klua_buf {
	struct list_head chunks;
	size_t held;		/* bytes written and not yet read */
	size_t limit;		/* most bytes held at once */
	u64 written;		/* bytes ever written: marks count in these */
	size_t head_off;	/* read offset in the first chunk */
	gfp_t gfp;
	struct mem_cgroup *memcg;	/* charged for the chunks; NULL: current's */
	struct klua_chunk *spare;	/* for the last lines: klua_buf_reserve */
	bool use_spare;			/* a write may take the spare */
};

void klua_buf_init(struct klua_buf *b, size_t limit, gfp_t gfp);
void klua_buf_free(struct klua_buf *b);
/*
 * Keeps one chunk aside, allocated now with gfp, for the lines that must
 * not be lost to a failed allocation (an exec's last lines): a write takes
 * it when kmalloc fails while use_spare is set. 0 or -ENOMEM.
 */
int klua_buf_reserve(struct klua_buf *b, gfp_t gfp);
/* Appends n bytes; 0, or -ENOSPC past the limit, or -ENOMEM. */
int klua_buf_write(struct klua_buf *b, const void *p, size_t n);
int klua_buf_puts(struct klua_buf *b, const char *s);
static inline u64 klua_buf_mark(const struct klua_buf *b)
{
	return b->written;
}
/* Drops what was written after the mark (a freed chunk may become the spare). */
void klua_buf_rollback(struct klua_buf *b, u64 mark);
/*
 * The bytes of the whole lines at the head that fit in max; *first is the
 * length of the first line (0 if no line is complete).
 */
size_t klua_buf_lines(const struct klua_buf *b, size_t max, size_t *first);
/* Moves up to max bytes out of the buffer; returns how many. */
size_t klua_buf_read(struct klua_buf *b, void *dst, size_t max);

#endif /* KLUA_BUF_H */
