// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: timer hooks (see hook_timer.h). A timer is built completely before
 * it is armed, because it may fire at once. A timer that stops (t:stop(),
 * or a one-shot timer that fired) leaves the state's list of active timers
 * at once, so that list holds at most KLUA_MAX_TIMERS; it waits on the
 * list of stopped timers for the state's reap work, which frees it from
 * process context after timer_shutdown_sync() (the caller holds the state
 * lock, which the callback takes, so it can't wait there). A timer's
 * memory counts in its state's memory until it is freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/slab.h>

#include "hook_timer.h"
#include "lauxlib.h"

/*
 * Moves a timer that stopped to the stopped list and has the reap work
 * free it. Under the state lock.
 */
static void klua_timer_retire(struct klua_state *s, struct klua_timer *kt)
{
	kt->stopped = true;
	luaL_unref(s->L, LUA_REGISTRYINDEX, kt->fn_ref);
	list_move_tail(&kt->node, &s->timers_stopped);
	s->ntimers--;
	kref_get(&s->ref);			/* the work's */
	if (!klua_queue_work(&s->timer_reap))
		klua_state_put(s);		/* not the last: the caller has one */
}

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
		klua_timer_retire(s, kt);
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
	kt = kzalloc(sizeof(*kt), GFP_NOWAIT | __GFP_NOWARN | __GFP_ACCOUNT);
	if (!kt)
		return -ENOMEM;
	if (s->mem_used + ksize(kt) > s->mem_limit) {
		kfree(kt);
		return -ENOMEM;
	}
	s->mem_used += ksize(kt);
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

/* At most KLUA_MAX_TIMERS on the list: stopped timers leave it. */
bool klua_timer_detach(struct klua_state *s, unsigned int id)
{
	struct klua_timer *kt;

	list_for_each_entry(kt, &s->timers, node) {
		if (kt->id != id)
			continue;
		del_timer(&kt->timer);
		klua_timer_retire(s, kt);
		return true;
	}
	return false;
}

/* Frees the timers on the list: none can be armed again, so wait and free. */
static void klua_timers_free(struct klua_state *s, struct list_head *list)
{
	struct klua_timer *kt, *tmp;
	size_t freed = 0;

	list_for_each_entry_safe(kt, tmp, list, node) {
		timer_shutdown_sync(&kt->timer);
		list_del(&kt->node);
		freed += ksize(kt);
		kfree(kt);
	}
	klua_lock(s);
	s->mem_used -= freed;
	klua_unlock(s);
}

/* Frees the stopped timers; process context, without the state lock. */
void klua_timers_reap(struct klua_state *s)
{
	LIST_HEAD(stopped);

	klua_lock(s);
	list_splice_init(&s->timers_stopped, &stopped);
	klua_unlock(s);
	klua_timers_free(s, &stopped);
}

/* The state's reap work: holds a reference to the state while queued. */
static void klua_timers_reap_work(struct work_struct *work)
{
	struct klua_state *s = container_of(work, struct klua_state, timer_reap);

	klua_timers_reap(s);
	klua_state_put(s);
}

void klua_timers_init(struct klua_state *s)
{
	INIT_LIST_HEAD(&s->timers);
	INIT_LIST_HEAD(&s->timers_stopped);
	INIT_WORK(&s->timer_reap, klua_timers_reap_work);
}

/* Stops every timer of a dead state and waits for running callbacks. */
void klua_timers_stop_all(struct klua_state *s)
{
	LIST_HEAD(all);

	klua_lock(s);
	list_splice_init(&s->timers, &all);
	list_splice_init(&s->timers_stopped, &all);
	s->ntimers = 0;
	klua_unlock(s);
	klua_timers_free(s, &all);
}
