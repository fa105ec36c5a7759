// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: the hooks of a state, of every kind (hook.h). A hook that stops
 * leaves the state's list of hooks at once, so that list holds at most
 * KLUA_MAX_HOOKS; it waits on the list of stopped hooks for the state's
 * reap work, which releases it (unregisters it and waits for its callback)
 * and frees it in process context: whoever stops it holds the state lock,
 * which the callback takes, so it can't wait there. A hook's memory counts
 * in its state's memory until it is freed.
 *
 * Both lists change under the state lock and, nested in it, hooks_lock,
 * which is all that a listing takes. hooks_lock is always taken with
 * interrupts off: a hook in hardirq may stop itself.
 */
#include <linux/slab.h>

#include "hook.h"
#include "lauxlib.h"

const struct klua_hook_kind klua_hook_kinds[] = {
	{ &klua_timer_ops, "timer", luaopen_timer },
	{ NULL, NULL, NULL },
};

static atomic_t klua_hook_next_id = ATOMIC_INIT(0);

static void klua_hooks_reap_work(struct work_struct *work);

void klua_hooks_init(struct klua_state *s)
{
	spin_lock_init(&s->hooks_lock);
	INIT_LIST_HEAD(&s->hooks);
	INIT_LIST_HEAD(&s->hooks_stopped);
	INIT_WORK(&s->hooks_reap, klua_hooks_reap_work);
}

struct klua_hook *klua_hook_alloc(struct klua_state *s, size_t size)
{
	struct klua_hook *h;

	h = kzalloc(size, GFP_NOWAIT | __GFP_NOWARN | __GFP_ACCOUNT);
	if (!h)
		return NULL;
	h->size = ksize(h);
	if (s->mem_used + h->size > s->mem_limit) {
		kfree(h);
		return NULL;
	}
	s->mem_used += h->size;
	h->state = s;
	h->fn_ref = LUA_NOREF;
	INIT_LIST_HEAD(&h->node);
	return h;
}

void klua_hook_free_unadded(struct klua_hook *h)
{
	h->state->mem_used -= h->size;
	kfree(h);
}

unsigned int klua_hooks_count(struct klua_state *s, const struct klua_hook_ops *ops)
{
	struct klua_hook *h;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&s->hooks_lock, flags);
	list_for_each_entry(h, &s->hooks, node)
		if (!ops || h->ops == ops)
			n++;
	spin_unlock_irqrestore(&s->hooks_lock, flags);
	return n;
}

int klua_hook_add(struct klua_hook *h, const struct klua_hook_ops *ops, int fn_ref)
{
	struct klua_state *s = h->state;
	unsigned int all = 0, kind = 0;
	struct klua_hook *o;
	unsigned long flags;

	if (s->life == KLUA_DEAD)	/* a finalizer running while the state closes */
		return -ESHUTDOWN;
	if (ops->ctx > s->ctx)	/* its lock would not be safe there */
		return -EPERM;
	list_for_each_entry(o, &s->hooks, node) {
		all++;
		kind += o->ops == ops;
	}
	if (kind >= ops->max)
		return -ENOSPC;
	if (all >= KLUA_MAX_HOOKS)
		return -EMFILE;
	h->ops = ops;
	h->fn_ref = fn_ref;
	h->id = atomic_inc_return(&klua_hook_next_id);
	spin_lock_irqsave(&s->hooks_lock, flags);
	list_add_tail(&h->node, &s->hooks);
	spin_unlock_irqrestore(&s->hooks_lock, flags);
	return 0;
}

void klua_hook_retire(struct klua_hook *h)
{
	struct klua_state *s = h->state;
	unsigned long flags;

	h->stopped = true;
	h->ops->stop(h);
	luaL_unref(s->L, LUA_REGISTRYINDEX, h->fn_ref);
	h->fn_ref = LUA_NOREF;
	spin_lock_irqsave(&s->hooks_lock, flags);
	list_move_tail(&h->node, &s->hooks_stopped);
	spin_unlock_irqrestore(&s->hooks_lock, flags);
	kref_get(&s->ref);			/* the work's */
	if (!klua_queue_work(&s->hooks_reap))
		klua_state_put(s);		/* not the last: the caller has one */
}

bool klua_hook_stop(struct klua_state *s, unsigned int id)
{
	struct klua_hook *h;

	list_for_each_entry(h, &s->hooks, node) {
		if (h->id == id) {
			klua_hook_retire(h);
			return true;
		}
	}
	return false;
}

void klua_hook_push(struct klua_hook *h)
{
	lua_rawgeti(h->state->L, LUA_REGISTRYINDEX, h->fn_ref);
}

int klua_hook_call(struct klua_hook *h, int nargs)
{
	int ret = klua_state_call(h->state, nargs, NULL);

	WRITE_ONCE(h->runs, h->runs + 1);
	if (ret)
		WRITE_ONCE(h->errors, h->errors + 1);
	return ret;
}

/* Releases and frees the hooks on the list, which no one else can reach. */
static void klua_hooks_free(struct klua_state *s, struct list_head *list)
{
	struct klua_hook *h, *tmp;
	size_t freed = 0;

	list_for_each_entry_safe(h, tmp, list, node) {
		h->ops->release(h);
		list_del(&h->node);
		freed += h->size;
		kfree(h);
	}
	klua_lock(s);
	s->mem_used -= freed;
	klua_unlock(s);
}

/* The hooks on s's stopped list, moved to list; under the state lock. */
static void klua_hooks_take_stopped(struct klua_state *s, struct list_head *list)
{
	unsigned long flags;

	spin_lock_irqsave(&s->hooks_lock, flags);
	list_splice_init(&s->hooks_stopped, list);
	spin_unlock_irqrestore(&s->hooks_lock, flags);
}

void klua_hooks_reap(struct klua_state *s)
{
	LIST_HEAD(stopped);

	klua_lock(s);
	klua_hooks_take_stopped(s, &stopped);
	klua_unlock(s);
	klua_hooks_free(s, &stopped);
}

/* The state's reap work: holds a reference to the state while queued. */
static void klua_hooks_reap_work(struct work_struct *work)
{
	struct klua_state *s = container_of(work, struct klua_state, hooks_reap);

	klua_hooks_reap(s);
	klua_state_put(s);
}

void klua_hooks_stop_all(struct klua_state *s)
{
	struct klua_hook *h;
	unsigned long flags;
	LIST_HEAD(all);

	klua_lock(s);
	list_for_each_entry(h, &s->hooks, node) {
		h->stopped = true;
		h->ops->stop(h);
	}
	spin_lock_irqsave(&s->hooks_lock, flags);
	list_splice_init(&s->hooks, &all);
	list_splice_tail_init(&s->hooks_stopped, &all);
	spin_unlock_irqrestore(&s->hooks_lock, flags);
	klua_unlock(s);
	klua_hooks_free(s, &all);
}

bool klua_hook_info(struct klua_state *s, unsigned int min_id, struct klua_hook_info *info)
{
	struct klua_hook *h;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&s->hooks_lock, flags);
	list_for_each_entry(h, &s->hooks, node) {
		if (h->id < min_id)
			continue;
		info->id = h->id;
		info->kind = h->ops->kind;
		h->ops->describe(h, info->target, sizeof(info->target));
		info->runs = READ_ONCE(h->runs);
		info->errors = READ_ONCE(h->errors);
		info->missed = READ_ONCE(h->missed);
		found = true;
		break;
	}
	spin_unlock_irqrestore(&s->hooks_lock, flags);
	return found;
}

int klua_hook_raise(lua_State *L, int err, const struct klua_hook_ops *ops)
{
	switch (err) {
	case -ENOSPC:
		return luaL_error(L, "too many %s (at most %d a state)", ops->plural, ops->max);
	case -EMFILE:
		return luaL_error(L, "too many hooks (at most %d a state)", KLUA_MAX_HOOKS);
	case -ESHUTDOWN:
		return luaL_error(L, "the state is being destroyed");
	case -EPERM:
		return luaL_error(L, "%s fire in hardirq: this state is for softirq "
				  "(create it with --context hardirq)", ops->plural);
	default:
		return luaL_error(L, "not enough memory");
	}
}
