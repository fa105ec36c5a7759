/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klua: timer hooks. A timer calls a Lua function of its state every period
 * (or once) in softirq context. Its output and errors are the state's
 * events.
 */
#ifndef KLUA_HOOK_TIMER_H
#define KLUA_HOOK_TIMER_H

#include <linux/timer.h>

#include "klua.h"

#define KLUA_MAX_TIMERS		64
#define KLUA_TIMER_MIN_MS	1
#define KLUA_TIMER_MAX_MS	(24 * 3600 * 1000)

struct klua_timer {
	struct list_head node;		/* in klua_state.timers, under its lock */
	struct timer_list timer;
	struct klua_state *state;
	unsigned int id;
	int fn_ref;			/* the callback, in the registry */
	unsigned long period;		/* jiffies; 0 for a one-shot timer */
	bool stopped;
};

/* Both are called with the state lock held, from Lua. */
int klua_timer_attach(struct klua_state *s, int fn_ref, unsigned int ms,
		      bool periodic, unsigned int *id);
bool klua_timer_detach(struct klua_state *s, unsigned int id);

#endif /* KLUA_HOOK_TIMER_H */
