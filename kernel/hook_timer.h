/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klua: timer hooks. A timer calls a Lua function of its state every period
 * (or once) in softirq context. Its output and errors are the state's
 * events.
 */
#ifndef KLUA_HOOK_TIMER_H
#define KLUA_HOOK_TIMER_H

#include "hook.h"

#define KLUA_MAX_TIMERS		64
#define KLUA_TIMER_MIN_MS	1
#define KLUA_TIMER_MAX_MS	(24 * 3600 * 1000)

/*
 * Attaches the callback fn_ref (a registry reference it owns from then on,
 * also on failure) to a new timer; 0 and *id, or -ENOSPC, -ESHUTDOWN,
 * -ENOMEM. Called from Lua, with the state lock held.
 */
int klua_timer_attach(struct klua_state *s, int fn_ref, unsigned int ms,
		      bool periodic, unsigned int *id);

#endif /* KLUA_HOOK_TIMER_H */
