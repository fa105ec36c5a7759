// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: timer hooks (see hook_timer.h), the worked example of a hook kind
 * (hook.h). A timer is built completely before it is armed, because it may
 * fire at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/timer.h>

#include "hook_timer.h"
#include "lauxlib.h"

struct klua_timer {
	struct klua_hook hook;		/* first: hook.c frees the whole */
	struct timer_list timer;
	unsigned int ms;		/* as asked */
	unsigned long period;		/* jiffies; 0 for a one-shot timer */
};

static struct klua_timer *klua_timer_of(const struct klua_hook *h)
{
	return container_of(h, struct klua_timer, hook);
}

static void klua_timer_fire(struct timer_list *t)
{
	struct klua_timer *kt = from_timer(kt, t, timer);
	struct klua_hook *h = &kt->hook;
	struct klua_state *s = h->state;
	unsigned long next;
	u64 t0;

	/*
	 * A busy state (an exec may run for a while) misses this tick rather
	 * than spin in softirq until it is free.
	 */
	if (!klua_trylock(s)) {
		klua_hook_missed(h);
		mod_timer(&kt->timer, jiffies + max(kt->period, 1UL));
		return;
	}
	if (s->life == KLUA_DEAD || h->stopped)
		goto out;
	if (s->exec_running) {	/* an exec let go of the lock for a moment */
		klua_hook_missed(h);
		mod_timer(&kt->timer, jiffies + max(kt->period, 1UL));
		goto out;
	}
	t0 = ktime_get_ns();
	klua_hook_push(h);
	klua_hook_call(h, 0);
	if (h->stopped || s->life == KLUA_DEAD)	/* the callback may stop its own timer */
		goto out;
	if (!kt->period) {
		klua_hook_retire(h);
		goto out;
	}
	/* Leave the CPU at least as long again as the callback took. */
	next = max(kt->period, nsecs_to_jiffies(2 * (ktime_get_ns() - t0)));
	mod_timer(&kt->timer, jiffies + next);
out:
	klua_unlock(s);
}

/* Under the state lock: the timer may be running on another CPU, waiting. */
static void klua_timer_stop(struct klua_hook *h)
{
	del_timer(&klua_timer_of(h)->timer);
}

/* Waits for a callback that still runs; none can arm the timer again. */
static void klua_timer_release(struct klua_hook *h)
{
	timer_shutdown_sync(&klua_timer_of(h)->timer);
}

static void klua_timer_describe(const struct klua_hook *h, char *buf, size_t size)
{
	const struct klua_timer *kt = klua_timer_of(h);

	snprintf(buf, size, "%s %u ms", kt->period ? "every" : "after", kt->ms);
}

const struct klua_hook_ops klua_timer_ops = {
	.kind = "timer",
	.plural = "timers",
	.ctx = KLUA_CONTEXT_SOFTIRQ,
	.max = KLUA_MAX_TIMERS,
	.stop = klua_timer_stop,
	.release = klua_timer_release,
	.describe = klua_timer_describe,
};

int klua_timer_attach(struct klua_state *s, int fn_ref, unsigned int ms,
		      bool periodic, unsigned int *id)
{
	struct klua_hook *h;
	struct klua_timer *kt;
	int err;

	BUILD_BUG_ON(offsetof(struct klua_timer, hook) != 0);
	h = klua_hook_alloc(s, sizeof(*kt));
	if (!h) {
		luaL_unref(s->L, LUA_REGISTRYINDEX, fn_ref);
		return -ENOMEM;
	}
	kt = klua_timer_of(h);
	kt->ms = ms;
	kt->period = periodic ? max(1UL, msecs_to_jiffies(ms)) : 0;
	timer_setup(&kt->timer, klua_timer_fire, 0);
	err = klua_hook_add(h, &klua_timer_ops, fn_ref);
	if (err) {
		luaL_unref(s->L, LUA_REGISTRYINDEX, fn_ref);
		klua_hook_free_unadded(h);
		return err;
	}
	*id = h->id;
	mod_timer(&kt->timer, jiffies + max(1UL, msecs_to_jiffies(ms)));
	return 0;
}
