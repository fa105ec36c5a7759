// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: named states, per network namespace. Their life: create, look up,
 * destroy, and what happens when their namespace or the module goes away.
 * Running Lua in them is run.c's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "klua.h"
#include "events.h"
#include "exec.h"
#include "hook.h"
#include "lua/port.h"
#include "lauxlib.h"

/* HARDIRQ states' locks are a lockdep class of their own. */
static struct lock_class_key klua_lock_hardirq_key;

void klua_lock(struct klua_state *s)
{
	klua_spin_lock_ctx(&s->lock, s->ctx, &s->lock_flags);
}

bool klua_trylock(struct klua_state *s)
{
	unsigned long flags;

	if (s->ctx == KLUA_CONTEXT_HARDIRQ) {
		if (!spin_trylock_irqsave(&s->lock, flags))
			return false;
		s->lock_flags = flags;
		return true;
	}
	return spin_trylock_bh(&s->lock);
}

void klua_unlock(struct klua_state *s)
{
	klua_spin_unlock_ctx(&s->lock, s->ctx, s->lock_flags);
}

struct klua_state *klua_state_of(lua_State *L)
{
	return *(struct klua_state **)lua_getextraspace(L);
}

bool klua_name_valid(const char *name)
{
	size_t i, len = strnlen(name, KLUA_NAME_MAX + 1);

	if (len == 0 || len > KLUA_NAME_MAX)
		return false;
	/* ASCII only: the kernel's isalnum() also takes Latin-1 letters */
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '_' && c != '.' && c != '-')
			return false;
	}
	return true;
}

static struct klua_state *klua_find(struct klua_net *kn, const char *name)
{
	struct klua_state *s;

	list_for_each_entry(s, &kn->states, node)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

static void klua_state_release(struct kref *ref)
{
	struct klua_state *s = container_of(ref, struct klua_state, ref);

	klua_events_free(s);
	mem_cgroup_put(s->memcg);
	kfree(s);
}

void klua_state_put(struct klua_state *s)
{
	kref_put(&s->ref, klua_state_release);
}

struct klua_state *klua_state_get(struct net *net, const char *name)
{
	struct klua_net *kn = klua_net(net);
	struct klua_state *s;

	mutex_lock(&kn->lock);
	s = klua_find(kn, name);
	if (s)
		kref_get(&s->ref);
	mutex_unlock(&kn->lock);
	return s;
}

int klua_state_create(struct net *net, const char *name, u64 mem_limit,
		      u64 instr_limit, u64 time_limit, enum klua_context ctx,
		      enum klua_create_refusal *why)
{
	struct klua_net *kn = klua_net(net);
	struct klua_state *s;
	lua_State *L;
	int err;

	/* luaconf.h's klua_charge_due finds the budget where the state begins */
	BUILD_BUG_ON(offsetof(struct klua_state, budget) != 0);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	kref_init(&s->ref);
	strscpy(s->name, name, sizeof(s->name));
	spin_lock_init(&s->lock);
	s->ctx = ctx;
	if (ctx == KLUA_CONTEXT_HARDIRQ)
		lockdep_set_class(&s->lock, &klua_lock_hardirq_key);
	mutex_init(&s->exec_mutex);
	klua_hooks_init(s);
	klua_exec_state_init(s);
	s->mem_limit = mem_limit;
	s->instr_limit = instr_limit;
	s->time_limit = time_limit;
	/* the creator's memory cgroup pays for the state, wherever it runs */
	if (current->mm)
		s->memcg = get_mem_cgroup_from_mm(current->mm);
	err = klua_events_init(s, net);
	if (err)
		goto err_free;

	L = lua_newstate(klua_alloc, s);
	if (!L) {
		*why = KLUA_CREATE_MEMORY_STATE;
		err = -ENOMEM;
		goto err_events;
	}
	*(struct klua_state **)lua_getextraspace(L) = s;
	lua_atpanic(L, klua_panic);
	s->L = L;
	klua_lock(s);
	klua_run_begin(s, NULL);
	lua_pushcfunction(L, klua_openlibs);
	err = lua_pcall(L, 0, 0, 0);
	klua_run_end(s);
	if (err)
		lua_pop(L, 1);
	klua_unlock(s);
	if (err) {
		*why = KLUA_CREATE_MEMORY_LIBS;
		err = -ENOMEM;
		goto err_close;
	}

	mutex_lock(&kn->lock);
	if (klua_find(kn, name)) {
		err = -EEXIST;
		*why = KLUA_CREATE_EXISTS;
	} else if (kn->count >= READ_ONCE(klua_max_states)) {
		err = -ENOSPC;
		*why = KLUA_CREATE_TOO_MANY;
	} else {
		list_add_tail(&s->node, &kn->states);
		kn->count++;
	}
	mutex_unlock(&kn->lock);
	if (err)
		goto err_close;
	return 0;

err_close:
	lua_close(L);
err_events:
	klua_events_free(s);
err_free:
	mem_cgroup_put(s->memcg);
	kfree(s);
	return err;
}

/*
 * Closes Lua in a killed state: its finalizers run within the state's
 * budget and time, in slices as an exec does (nothing else can reach L
 * now). Then the state's list reference goes; its memory goes with the
 * last reference.
 */
static void klua_state_close(struct klua_state *s)
{
	struct mem_cgroup *memcg;

	klua_lock(s);
	memcg = set_active_memcg(s->memcg);
	s->exec_running = true;
	s->hold_start = ktime_get_ns();
	klua_run_begin(s, NULL);
	lua_close(s->L);
	klua_run_end(s);
	s->exec_running = false;
	set_active_memcg(memcg);
	s->L = NULL;
	klua_unlock(s);
	klua_hooks_reap(s);
	klua_state_put(s);
}

static void klua_state_close_work(struct work_struct *work)
{
	klua_state_close(container_of(work, struct klua_state, close_work));
}

/*
 * Ends a state that is no longer listed: no new run can start, the queued
 * execs fail, the running one ends, hooks are stopped and waited for, and
 * event delivery is flushed with the end lines. Then Lua is closed: in
 * klua's worker if async (a DESTROY, which must not run finalizers in the
 * netlink receive path), else here (namespace exit and rmmod, which wait).
 */
static void klua_state_kill(struct klua_state *s, const char *reason, bool async)
{
	/* a running exec ends at its next budget check; no other starts */
	WRITE_ONCE(s->life, KLUA_DYING);
	klua_exec_cancel_all(s);
	mutex_lock(&s->exec_mutex);	/* waits for that exec */
	klua_lock(s);
	WRITE_ONCE(s->life, KLUA_DEAD);
	klua_unlock(s);
	mutex_unlock(&s->exec_mutex);
	klua_hooks_stop_all(s);
	klua_events_close(s, reason);
	if (async) {
		INIT_WORK(&s->close_work, klua_state_close_work);
		klua_queue_work(&s->close_work);
	} else {
		klua_state_close(s);
	}
}

int klua_state_destroy(struct net *net, const char *name)
{
	struct klua_net *kn = klua_net(net);
	struct klua_state *s;

	mutex_lock(&kn->lock);
	s = klua_find(kn, name);
	if (s) {
		list_del(&s->node);
		kn->count--;
	}
	mutex_unlock(&kn->lock);
	if (!s)
		return -ENOENT;
	klua_state_kill(s, "destroyed", true);
	return 0;
}

void klua_net_init(struct klua_net *kn)
{
	mutex_init(&kn->lock);
	INIT_LIST_HEAD(&kn->states);
	kn->count = 0;
}

void klua_net_exit(struct klua_net *kn)
{
	struct klua_state *s, *tmp;
	LIST_HEAD(dying);

	mutex_lock(&kn->lock);
	list_splice_init(&kn->states, &dying);
	kn->count = 0;
	mutex_unlock(&kn->lock);
	list_for_each_entry_safe(s, tmp, &dying, node) {
		list_del(&s->node);
		klua_state_kill(s, klua_unloading ? "unloaded" : "namespace", false);
	}
}

static unsigned int klua_net_id __read_mostly;

struct klua_net *klua_net(struct net *net)
{
	return net_generic(net, klua_net_id);
}

static int __net_init klua_net_init_one(struct net *net)
{
	klua_net_init(klua_net(net));
	return 0;
}

static void __net_exit klua_net_exit_one(struct net *net)
{
	klua_net_exit(klua_net(net));
}

struct pernet_operations klua_net_ops = {
	.init = klua_net_init_one,
	.exit = klua_net_exit_one,
	.id = &klua_net_id,
	.size = sizeof(struct klua_net),
};
