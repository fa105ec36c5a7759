/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klua: what the parts of the module share. A named state is a Lua state
 * with a memory cap, an instruction budget per invocation, counters, its
 * hooks (hook.h) and its event buffer. States live in the network
 * namespace of the socket that created them.
 *
 * Locking: a state's hooks may fire in softirq, or in any context (its
 * ctx, chosen at creation: enum klua_context), so its lock is a spinlock
 * that klua_lock takes with bottom halves off (SOFTIRQ) or interrupts off
 * (HARDIRQ), and the allocator never sleeps. A hook's callback never waits
 * for the lock: klua_trylock, and a busy state makes it miss its event.
 * Each mode has its own lockdep class (a state's mode never changes). The
 * locks that nest inside the state lock follow the same mode (the event
 * ring's lock) or are always taken with interrupts off (hooks_lock).
 * Lookups hold klua_net.lock (a mutex) and take a reference; the state
 * lock then serialises everything that touches the Lua state.
 * Execs run in klua's exec worker (exec.c), never in the netlink receive
 * path; they also hold exec_mutex and set exec_running: then they let go of
 * the spinlock after every slice of KLUA_HOLD_SLICE_NS, so that bottom
 * halves (and interrupts) run and the CPU can reschedule, since hooks skip
 * their event while an exec runs and destroy takes exec_mutex. Counters
 * are read without the lock.
 *
 * Time: every run has a wall-clock limit (time_limit; less for a callback
 * in softirq), checked where the budget is charged (klua_charge_slow).
 */
#ifndef KLUA_H
#define KLUA_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "lua.h"
#include "buf.h"

/* An exec holds its CPU with bottom halves off for at most about this long. */
#define KLUA_HOLD_SLICE_NS	(500 * NSEC_PER_USEC)

struct mem_cgroup;
struct klua_jmpbuf;

struct klua_net {
	struct mutex lock;		/* protects states */
	struct list_head states;
	unsigned int count;
};

/*
 * A state's life: LIVE, then DYING once it is no longer listed (destroy,
 * its namespace or the module going away: the running exec ends at its
 * next charge, no other starts, and hooks stop), then DEAD once no exec can
 * run (its finalizers still run, in klua_state_close, and L goes).
 */
enum klua_life {
	KLUA_LIVE,
	KLUA_DYING,
	KLUA_DEAD,
};

struct klua_state {
	struct klua_budget budget;	/* first: luaconf.h's klua_charge reads it */
	struct list_head node;		/* in klua_net.states */
	struct kref ref;
	char name[KLUA_STATE_NAME_SIZE];

	spinlock_t lock;		/* serialises all use of L */
	enum klua_context ctx;		/* how it is taken (klua_lock); set at creation */
	unsigned long lock_flags;	/* the holder's interrupt state (HARDIRQ) */
	struct mutex exec_mutex;	/* serialises execs and destroy */
	bool exec_running;		/* under lock: hooks keep off L */
	lua_State *L;			/* NULL once destroyed */
	enum klua_life life;		/* written under lock, read with READ_ONCE */

	/* limits */
	size_t mem_limit;
	u64 instr_limit;
	u64 time_limit;			/* ns of wall-clock time a run may take */
	struct mem_cgroup *memcg;	/* the creator's: pays for the state */

	/* execs waiting for the state (exec.c) */
	spinlock_t exec_qlock;		/* exec_queue, exec_queued */
	struct list_head exec_queue;
	unsigned int exec_queued;
	struct work_struct exec_work;

	/* the run in progress, under lock */
	u64 run_limit;			/* its budget: instr_limit, less for a callback */
	u64 run_time_limit;		/* its time: time_limit, less for a callback */
	u64 run_deadline;		/* ktime_get_ns() when it must end */
	u64 hold_start;			/* an exec's slice began (klua_charge_slow) */
	const bool *cancel;		/* an exec ends when this becomes true */
	struct klua_jmpbuf *panic_jb;	/* where klua_panic ends the run */
	bool budget_exceeded;
	bool time_exceeded;
	bool writing;			/* klua_finish writes the outcome */
	bool stack_exceeded;		/* the run reached KLUA_STACK_SOFT */
	int ccall_limit;		/* latched there (lua/port.c) */
	u32 exec_portid;		/* the netlink port that sent the exec */
	atomic64_t interrupt;		/* KLUA_CMD_INTERRUPT: whom (run.c) */
	bool interrupted;
	unsigned long stack_base;
	struct klua_buf *out;		/* where print() goes; NULL: the event ring */
	u64 out_lost;			/* print lines that did not fit in out */

	/* counters, under lock */
	size_t mem_used;
	size_t mem_peak;
	u64 runs;
	u64 errors;
	u64 time_ns;
	u64 stack_peak;
	u64 hold_peak_ns;		/* longest stretch a run held its CPU, BH off */
	unsigned int cached;		/* compiled chunks in the cache */

	/* hooks of every kind (hook.c) */
	spinlock_t hooks_lock;		/* the two lists; nests in lock */
	struct list_head hooks;		/* attached, in the order of their ids */
	struct list_head hooks_stopped;	/* to release and free */
	struct work_struct hooks_reap;	/* does that */
	struct work_struct close_work;	/* closes Lua after a DESTROY */

	struct klua_events *events;
};

/* module parameters (main.c) */
extern unsigned long klua_default_memory;
extern unsigned long klua_max_memory;
extern unsigned long klua_default_instructions;
extern unsigned long klua_max_instructions;
extern unsigned long klua_callback_instructions;
extern unsigned int klua_default_time_ms;
extern unsigned int klua_max_time_ms;
extern unsigned int klua_callback_time_us;
extern unsigned long klua_total_memory;
extern atomic_long_t klua_mem_total;	/* Lua heap of all states, bytes */
extern unsigned int klua_max_states;
extern unsigned long klua_max_output;
extern unsigned int klua_max_chunk;
extern unsigned int klua_event_buffer;
extern bool klua_unloading;		/* set while the module goes away */

/* state.c: the states' life, per network namespace */
extern struct pernet_operations klua_net_ops;
struct klua_net *klua_net(struct net *net);
void klua_net_init(struct klua_net *kn);
void klua_net_exit(struct klua_net *kn);
bool klua_name_valid(const char *name);
/* Why klua_state_create refused a state; its caller words the message. */
enum klua_create_refusal {
	KLUA_CREATE_OTHER,		/* the error number says it all */
	KLUA_CREATE_MEMORY_STATE,	/* the memory limit cannot hold a Lua state */
	KLUA_CREATE_MEMORY_LIBS,	/* ... or not its libraries */
	KLUA_CREATE_EXISTS,		/* the name is taken in this namespace */
	KLUA_CREATE_TOO_MANY,		/* max_states */
};
int klua_state_create(struct net *net, const char *name, u64 mem_limit,
		      u64 instr_limit, u64 time_limit, enum klua_context ctx,
		      enum klua_create_refusal *why);
int klua_state_destroy(struct net *net, const char *name);
struct klua_state *klua_state_get(struct net *net, const char *name);
void klua_state_put(struct klua_state *s);
struct klua_state *klua_state_of(lua_State *L);
/*
 * A spinlock taken as a state's ctx says (see the top of this file): with
 * bottom halves off, or with interrupts off (their state in *flags). For the
 * state lock and the locks that follow its mode.
 */
static inline void klua_spin_lock_ctx(spinlock_t *lock, enum klua_context ctx,
				      unsigned long *flags)
{
	unsigned long f;

	if (ctx == KLUA_CONTEXT_HARDIRQ) {
		spin_lock_irqsave(lock, f);
		*flags = f;
	} else {
		spin_lock_bh(lock);
	}
}

static inline void klua_spin_unlock_ctx(spinlock_t *lock, enum klua_context ctx,
					unsigned long flags)
{
	if (ctx == KLUA_CONTEXT_HARDIRQ)
		spin_unlock_irqrestore(lock, flags);
	else
		spin_unlock_bh(lock);
}

/* The state lock, as its ctx says (see the top of this file). */
void klua_lock(struct klua_state *s) __acquires(&s->lock);
void klua_unlock(struct klua_state *s) __releases(&s->lock);
/* For callbacks, which never wait: true if it took the lock. */
bool klua_trylock(struct klua_state *s) __cond_acquires(&s->lock);

/* run.c: running Lua in a state */
/* A chunk for klua_state_exec: Lua text, its name, and its arguments (...). */
struct klua_code {
	const char *code;
	size_t len;
	const char *name;
	const char **args;	/* nargs NUL-terminated strings */
	unsigned int nargs;
};

int klua_state_exec(struct klua_state *s, const struct klua_code *chunk,
		    u32 portid, struct klua_buf *out, const bool *cancel);
void klua_state_interrupt(struct klua_state *s, const u32 *portid);
int klua_state_call(struct klua_state *s, int nargs, struct klua_buf *out);
/* the limits of a run, set and cleared around any use of L */
void klua_run_begin(struct klua_state *s, struct klua_buf *out);
void klua_run_end(struct klua_state *s);
int klua_panic(lua_State *L);
/* print() writes a line to the run's output, or to the events */
int klua_emit_print(struct klua_state *s, const char *text, size_t len);
void klua_write_interrupted(struct klua_state *s, struct klua_buf *b);

/* lbase.c, lmath.c, and the hooks' libraries (ltimer.c) */
int klua_openlibs(lua_State *L);
int luaopen_kmath(lua_State *L);
int luaopen_timer(lua_State *L);

/* exec.c: klua's workqueue (unbound), drained at module exit */
bool klua_queue_work(struct work_struct *work);

#endif /* KLUA_H */
