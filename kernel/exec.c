// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: execs, off the netlink path. KLUA_CMD_EXEC's start callback copies
 * the request into a struct klua_exec and queues it on its state; the
 * state's work item runs the queue in order on klua's workqueue, so no chunk
 * runs inside generic netlink's receive path (which holds the lock that
 * every family's registration takes). The dump callback, in the reading
 * task, waits for its exec to end, then hands out the output.
 *
 * An exec has two references: its dump's and, while queued or running, the
 * worker's. A client that goes away (its socket closes) abandons its exec:
 * queued, it is dropped; running, it ends at its next budget check.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "klua.h"
#include "exec.h"

/* Execs that may wait for a state at once; more are refused (-EBUSY). */
#define KLUA_EXEC_QUEUE_MAX	64

static struct workqueue_struct *klua_wq;

struct klua_exec {
	struct kref ref;
	struct list_head node;		/* in state->exec_queue, while queued */
	struct klua_state *state;	/* a reference */
	u32 portid;			/* the netlink port that sent it */
	struct klua_code chunk;		/* points into this allocation */
	struct klua_buf out;		/* its NDJSON output, once done */
	int err;			/* 0, or -errno: it could not run */
	bool done;			/* out and err are final (release/acquire) */
	bool abandoned;			/* its client went away: end it */
	wait_queue_head_t wait;
	char data[];			/* code, argument pointers, argument strings */
};

static void klua_exec_release(struct kref *ref)
{
	struct klua_exec *e = container_of(ref, struct klua_exec, ref);

	klua_buf_free(&e->out);
	klua_state_put(e->state);
	kvfree(e);
}

void klua_exec_put(struct klua_exec *e)
{
	kref_put(&e->ref, klua_exec_release);
}

/* Ends an exec that will not run again: its dump may read it now. */
static void klua_exec_finish(struct klua_exec *e, int err)
{
	e->err = err;
	smp_store_release(&e->done, true);
	wake_up_all(&e->wait);
}

bool klua_exec_done(const struct klua_exec *e)
{
	return smp_load_acquire(&e->done);
}

int klua_exec_error(const struct klua_exec *e)
{
	return e->err;
}

struct klua_buf *klua_exec_output(struct klua_exec *e)
{
	return &e->out;
}

/*
 * A copy of the request, in one allocation charged to the sender's memory
 * cgroup: the chunk outlives the netlink message that carried it.
 */
struct klua_exec *klua_exec_new(struct klua_state *s, const struct klua_code *c,
				u32 portid)
{
	size_t name_len = strlen(c->name) + 1, size, args_len = 0;
	struct klua_exec *e;
	unsigned int i;
	char *p;

	for (i = 0; i < c->nargs; i++)
		args_len += strlen(c->args[i]) + 1;
	size = sizeof(*e) + c->len + name_len + c->nargs * sizeof(char *) + args_len;
	e = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	kref_init(&e->ref);
	INIT_LIST_HEAD(&e->node);
	init_waitqueue_head(&e->wait);
	kref_get(&s->ref);
	e->state = s;
	e->portid = portid;
	klua_buf_init(&e->out, READ_ONCE(klua_max_output), GFP_NOWAIT | __GFP_ACCOUNT);
	/* the exec's last line is written even when memory runs out */
	if (klua_buf_reserve(&e->out, GFP_KERNEL_ACCOUNT)) {
		klua_exec_put(e);
		return NULL;
	}

	/* the argument pointers first: they need their alignment */
	p = e->data;
	e->chunk.args = (const char **)p;
	e->chunk.nargs = c->nargs;
	p += c->nargs * sizeof(char *);
	e->chunk.code = memcpy(p, c->code, c->len);
	e->chunk.len = c->len;
	p += c->len;
	e->chunk.name = memcpy(p, c->name, name_len);
	p += name_len;
	for (i = 0; i < c->nargs; i++) {
		size_t n = strlen(c->args[i]) + 1;

		e->chunk.args[i] = memcpy(p, c->args[i], n);
		p += n;
	}
	return e;
}

/* The next queued exec, taken off the queue; NULL when it is empty. */
static struct klua_exec *klua_exec_next(struct klua_state *s)
{
	struct klua_exec *e;

	spin_lock(&s->exec_qlock);
	e = list_first_entry_or_null(&s->exec_queue, struct klua_exec, node);
	if (e) {
		list_del_init(&e->node);
		s->exec_queued--;
	}
	spin_unlock(&s->exec_qlock);
	return e;
}

/*
 * The state's work item: runs its queued execs in order. Each run takes
 * the state's exec_mutex, as destroy does; the queue holds the worker's
 * reference to each exec, and the work its reference to the state.
 */
static void klua_exec_work(struct work_struct *work)
{
	struct klua_state *s = container_of(work, struct klua_state, exec_work);
	struct klua_exec *e;

	while ((e = klua_exec_next(s))) {
		int err = klua_state_exec(s, &e->chunk, e->portid, &e->out,
					  &e->abandoned);

		klua_exec_finish(e, err < 0 ? err : 0);
		klua_exec_put(e);
	}
	klua_state_put(s);
}

void klua_exec_state_init(struct klua_state *s)
{
	spin_lock_init(&s->exec_qlock);
	INIT_LIST_HEAD(&s->exec_queue);
	INIT_WORK(&s->exec_work, klua_exec_work);
}

/* Queues e on its state: 0, -ENOENT (the state is going away) or -EBUSY. */
int klua_exec_queue(struct klua_exec *e)
{
	struct klua_state *s = e->state;
	int err = 0;

	spin_lock(&s->exec_qlock);
	if (READ_ONCE(s->life) != KLUA_LIVE) {
		err = -ENOENT;
	} else if (s->exec_queued >= KLUA_EXEC_QUEUE_MAX) {
		err = -EBUSY;
	} else {
		kref_get(&e->ref);		/* the worker's */
		list_add_tail(&e->node, &s->exec_queue);
		s->exec_queued++;
		kref_get(&s->ref);		/* the work's, if it was idle */
		if (!klua_queue_work(&s->exec_work))
			klua_state_put(s);	/* not the last: e holds one */
	}
	spin_unlock(&s->exec_qlock);
	return err;
}

/*
 * Waits until e is done or a signal comes (then the caller returns to user
 * space for it and is called again). True when done.
 */
bool klua_exec_wait(struct klua_exec *e)
{
	return !wait_event_interruptible(e->wait, klua_exec_done(e));
}

/* Takes e off its queue if it is still there; true if it was. */
static bool klua_exec_dequeue(struct klua_exec *e)
{
	struct klua_state *s = e->state;
	bool queued;

	spin_lock(&s->exec_qlock);
	queued = !list_empty(&e->node);
	if (queued) {
		list_del_init(&e->node);
		s->exec_queued--;
	}
	spin_unlock(&s->exec_qlock);
	return queued;
}

/*
 * The client is gone (its dump is done): a queued exec never runs, a
 * running one is interrupted. Drops the dump's reference.
 */
void klua_exec_abandon(struct klua_exec *e)
{
	WRITE_ONCE(e->abandoned, true);		/* the run checks it */
	if (!klua_exec_done(e) && klua_exec_dequeue(e)) {
		klua_exec_finish(e, -ECANCELED);
		klua_exec_put(e);		/* the worker's */
	}
	klua_exec_put(e);
}

/*
 * KLUA_CMD_INTERRUPT for a port also ends that port's queued execs: they
 * end with the "interrupted" error line without running.
 */
void klua_exec_interrupt_queued(struct klua_state *s, u32 portid)
{
	struct klua_exec *e, *tmp;
	LIST_HEAD(cancelled);

	spin_lock(&s->exec_qlock);
	list_for_each_entry_safe(e, tmp, &s->exec_queue, node) {
		if (e->portid != portid)
			continue;
		list_move_tail(&e->node, &cancelled);
		s->exec_queued--;
	}
	spin_unlock(&s->exec_qlock);
	list_for_each_entry_safe(e, tmp, &cancelled, node) {
		list_del_init(&e->node);
		klua_write_interrupted(s, &e->out);
		klua_exec_finish(e, 0);
		klua_exec_put(e);
	}
}

/* Destroy: the queued execs end with -ENOENT; no new one is queued. */
void klua_exec_cancel_all(struct klua_state *s)
{
	struct klua_exec *e, *tmp;
	LIST_HEAD(cancelled);

	spin_lock(&s->exec_qlock);
	list_splice_init(&s->exec_queue, &cancelled);
	s->exec_queued = 0;
	spin_unlock(&s->exec_qlock);
	list_for_each_entry_safe(e, tmp, &cancelled, node) {
		list_del_init(&e->node);
		klua_exec_finish(e, -ENOENT);
		klua_exec_put(e);
	}
}

int klua_exec_init(void)
{
	/*
	 * Unbound: a long exec must not hold up a CPU's other work items.
	 * WQ_SYSFS: an admin may choose its CPUs in
	 * /sys/bus/workqueue/devices/klua/cpumask (away from packet work).
	 */
	klua_wq = alloc_workqueue("klua", WQ_UNBOUND | WQ_SYSFS, 0);
	return klua_wq ? 0 : -ENOMEM;
}

bool klua_queue_work(struct work_struct *work)
{
	return queue_work(klua_wq, work);
}

/* Module exit, after every state is gone: waits for the last work items. */
void klua_exec_exit(void)
{
	destroy_workqueue(klua_wq);
}
