/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klua: hooks, the kernel events a state's Lua functions are attached to.
 * Every kind (timer; netfilter, probes, XDP next) has the same shape: a
 * struct klua_hook inside the kind's own struct, on its state's list, with
 * the Lua callback in the registry and counters that `klua state list`
 * shows. The core (hook.c) keeps the lists, charges the memory, stops and
 * frees; nothing outside a kind's files names the kind.
 *
 * How to add a hook kind (the timer, hook_timer.c and ltimer.c, is the
 * worked example):
 *   1. kernel/hook_<kind>.c: a struct whose first member is a struct
 *      klua_hook, and a struct klua_hook_ops (below). Attach, from Lua under the state lock:
 *      allocate the struct with klua_hook_alloc(), set it up, klua_hook_add()
 *      it, then arm it (it may fire at once). The callback takes the state
 *      lock as its context allows, never waiting for it in softirq or
 *      hardirq, and calls klua_hook_push() and klua_hook_call(); a run it
 *      skips (the state was busy) counts with klua_hook_missed().
 *   2. kernel/l<kind>.c: its Lua library; the handle keeps the hook's id,
 *      and h:stop() is klua_hook_stop().
 *   3. A line in klua_hook_kinds[] (hook.c), which klua_openlibs (lbase.c)
 *      opens the libraries of, and the file names in Kbuild.
 *
 * Life of a hook: attached (on s->hooks) -> stopped by h:stop(), by a
 * one-shot hook that fired, or by its state's end (ops->stop, under the
 * state lock: no run starts after it; it leaves s->hooks at once) ->
 * released in process context without the state lock (ops->release:
 * unregister from the kernel and wait for a callback that still runs) ->
 * freed. Unregistering always comes before freeing.
 */
#ifndef KLUA_HOOK_H
#define KLUA_HOOK_H

#include <linux/list.h>
#include <linux/types.h>

#include "klua.h"

/* Hooks of all kinds a state may have at once; each kind may allow fewer. */
#define KLUA_MAX_HOOKS		64
/* Room for a hook's target in `klua state list` ("every 100 ms"). */
#define KLUA_HOOK_TARGET_SIZE	64

struct klua_hook;

struct klua_hook_ops {
	const char *kind;		/* "timer": `state list` shows it */
	const char *plural;		/* "timers", for messages */
	enum klua_context ctx;		/* the most demanding context it fires in */
	unsigned int max;		/* at most this many a state (<= KLUA_MAX_HOOKS) */
	/* Under the state lock, never sleeps: no new run starts after it. */
	void (*stop)(struct klua_hook *h);
	/*
	 * Process context, without the state lock: unregister, and wait for
	 * a callback that is still running. Then the core frees the hook.
	 */
	void (*release)(struct klua_hook *h);
	/* What it is attached to, for `state list`; a NUL-terminated string. */
	void (*describe)(const struct klua_hook *h, char *buf, size_t size);
};

struct klua_hook {
	struct list_head node;		/* s->hooks or s->hooks_stopped, under both locks */
	const struct klua_hook_ops *ops;
	struct klua_state *state;
	unsigned int id;		/* the handle's, unique in the module */
	int fn_ref;			/* the callback, in the registry */
	bool stopped;			/* under the state lock */
	size_t size;			/* charged to the state's memory */
	/* written under the state lock, read without it */
	u64 runs;			/* callbacks that ran */
	u64 errors;			/* of those, the ones that raised an error */
	u64 missed;			/* events the callback did not run for (busy) */
};

void klua_hooks_init(struct klua_state *s);
/*
 * A kind's struct of size bytes, which begins with its struct klua_hook,
 * zeroed and charged to the state's memory; NULL if that is full or memory
 * is short. Under the state lock (GFP_NOWAIT).
 */
struct klua_hook *klua_hook_alloc(struct klua_state *s, size_t size);
/* Frees a hook that klua_hook_add() refused or that was never added. */
void klua_hook_free_unadded(struct klua_hook *h);
/*
 * Puts h on its state's list with the callback fn_ref (a registry
 * reference it then owns) and sets h->id: 0, or -ENOSPC (ops->max hooks
 * of its kind), -EMFILE (KLUA_MAX_HOOKS in all), -ESHUTDOWN (the state is
 * being destroyed), -EPERM (the kind fires in a context the state's lock
 * is not for); on failure the caller still owns fn_ref and h. Under the
 * state lock.
 */
int klua_hook_add(struct klua_hook *h, const struct klua_hook_ops *ops, int fn_ref);
/* Stops the hook with this id: true if it was running. Under the state lock. */
bool klua_hook_stop(struct klua_state *s, unsigned int id);
/* Stops h (a one-shot hook that fired). Under the state lock. */
void klua_hook_retire(struct klua_hook *h);
/* Pushes h's callback; the caller pushes its arguments above it. */
void klua_hook_push(struct klua_hook *h);
/*
 * Calls the callback pushed by klua_hook_push with the nargs arguments
 * above it, within the state's callback limits, and counts the run. Under
 * the state lock, which the caller took as its context allows. Returns 0,
 * or 1 if it raised an error (which is reported as an event).
 */
int klua_hook_call(struct klua_hook *h, int nargs);
/* Raises the Lua error that a failed attach (its errno) means. */
int klua_hook_raise(lua_State *L, int err, const struct klua_hook_ops *ops);
/* A run skipped because the state was busy. */
static inline void klua_hook_missed(struct klua_hook *h)
{
	WRITE_ONCE(h->missed, h->missed + 1);
}
/* Hooks of this state now; of ops's kind only if ops is not NULL. */
unsigned int klua_hooks_count(struct klua_state *s, const struct klua_hook_ops *ops);
/* Frees the stopped hooks: process context, without the state lock. */
void klua_hooks_reap(struct klua_state *s);
/* Stops and frees every hook of a dead state; process context. */
void klua_hooks_stop_all(struct klua_state *s);

/* What `state list` shows of one hook. */
struct klua_hook_info {
	unsigned int id;
	const char *kind;
	char target[KLUA_HOOK_TARGET_SIZE];
	u64 runs, errors, missed;
};
/*
 * The first hook of s whose id is at least min_id (a state's hooks are in
 * the order of their ids): true and *info set, or false if there is none.
 * Takes only s->hooks_lock, so a long run does not hold up a listing.
 */
bool klua_hook_info(struct klua_state *s, unsigned int min_id, struct klua_hook_info *info);

/* A kind of hook: its ops and its Lua library. */
struct klua_hook_kind {
	const struct klua_hook_ops *ops;
	const char *lib;		/* the library's global name */
	lua_CFunction luaopen;
};
/* Every kind (hook.c); ends with an entry whose ops is NULL. */
extern const struct klua_hook_kind klua_hook_kinds[];

extern const struct klua_hook_ops klua_timer_ops;	/* hook_timer.c */

#endif /* KLUA_HOOK_H */
