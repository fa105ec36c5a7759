// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: running Lua in a state. The allocator with its memory cap, the
 * budget of each run (instructions, wall-clock time, interrupts) and what
 * luaconf.h calls for it, the stack probe, the message handler, the chunk
 * cache, an exec's chunk and a callback's call, and writing how a run
 * ended (lines.c writes the lines).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "klua.h"
#include "events.h"
#include "exec.h"
#include "hook.h"
#include "lines.h"
#include "lua/port.h"
#include "lauxlib.h"
#include "lstate.h"
#include "ldo.h"

/* Room kept beyond the output limit for the error line that reports it. */
#define KLUA_ERROR_ROOM	4096

static unsigned long klua_stack_probe(struct klua_state *s)
{
	unsigned long sp = current_stack_pointer, used = 0;

	if (s->stack_base > sp)
		used = s->stack_base - sp;
	if (used > s->stack_peak)
		s->stack_peak = used;
	return used;
}

int *klua_ccall_limit(lua_State *L)
{
	return &klua_state_of(L)->ccall_limit;
}

unsigned long klua_stack_used(lua_State *L)
{
	struct klua_state *s = klua_state_of(L);
	unsigned long used = klua_stack_probe(s);

	/*
	 * Lua reads the limit wherever C nests, so a chunk that caught the
	 * overflow (pcall, load) and went on is probed again near its base:
	 * then the error it may raise later is not the stack's.
	 */
	if (used >= KLUA_STACK_SOFT)
		s->stack_exceeded = true;
	else if (used < KLUA_STACK_SOFT / 2)
		s->stack_exceeded = false;
	return used;
}

/*
 * The allocator of every state. It never sleeps: a refusal is a Lua "not
 * enough memory" error, after which the state is still usable. The cap
 * counts what kmalloc really holds for each block, not what Lua asked for:
 * kmalloc rounds a request up to its cache's object size (or to pages), up
 * to twice as much. So a block is charged ksize() of it, which is also what
 * it gives back when freed or moved (krealloc may keep a block that shrinks
 * in its larger object); a request is checked before it is made against the
 * size kmalloc will round it to (Lua's osize is not needed).
 */
void *klua_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct klua_state *s = ud;
	size_t held = ptr ? ksize(ptr) : 0, need, reserve, got;
	void *p;

	if (nsize == 0) {
		kfree(ptr);
		s->mem_used -= held;
		atomic_long_sub(held, &klua_mem_total);
		return NULL;
	}
	klua_stack_probe(s);
	if (nsize > KMALLOC_MAX_SIZE)
		return NULL;
	need = kmalloc_size_roundup(nsize);
	reserve = need > held ? need - held : 0;
	if (reserve) {
		if (s->mem_used + reserve > s->mem_limit)
			return NULL;
		/* all states together: module parameter total_memory */
		if (atomic_long_add_return(reserve, &klua_mem_total) >
		    READ_ONCE(klua_total_memory)) {
			atomic_long_sub(reserve, &klua_mem_total);
			return NULL;
		}
	}
	/* __GFP_ACCOUNT: a run's active memory cgroup is its creator's */
	p = krealloc(ptr, nsize, GFP_NOWAIT | __GFP_NOWARN | __GFP_ACCOUNT);
	if (!p) {
		atomic_long_sub(reserve, &klua_mem_total);
		return NULL;
	}
	got = ksize(p);
	/* most often what was reserved: kmalloc_size_roundup told the truth */
	if (got != held + reserve)
		atomic_long_add((long)got - (long)held - (long)reserve, &klua_mem_total);
	s->mem_used = s->mem_used - held + got;
	if (s->mem_used > s->mem_peak)
		s->mem_peak = s->mem_used;
	return p;
}

/*
 * s->interrupt says which exec KLUA_CMD_INTERRUPT is for: none (0), any, or
 * the one sent from a netlink port (the port in the low 32 bits). Keeping
 * the target in the flag, rather than checking the port when the interrupt
 * comes, means one that races with the end of its exec cannot hit the next.
 */
#define KLUA_INTERRUPT_ANY	(1LL << 32)
#define KLUA_INTERRUPT_PORT	(2LL << 32)

static bool klua_interrupt_hits(struct klua_state *s)
{
	s64 target = atomic64_read(&s->interrupt);

	if (target == KLUA_INTERRUPT_ANY)
		return true;
	return target == (KLUA_INTERRUPT_PORT | s->exec_portid);
}

/* Notes how long the CPU has been held with bottom halves off, up to now. */
static void klua_hold_end(struct klua_state *s, u64 now)
{
	u64 held = now - s->hold_start;

	if (held > s->hold_peak_ns)
		WRITE_ONCE(s->hold_peak_ns, held);
}

/*
 * Room on the Lua stack for the error that a charge raises. A charge can
 * come where Lua has made no room yet (a call charged before its frame is
 * checked), and a message handler that is charged in turn raises again, one
 * level deeper each time: each level pushes its message and the handler.
 * Growing the stack here fails the Lua way (a memory error, or "stack
 * overflow" and then an error in error handling), without a push.
 */
#define KLUA_ERROR_SLOTS	8

static void klua_error_room(lua_State *L)
{
	if (L->stack_last - L->top <= KLUA_ERROR_SLOTS)
		luaD_growstack(L, KLUA_ERROR_SLOTS, 1);
}

/* Raises the "time" error: the run is past its wall-clock limit. */
static void klua_time_error(lua_State *L, u64 limit_ns)
{
	if (limit_ns % NSEC_PER_MSEC == 0)
		luaL_error(L, "time limit of %I ms exceeded", (lua_Integer)(limit_ns / NSEC_PER_MSEC));
	luaL_error(L, "time limit of %I us exceeded", (lua_Integer)(limit_ns / NSEC_PER_USEC));
}

/*
 * Called by klua_charge (luaconf.h) every KLUA_CHECK_STEP units and on every
 * charge once the budget is spent, the time is up or the run interrupted:
 * the error is sticky, so pcall can't hold it off.
 */
void klua_charge_slow(lua_State *L)
{
	struct klua_state *s = klua_state_of(L);
	u64 now = ktime_get_ns();

	klua_stack_probe(s);
	if (s->writing) {
		/* the outcome is written (klua_finish): bounded by its output */
		s->budget.left = KLUA_CHARGE_MAX;
		s->budget.check = KLUA_CHARGE_MAX - KLUA_CHECK_STEP;
		goto slice;
	}
	if (READ_ONCE(s->life) == KLUA_DYING)	/* what runs ends; not finalizers */
		s->interrupted = true;
	else if (s->out && klua_interrupt_hits(s))	/* only an exec is interrupted */
		s->interrupted = true;
	else if (s->cancel && READ_ONCE(*s->cancel))	/* its client went away */
		s->interrupted = true;
	if (s->interrupted || s->budget.left < 0 || now >= s->run_deadline)
		klua_error_room(L);
	if (s->interrupted) {
		s->budget.check = LLONG_MAX;
		luaL_error(L, READ_ONCE(s->life) != KLUA_LIVE ? "interrupted: the state is being destroyed" :
			   "interrupted");
	}
	if (s->budget.left < 0) {
		s->budget_exceeded = true;
		s->budget.check = LLONG_MAX;
		luaL_error(L, "instruction limit of %I exceeded", (lua_Integer)s->run_limit);
	}
	if (now >= s->run_deadline) {
		s->time_exceeded = true;
		s->budget.check = LLONG_MAX;
		klua_time_error(L, s->run_time_limit);
	}
	s->budget.check = max(s->budget.left - KLUA_CHECK_STEP, 0LL);
slice:
	if (s->exec_running && now - s->hold_start >= KLUA_HOLD_SLICE_NS) {
		/*
		 * An exec lets bottom halves run (and interrupts, in a
		 * HARDIRQ state), and the CPU go, after each
		 * slice: nothing else touches L meanwhile (hooks skip their
		 * event, destroy waits on exec_mutex). Hooks it stopped are
		 * freed there too, so that a loop of them stays within the
		 * state's memory.
		 */
		klua_hold_end(s, now);
		klua_unlock(s);
		klua_hooks_reap(s);	/* stopped hooks need process context */
		cond_resched();
		klua_lock(s);
		s->hold_start = ktime_get_ns();
	}
}

void klua_run_begin(struct klua_state *s, struct klua_buf *out)
{
	u64 time_limit = s->time_limit;

	s->run_limit = s->instr_limit;
	/*
	 * A run in softirq (a timer callback) holds its CPU until it ends:
	 * its budget and its time are capped.
	 */
	if (in_serving_softirq()) {
		s->run_limit = min_t(u64, s->run_limit,
				     max(READ_ONCE(klua_callback_instructions), 1UL));
		time_limit = min_t(u64, time_limit,
				   (u64)max(READ_ONCE(klua_callback_time_us), 1U) * NSEC_PER_USEC);
	}
	s->budget.left = s->run_limit;
	s->budget.check = max((long long)s->run_limit - KLUA_CHECK_STEP, 0LL);
	s->run_time_limit = time_limit;
	s->run_deadline = ktime_get_ns() + time_limit;
	s->budget_exceeded = false;
	s->time_exceeded = false;
	s->stack_exceeded = false;
	s->ccall_limit = 0;
	s->interrupted = false;
	s->out = out;
	s->out_lost = 0;
	s->stack_base = current_stack_pointer;
}

void klua_run_end(struct klua_state *s)
{
	s->out = NULL;
	s->stack_base = 0;
}

/*
 * The message handler of a run: turns the error value into a table
 * {message, traceback, chunk, line}. It runs where the error happened, so
 * the traceback is the one the user wants.
 */
static int klua_msgh(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	lua_Debug ar;
	int level;

	if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)",
				      luaL_typename(L, 1));
	lua_createtable(L, 0, 4);		/* push result */
	lua_pushstring(L, msg);
	lua_setfield(L, -2, "message");
	luaL_traceback(L, L, NULL, 1);
	lua_setfield(L, -2, "traceback");
	for (level = 1; lua_getstack(L, level, &ar); level++) {
		if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0)
			continue;
		lua_pushstring(L, ar.short_src);
		lua_setfield(L, -2, "chunk");
		lua_pushinteger(L, ar.currentline);
		lua_setfield(L, -2, "line");
		break;
	}
	return 1;
}

static const char *klua_error_kind(struct klua_state *s, int status)
{
	switch (status) {
	case LUA_ERRSYNTAX:
		return "syntax";
	case LUA_ERRMEM:
		return "memory";
	default:
		/* the cause first: a spent budget can end in a deep error cascade */
		if (s->interrupted)
			return "interrupted";
		if (s->time_exceeded)
			return "time";
		if (s->budget_exceeded)
			return "instructions";
		if (s->stack_exceeded)
			return "stack";
		if (status == LUA_ERRERR)
			return "error";
		return "runtime";
	}
}

/*
 * The message of the limit that ended the run, in buf; NULL if none did.
 * Such an error is sticky: once raised, every later charge raises it again.
 */
static const char *klua_cause(struct klua_state *s, char *buf, size_t size)
{
	if (s->interrupted)
		strscpy(buf, READ_ONCE(s->life) != KLUA_LIVE ? "interrupted: the state is being destroyed" :
			"interrupted", size);
	else if (s->time_exceeded && s->run_time_limit % NSEC_PER_MSEC == 0)
		snprintf(buf, size, "time limit of %llu ms exceeded",
			 s->run_time_limit / NSEC_PER_MSEC);
	else if (s->time_exceeded)
		snprintf(buf, size, "time limit of %llu us exceeded",
			 s->run_time_limit / NSEC_PER_USEC);
	else if (s->budget_exceeded)
		snprintf(buf, size, "instruction limit of %llu exceeded", s->run_limit);
	else
		return NULL;
	return buf;
}

/* What klua_write_outcome writes, and how it went. */
struct klua_outcome {
	struct klua_state *s;
	struct klua_buf *b;
	int status;		/* of the run */
	const char *kind;	/* of its error */
	const char *override;	/* NULL, or the message instead of the error's */
	int err;		/* of the write */
	bool json_error;	/* the values could not be encoded */
};

/*
 * Writes the outcome of a run to a->b: its values, or its error value, are
 * the arguments after the first (a). It runs protected, since reading the
 * error table and encoding the values may allocate.
 */
static int klua_write_outcome(lua_State *L)
{
	struct klua_outcome *a = lua_touserdata(L, 1);
	struct klua_state *s = a->s;
	struct klua_buf *b = a->b;
	const char *why = NULL;
	u64 mark = klua_buf_mark(b);
	int err;

	if (a->status == LUA_OK) {
		err = klua_write_result(s, b, 2, lua_gettop(L), &why);
		if (err) {
			klua_buf_rollback(b, mark);
			a->json_error = true;
			if (err == -ENOSPC && !why)
				why = "output larger than the limit";
			b->limit += KLUA_ERROR_ROOM;
			err = klua_write_error_message(s, b, "json", why ?: "out of memory");
			b->limit -= KLUA_ERROR_ROOM;
		}
	} else {
		b->limit += KLUA_ERROR_ROOM;
		err = klua_write_error(s, b, a->kind, a->override);
		if (err) {
			/* too long for the room left: the kind and a short message */
			klua_buf_rollback(b, mark);
			err = klua_write_error_message(s, b, a->kind,
							 "the error message was too long for the output");
		}
		b->limit -= KLUA_ERROR_ROOM;
	}
	a->err = err;
	return 0;
}

/*
 * Finishes a run whose outcome (status; values or an error value) is on the
 * stack above base: writes it to out, or to the event ring, then clears the
 * stack back to base.
 */
static int klua_finish(struct klua_state *s, struct klua_buf *out, int base,
		       int status)
{
	struct klua_outcome a = { .s = s, .b = out, .status = status };
	lua_State *L = s->L;
	size_t limit_saved;
	char limit[64];
	u64 mark;

	/* the cause, read before anything below probes the stack again */
	if (status != LUA_OK) {
		s->errors++;
		a.kind = klua_error_kind(s, status);
		if (!strcmp(a.kind, "stack")) {
			/* not for a memory error: a stale overflow that pcall caught */
			a.override = "C stack overflow: the chunk nests too deeply for the kernel stack";
		} else if ((status == LUA_ERRERR || lua_isnil(L, -1)) &&
			   klua_cause(s, limit, sizeof(limit))) {
			/* the handler failed too, or a pcall caught the error: the cause */
			a.override = limit;
		}
	}
	if (!out && status == LUA_OK)
		goto clear;		/* what a callback returns goes nowhere */
	if (!a.b)
		a.b = klua_events_begin(s);
	if (!a.b)
		goto clear;
	/*
	 * An exec's last lines (lost, outcome) may take its buffer's spare
	 * chunk: its client always learns how the run ended.
	 */
	a.b->use_spare = out;
	if (out && s->out_lost) {
		a.b->limit += KLUA_ERROR_ROOM;
		klua_write_lost(s, a.b, s->out_lost);
		a.b->limit -= KLUA_ERROR_ROOM;
	}
	mark = klua_buf_mark(a.b);
	limit_saved = a.b->limit;
	if (lua_checkstack(L, 2)) {
		/*
		 * The limits of the run do not apply to writing its outcome
		 * (json.c bounds that by the output limit), but its slices do.
		 */
		s->writing = true;
		s->budget.left = KLUA_CHARGE_MAX;
		s->budget.check = KLUA_CHARGE_MAX - KLUA_CHECK_STEP;
		lua_pushcfunction(L, klua_write_outcome);
		lua_insert(L, base + 1);
		lua_pushlightuserdata(L, &a);
		lua_insert(L, base + 2);
		if (lua_pcall(L, lua_gettop(L) - base - 1, 0, 0) != LUA_OK)
			a.err = -ENOMEM;
		s->writing = false;
	} else {
		a.err = -ENOMEM;
	}
	a.b->limit = limit_saved;	/* the writer may have ended with room lent */
	if (a.err == -ENOMEM) {
		/* no memory to write it with Lua: the kind alone */
		klua_buf_rollback(a.b, mark);
		a.b->limit += KLUA_ERROR_ROOM;
		a.err = klua_write_error_message(s, a.b, a.kind ?: "memory",
						   "out of memory while writing the outcome");
		a.b->limit -= KLUA_ERROR_ROOM;
		a.json_error = status == LUA_OK;
	}
	if (a.json_error)
		s->errors++;
	if (a.err)
		klua_buf_rollback(a.b, mark);
	a.b->use_spare = false;
	if (!out)
		klua_events_end(s, a.err);
clear:
	lua_settop(L, base);
	return status == LUA_OK ? 0 : 1;
}

/*
 * Calls the function below nargs arguments on the stack, under the lock,
 * within the state's budget. The outcome goes to out (an exec) or to the
 * state's events (a callback). Returns 0 if the call succeeded, 1 if it
 * raised an error; either way the outcome was reported.
 */
static noinline int klua_call_run(struct klua_state *s, int base,
				  struct klua_buf *out)
{
	struct klua_jmpbuf *outer = s->panic_jb;
	lua_State *L = s->L;
	struct klua_jmpbuf jb;
	u64 t0 = ktime_get_ns();
	int status, ret;

	if (klua_setjmp(&jb)) {
		/* klua_panic: the run ends here, not the kernel */
		s->panic_jb = outer;
		s->errors++;
		klua_run_end(s);
		lua_settop(L, base);
		return 1;
	}
	s->panic_jb = &jb;
	klua_run_begin(s, out);
	lua_pushcfunction(L, klua_msgh);
	lua_insert(L, base + 1);
	status = lua_pcall(L, lua_gettop(L) - base - 2, LUA_MULTRET, base + 1);
	lua_remove(L, base + 1);		/* the handler */
	if (status == LUA_OK && (s->interrupted || s->time_exceeded || s->budget_exceeded)) {
		/*
		 * A pcall caught the limit's error and nothing charged after it:
		 * the run still fails, with the cause (klua_finish names it).
		 */
		lua_settop(L, base);
		lua_pushnil(L);
		status = LUA_ERRRUN;
	}
	s->runs++;
	s->time_ns += ktime_get_ns() - t0;
	klua_run_end(s);
	ret = klua_finish(s, out, base, status);
	s->panic_jb = outer;
	return ret;
}

int klua_state_call(struct klua_state *s, int nargs, struct klua_buf *out)
{
	struct mem_cgroup *memcg = set_active_memcg(s->memcg);
	int ret;

	ret = klua_call_run(s, lua_gettop(s->L) - nargs - 1, out);
	set_active_memcg(memcg);
	return ret;
}

/*
 * Compiled chunks are kept per state, keyed by chunk name and source:
 * automation and the REPL send the same chunks again and again, and parsing
 * is most of the cost of a small one. The cache is a registry table that is
 * dropped whole when it fills.
 */
#define KLUA_CACHE_CHUNK_MAX	1024
#define KLUA_CACHE_ENTRIES	64
static const char klua_cache_key = 'c';

struct klua_load_args {
	const struct klua_code *chunk;
	int status;		/* of luaL_loadbufferx, if it failed */
};

/* Pushes the chunk's arguments above it; returns how many values that is. */
static int klua_push_args(lua_State *L, const struct klua_code *c)
{
	unsigned int i;

	luaL_checkstack(L, c->nargs, "too many arguments");
	for (i = 0; i < c->nargs; i++)
		lua_pushstring(L, c->args[i]);
	return 1 + c->nargs;
}

/*
 * Pushes the compiled chunk, then its arguments; protected, since building
 * the key and the arguments allocates.
 */
static int klua_load(lua_State *L)
{
	struct klua_load_args *a = lua_touserdata(L, 1);
	const struct klua_code *c = a->chunk;
	struct klua_state *s = klua_state_of(L);
	bool cacheable = c->len <= KLUA_CACHE_CHUNK_MAX;
	int cache = 2;		/* its stack index, above the argument */

	if (cacheable) {
		if (lua_rawgetp(L, LUA_REGISTRYINDEX, &klua_cache_key) != LUA_TTABLE ||
		    s->cached >= KLUA_CACHE_ENTRIES) {
			lua_pop(L, 1);
			lua_newtable(L);
			lua_pushvalue(L, -1);
			lua_rawsetp(L, LUA_REGISTRYINDEX, &klua_cache_key);
			s->cached = 0;
		}					/* push cache */
		lua_pushstring(L, c->name);
		lua_pushlstring(L, "\0", 1);
		lua_pushlstring(L, c->code, c->len);
		lua_concat(L, 3);			/* push key */
		lua_pushvalue(L, -1);
		if (lua_rawget(L, cache) == LUA_TFUNCTION)	/* push cache[key] */
			return klua_push_args(L, c);
		lua_pop(L, 1);				/* the key stays */
	}
	a->status = luaL_loadbufferx(L, c->code, c->len, c->name, "t");
	if (a->status != LUA_OK)
		return lua_error(L);
	if (cacheable) {
		lua_pushvalue(L, -2);			/* the key */
		lua_pushvalue(L, -2);			/* the chunk */
		lua_rawset(L, cache);			/* cache[key] = chunk */
		s->cached++;
	}
	return klua_push_args(L, c);
}

/*
 * Runs an exec's chunk (process context: klua's exec worker). It ends early
 * when *cancel becomes true (its client went away). Returns 0 or 1 as
 * klua_state_call does, or -ENOENT if the state is gone.
 */
int klua_state_exec(struct klua_state *s, const struct klua_code *chunk,
		    u32 portid, struct klua_buf *out, const bool *cancel)
{
	struct klua_load_args args = { chunk, LUA_OK };
	struct mem_cgroup *memcg;
	lua_State *L;
	int base, status, ret;

	/*
	 * A destroy may hold the mutex while the state's finalizers run (up to
	 * their time limit): wait killable, so that the wait does not count as
	 * a hung task.
	 */
	if (mutex_lock_killable(&s->exec_mutex))
		return -EINTR;
	klua_lock(s);
	if (s->life != KLUA_LIVE) {
		klua_unlock(s);
		mutex_unlock(&s->exec_mutex);
		return -ENOENT;
	}
	memcg = set_active_memcg(s->memcg);
	s->exec_running = true;
	s->exec_portid = portid;
	s->cancel = cancel;
	s->hold_start = ktime_get_ns();
	L = s->L;
	atomic64_set(&s->interrupt, 0);
	base = lua_gettop(L);
	klua_run_begin(s, out);
	lua_pushcfunction(L, klua_load);
	lua_pushlightuserdata(L, &args);
	status = lua_pcall(L, 1, LUA_MULTRET, 0);	/* the chunk and its arguments */
	if (status != LUA_OK) {
		if (args.status != LUA_OK)
			status = args.status;	/* syntax or memory */
		s->runs++;
		klua_run_end(s);
		ret = klua_finish(s, out, base, status);
	} else {
		ret = klua_state_call(s, chunk->nargs, out);
	}
	atomic64_set(&s->interrupt, 0);	/* an interrupt ends with its exec */
	s->cancel = NULL;
	s->exec_running = false;
	klua_hold_end(s, ktime_get_ns());
	set_active_memcg(memcg);
	klua_unlock(s);
	mutex_unlock(&s->exec_mutex);
	return ret;
}

/* The line of an exec that was interrupted before it ran. */
void klua_write_interrupted(struct klua_state *s, struct klua_buf *b)
{
	u64 mark = klua_buf_mark(b);

	b->use_spare = true;	/* the exec's last line */
	if (klua_write_error_message(s, b, "interrupted", "interrupted before it ran"))
		klua_buf_rollback(b, mark);
	b->use_spare = false;
}

/* Interrupts the running exec, or only the one sent from *portid. */
void klua_state_interrupt(struct klua_state *s, const u32 *portid)
{
	atomic64_set(&s->interrupt,
		     portid ? KLUA_INTERRUPT_PORT | *portid : KLUA_INTERRUPT_ANY);
}

/* Called from print(): one "print" line to the run's output or the events. */
int klua_emit_print(struct klua_state *s, const char *text, size_t len)
{
	struct klua_buf *b = s->out;
	u64 mark;
	int err;

	if (!b)
		b = klua_events_begin(s);
	if (!b)
		return 0;
	mark = klua_buf_mark(b);
	err = klua_write_print(s, b, text, len);
	if (err)
		klua_buf_rollback(b, mark);
	if (s->out) {
		if (err)
			s->out_lost++;
	} else {
		klua_events_end(s, err);
	}
	return 0;
}

/*
 * Lua's panic function: an error outside any protected call. klua makes
 * none (klua_finish writes protected), so this would be a bug: rather than
 * let Lua call abort(), the error unwinds to the entry of the run
 * (klua_state_call), which ends it.
 */
int klua_panic(lua_State *L)
{
	struct klua_state *s = klua_state_of(L);

	pr_err("state '%s': a Lua error outside a protected call ends the run\n", s->name);
	if (s->panic_jb)
		klua_longjmp(s->panic_jb);
	return 0;	/* unreachable in practice: abort() */
}
