/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klua: execs, queued per state and run by a worker (exec.c). The netlink
 * dump of an exec waits for it to be done, then reads its output.
 */
#ifndef KLUA_EXEC_H
#define KLUA_EXEC_H

#include <linux/types.h>

struct klua_state;
struct klua_code;
struct klua_buf;
struct klua_exec;

int klua_exec_init(void);
void klua_exec_exit(void);
void klua_exec_state_init(struct klua_state *s);

/* A copy of the chunk, for s, from a netlink port; NULL without memory. */
struct klua_exec *klua_exec_new(struct klua_state *s, const struct klua_code *c,
				u32 portid);
int klua_exec_queue(struct klua_exec *e);
bool klua_exec_wait(struct klua_exec *e);
bool klua_exec_done(const struct klua_exec *e);
int klua_exec_error(const struct klua_exec *e);
struct klua_buf *klua_exec_output(struct klua_exec *e);
void klua_exec_put(struct klua_exec *e);
void klua_exec_abandon(struct klua_exec *e);

void klua_exec_interrupt_queued(struct klua_state *s, u32 portid);
void klua_exec_cancel_all(struct klua_state *s);

#endif /* KLUA_EXEC_H */
