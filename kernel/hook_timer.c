// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: timer hooks (see hook_timer.h). A timer is built completely before
 * it is armed, because it may fire at once. Detaching only marks it and
 * deletes it without waiting (the caller holds the state lock, which the
 * callback takes); the memory is reclaimed later from process context,
 * after timer_shutdown_sync().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/slab.h>

#include "hook_timer.h"
#include "lauxlib.h"

static void klua_timer_fire(struct timer_list *t)
{
	struct klua_timer *kt = from_timer(kt, t, timer);
	struct klua_state *s = kt->state;
	unsigned long next;
	u64 t0;

	/*
	 * A busy state (an exec may run for a while) skips this tick rather
	 * than spin in softirq until it is free.
	 */
	if (!spin_trylock(&s->lock)) {
		mod_timer(&kt->timer, jiffies + max(kt->period, 1UL));
		return;
	}
	if (s->dead || kt->stopped)
		goto out;
	if (s->exec_running) {	/* an exec let go of the lock for a moment */
		mod_timer(&kt->timer, jiffies + max(kt->period, 1UL));
		goto out;
	}
	t0 = ktime_get_ns();
	lua_rawgeti(s->L, LUA_REGISTRYINDEX, kt->fn_ref);	/* push the callback */
	klua_state_call(s, 0, NULL);
	if (kt->stopped || s->dead)	/* the callback may stop its own timer */
		goto out;
	if (!kt->period) {
		kt->stopped = true;
		luaL_unref(s->L, LUA_REGISTRYINDEX, kt->fn_ref);
		s->ntimers--;
		goto out;
	}
	/* Leave the CPU at least as long again as the callback took. */
	next = max(kt->period, nsecs_to_jiffies(2 * (ktime_get_ns() - t0)));
	mod_timer(&kt->timer, jiffies + next);
out:
	spin_unlock(&s->lock);
}

int klua_timer_attach(struct klua_state *s, int fn_ref, unsigned int ms,
		      bool periodic, unsigned int *id)
{
	static atomic_t next_id = ATOMIC_INIT(0);
	struct klua_timer *kt;

	if (s->dead)		/* a finalizer running while the state closes */
		return -ESHUTDOWN;
	if (s->ntimers >= KLUA_MAX_TIMERS)
		return -ENOSPC;
	kt = kzalloc(sizeof(*kt), GFP_NOWAIT | __GFP_NOWARN);
	if (!kt)
		return -ENOMEM;
	kt->state = s;
	kt->id = atomic_inc_return(&next_id);
	kt->fn_ref = fn_ref;
	kt->period = periodic ? max(1UL, msecs_to_jiffies(ms)) : 0;
	timer_setup(&kt->timer, klua_timer_fire, 0);
	list_add_tail(&kt->node, &s->timers);
	s->ntimers++;
	*id = kt->id;
	mod_timer(&kt->timer, jiffies + max(1UL, msecs_to_jiffies(ms)));
	return 0;
}

bool klua_timer_detach(struct klua_state *s, unsigned int id)
{
	struct klua_timer *kt;

	list_for_each_entry(kt, &s->timers, node) {
		if (kt->id != id || kt->stopped)
			continue;
		kt->stopped = true;
		del_timer(&kt->timer);
		luaL_unref(s->L, LUA_REGISTRYINDEX, kt->fn_ref);
		s->ntimers--;
		return true;
	}
	return false;
}

/* Frees the timers on the list: none can be armed again, so wait and free. */
static void klua_timers_free(struct list_head *list)
{
	struct klua_timer *kt, *tmp;

	list_for_each_entry_safe(kt, tmp, list, node) {
		timer_shutdown_sync(&kt->timer);
		list_del(&kt->node);
		kfree(kt);
	}
}

/* Reclaims stopped timers; process context, without the state lock. */
void klua_timers_reap(struct klua_state *s)
{
	struct klua_timer *kt, *tmp;
	LIST_HEAD(stopped);

	klua_lock(s);
	list_for_each_entry_safe(kt, tmp, &s->timers, node)
		if (kt->stopped)
			list_move_tail(&kt->node, &stopped);
	klua_unlock(s);
	klua_timers_free(&stopped);
}

/* Stops every timer of a dead state and waits for running callbacks. */
void klua_timers_stop_all(struct klua_state *s)
{
	LIST_HEAD(all);

	klua_lock(s);
	list_splice_init(&s->timers, &all);
	s->ntimers = 0;
	klua_unlock(s);
	klua_timers_free(&all);
}
