// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: event buffering and delivery (see events.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "klua.h"
#include "events.h"
#include "lines.h"
#include "netlink.h"

#define KLUA_MAX_SUBSCRIBERS	16
#define KLUA_LOST_ROOM		256
/* A subscriber's last message: its lost line and the end line. */
#define KLUA_LAST_SIZE		(2 * KLUA_FIXED_LINE_SIZE)

/*
 * A subscriber is a socket, not a port id: a closing socket lets its port
 * id go before NETLINK_URELEASE tells klua_events_release() (and a socket
 * that closes while its state is being destroyed is not found there at
 * all), and another socket may bind that port id meanwhile. So a
 * subscriber holds its socket, and events are queued on that socket itself
 * (klua_sock_queue), never sent to whichever socket holds the port id.
 */
struct klua_subscriber {
	struct list_head node;
	struct sock *sk;	/* the socket that subscribed, held */
	u32 portid;		/* its port id, for UNSUBSCRIBE and URELEASE */
	u64 lost;		/* lines this socket could not take */
};

/*
 * A "lost" line in the ring stands for the lines it counts: each has a
 * record, so that a message that a subscriber can't take is counted in its
 * lost line by what its lines stand for, without reading them back.
 */
struct klua_lost_mark {
	struct list_head node;
	u64 end;		/* the ring's mark after the lost line */
	u64 count;		/* the lines it stands for */
};

struct klua_events {
	struct klua_state *state;
	struct net *net;		/* the state's namespace, which outlives it */
	struct mem_cgroup *memcg;	/* the creator's, charged for what is here */

	spinlock_t lock;		/* ring, lost, stopped; nests in the state lock */
	unsigned long lock_flags;	/* the holder's interrupt state (HARDIRQ) */
	struct klua_buf ring;
	struct list_head lost_marks;	/* of the lost lines in the ring, oldest first */
	u64 lost;			/* lines dropped since the last one that fit */
	u64 lost_total;
	bool stopped;
	/* between klua_events_begin and klua_events_end */
	u64 mark;			/* the ring before this line and its lost line */
	struct klua_lost_mark *lost_mark;	/* of that lost line, if any */
	size_t lent;			/* limit lent to this line: its lost line's bytes */
	bool refuse;			/* the lost line did not fit: nor does this one */

	struct mutex sub_lock;		/* subscribers, closing */
	struct list_head subscribers;
	unsigned int nsubscribers;
	bool closing;			/* the end lines are sent: no new subscriber */

	struct work_struct work;
};

static void klua_events_work(struct work_struct *work);

/*
 * The ring's lock is taken as its state's lock is (klua.h): with bottom
 * halves off, or with interrupts off in a HARDIRQ state, whose callbacks
 * may print in hardirq. Those are a lockdep class of their own.
 */
static struct lock_class_key klua_events_hardirq_key;

static void klua_ev_lock(struct klua_events *ev) __acquires(&ev->lock)
{
	klua_spin_lock_ctx(&ev->lock, ev->state->ctx, &ev->lock_flags);
}

static void klua_ev_unlock(struct klua_events *ev) __releases(&ev->lock)
{
	klua_spin_unlock_ctx(&ev->lock, ev->state->ctx, ev->lock_flags);
}

/*
 * Memory for a state's events is charged to the memory cgroup of the task
 * that created the state, wherever it is allocated: set as the active
 * memcg, which __GFP_ACCOUNT charges in process context and in softirq.
 * Another task (a subscriber, a destroy) may be the one allocating: at the
 * cgroup's limit the allocation fails rather than reclaim or OOM there.
 */
static void *klua_events_alloc(struct klua_events *ev, size_t size, gfp_t gfp)
{
	struct mem_cgroup *old = set_active_memcg(ev->memcg);
	void *p = kzalloc(size, gfp | __GFP_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN);

	set_active_memcg(old);
	return p;
}

/* In the creating task's context: its memory cgroup is charged from now on. */
int klua_events_init(struct klua_state *s, struct net *net)
{
	struct klua_events *ev = kzalloc(sizeof(*ev), GFP_KERNEL_ACCOUNT);

	if (!ev)
		return -ENOMEM;
	ev->state = s;
	ev->net = net;
	ev->memcg = get_mem_cgroup_from_mm(current->mm);
	spin_lock_init(&ev->lock);
	if (s->ctx == KLUA_CONTEXT_HARDIRQ)
		lockdep_set_class(&ev->lock, &klua_events_hardirq_key);
	klua_buf_init(&ev->ring, READ_ONCE(klua_event_buffer), GFP_NOWAIT);
	ev->ring.memcg = ev->memcg;
	INIT_LIST_HEAD(&ev->lost_marks);
	mutex_init(&ev->sub_lock);
	INIT_LIST_HEAD(&ev->subscribers);
	INIT_WORK(&ev->work, klua_events_work);
	s->events = ev;
	return 0;
}

static void klua_events_stop(struct klua_events *ev)
{
	klua_ev_lock(ev);
	ev->stopped = true;
	klua_ev_unlock(ev);
	cancel_work_sync(&ev->work);
}

static void klua_sub_free(struct klua_events *ev, struct klua_subscriber *sub)
{
	list_del(&sub->node);
	sock_put(sub->sk);
	kfree(sub);
	WRITE_ONCE(ev->nsubscribers, ev->nsubscribers - 1);
}

void klua_events_free(struct klua_state *s)
{
	struct klua_events *ev = s->events;
	struct klua_subscriber *sub, *tmp;
	struct klua_lost_mark *m, *mtmp;

	if (!ev)
		return;
	cancel_work_sync(&ev->work);
	list_for_each_entry_safe(sub, tmp, &ev->subscribers, node)
		klua_sub_free(ev, sub);
	list_for_each_entry_safe(m, mtmp, &ev->lost_marks, node)
		kfree(m);
	klua_buf_free(&ev->ring);
	mem_cgroup_put(ev->memcg);
	kfree(ev);
	s->events = NULL;
}

/*
 * Writes the ring's lost line, with its record; under ev->lock, with
 * KLUA_LOST_ROOM lent. NULL, and the ring as it was, if either did not fit.
 */
static struct klua_lost_mark *klua_events_write_lost(struct klua_events *ev)
{
	struct klua_lost_mark *m;
	int err;

	m = klua_events_alloc(ev, sizeof(*m), GFP_NOWAIT);
	if (!m)
		return NULL;
	ev->ring.limit += KLUA_LOST_ROOM;
	err = klua_write_lost(ev->state, &ev->ring, ev->lost);	/* whole or not at all */
	ev->ring.limit -= KLUA_LOST_ROOM;
	if (err) {
		kfree(m);
		return NULL;
	}
	m->end = klua_buf_mark(&ev->ring);
	m->count = ev->lost;
	list_add_tail(&m->node, &ev->lost_marks);
	return m;
}

/*
 * Lines lost since the last line that fit are told in a "lost" line just
 * before the next one that fits, so that a subscriber sees the loss where it
 * happened. It takes KLUA_LOST_ROOM beyond the limit, and its bytes are lent
 * to the line after it, which has the room it would have had without it.
 */
struct klua_buf *klua_events_begin(struct klua_state *s)
{
	struct klua_events *ev = s->events;

	klua_ev_lock(ev);
	if (ev->stopped) {
		klua_ev_unlock(ev);
		return NULL;
	}
	ev->mark = klua_buf_mark(&ev->ring);
	ev->lent = 0;
	ev->refuse = false;
	ev->lost_mark = NULL;
	if (ev->lost) {
		ev->lost_mark = klua_events_write_lost(ev);
		ev->refuse = !ev->lost_mark;
		ev->lent = klua_buf_mark(&ev->ring) - ev->mark;
		ev->ring.limit += ev->lent;
	}
	return &ev->ring;
}

/* Schedules delivery unless stopped; under ev->lock, so stop can't miss it. */
static void klua_events_kick(struct klua_events *ev)
{
	lockdep_assert_held(&ev->lock);
	if (!ev->stopped && READ_ONCE(ev->nsubscribers))
		schedule_work(&ev->work);
}

void klua_events_end(struct klua_state *s, int err)
{
	struct klua_events *ev = s->events;

	ev->ring.limit -= ev->lent;
	if (err || ev->refuse) {
		/* the line and its lost line both go, or neither */
		klua_buf_rollback(&ev->ring, ev->mark);
		if (ev->lost_mark) {
			list_del(&ev->lost_mark->node);
			kfree(ev->lost_mark);
		}
		ev->lost++;
		ev->lost_total++;
	} else {
		ev->lost = 0;
	}
	klua_events_kick(ev);		/* a loss too: delivery tells it */
	klua_ev_unlock(ev);
}

/* Payload of an EVENT message, unless one line needs more. */
#define KLUA_EVENT_PAYLOAD	(NLMSG_GOODSIZE - 256)

/*
 * Moves whole buffered lines into a new EVENT message, and sets *lines to
 * what they stand for: one each, and a lost line its count. A message never
 * ends in the middle of a line, so a subscriber that misses one still gets
 * whole lines; a line longer than KLUA_EVENT_PAYLOAD goes alone, in a
 * bigger one.
 */
static struct sk_buff *klua_events_next(struct klua_events *ev, u64 *lines)
{
	struct klua_state *s = ev->state;
	struct klua_lost_mark *m, *tmp;
	struct sk_buff *skb;
	struct nlattr *attr;
	size_t n, first;
	const char *p, *end;
	u64 read;
	void *hdr;

	klua_ev_lock(ev);
	if (ev->lost && klua_events_write_lost(ev))
		ev->lost = 0;	/* lost after every buffered line: nothing fit since */
	n = klua_buf_lines(&ev->ring, KLUA_EVENT_PAYLOAD, &first) ?: first;
	klua_ev_unlock(ev);
	if (!n)
		return NULL;

	skb = genlmsg_new(nla_total_size(KLUA_STATE_NAME_SIZE) + nla_total_size(n),
			  GFP_KERNEL);
	if (!skb)
		return NULL;	/* the lines stay buffered for the next try */
	hdr = genlmsg_put(skb, 0, 0, &klua_family, 0, KLUA_CMD_EVENT);
	if (!hdr || nla_put_string(skb, KLUA_ATTR_NAME, s->name))
		goto err_free;
	attr = nla_reserve(skb, KLUA_ATTR_OUTPUT, n);
	if (!attr)
		goto err_free;
	/* only this work item reads the ring, so its head is as measured */
	klua_ev_lock(ev);
	klua_buf_read(&ev->ring, nla_data(attr), n);
	read = ev->ring.written - ev->ring.held;
	*lines = 0;
	list_for_each_entry_safe(m, tmp, &ev->lost_marks, node) {
		if (m->end > read)
			break;
		*lines += m->count - 1;		/* its own line is counted below */
		list_del(&m->node);
		kfree(m);
	}
	klua_ev_unlock(ev);
	for (p = nla_data(attr), end = p + n; p < end && (p = memchr(p, '\n', end - p)); p++)
		(*lines)++;
	genlmsg_end(skb, hdr);
	return skb;

err_free:
	nlmsg_free(skb);
	return NULL;
}

/*
 * Queues an EVENT message on the socket sk itself; 0 or -errno (skb is
 * consumed). netlink_unicast() is not used: it finds the socket by port id,
 * and netlink_release() unhashes a socket (freeing its port id for another
 * bind) before it marks it dead, and may sleep in between. What this leaves
 * out of netlink_unicast(): nlmon taps do not see events, and a full socket
 * is told ENOBUFS as netlink_overrun() would tell it, but does not stay
 * congested until it is read empty, nor honours NETLINK_NO_ENOBUFS.
 * -EAGAIN: the socket is full; -ECONNREFUSED: it is closed.
 */
static int klua_sock_queue(struct sock *sk, struct sk_buff *skb)
{
	int err;

	if (sock_flag(sk, SOCK_DEAD)) {
		kfree_skb(skb);
		return -ECONNREFUSED;
	}
	skb_reset_network_header(skb);		/* for the socket's filter */
	skb_reset_mac_header(skb);
	err = sock_queue_rcv_skb(sk, skb);	/* its filter, then its buffer */
	if (!err)
		return 0;
	kfree_skb(skb);
	if (err != -ENOMEM && err != -ENOBUFS)
		return 0;	/* its filter took it out, as netlink_unicast() does */
	if (!READ_ONCE(sk->sk_err)) {
		WRITE_ONCE(sk->sk_err, ENOBUFS);
		sk_error_report(sk);
	}
	return -EAGAIN;
}

/* Sends an EVENT message with these lines; 0 or -errno (klua_sock_queue's). */
static int klua_events_send_text(struct sock *sk, const char *name,
				 const char *text, int len)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(nla_total_size(KLUA_STATE_NAME_SIZE) + nla_total_size(len),
			  GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &klua_family, 0, KLUA_CMD_EVENT);
	if (!hdr || nla_put_string(skb, KLUA_ATTR_NAME, name) ||
	    nla_put(skb, KLUA_ATTR_OUTPUT, len, text)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return klua_sock_queue(sk, skb);
}

/* The socket is there but could not take the message now. */
static bool klua_events_send_again(int err)
{
	return err == -EAGAIN || err == -ENOBUFS || err == -ENOMEM;
}

/*
 * Sends to one subscriber the message skb, whose lines stand for lines
 * lines; false if its socket is gone. A subscriber that missed lines gets
 * its lost line before any newer line: while the lost line can't go out,
 * newer lines are not sent but counted in it.
 */
static bool klua_events_send(struct klua_events *ev, struct klua_subscriber *sub,
			     struct sk_buff *skb, u64 lines)
{
	struct sk_buff *copy;
	int err;

	if (sub->lost) {
		char line[KLUA_LAST_SIZE];
		int len = klua_format_lost(line, sizeof(line), ev->state->name, sub->lost);

		err = klua_events_send_text(sub->sk, ev->state->name, line, len);
		if (err == -ECONNREFUSED)
			return false;
		if (err) {
			sub->lost += lines;
			return true;
		}
		sub->lost = 0;
	}
	copy = skb_clone(skb, GFP_KERNEL);
	if (!copy) {
		sub->lost += lines;
		return true;
	}
	err = klua_sock_queue(sub->sk, copy);
	if (err == -ECONNREFUSED)
		return false;
	if (err)
		sub->lost += lines;
	return true;
}

/* Sends every buffered line to the subscribers; under sub_lock. */
static void klua_events_deliver(struct klua_events *ev)
{
	struct klua_subscriber *sub, *tmp;
	struct sk_buff *skb;
	u64 lines;

	lockdep_assert_held(&ev->sub_lock);
	while (ev->nsubscribers && (skb = klua_events_next(ev, &lines))) {
		list_for_each_entry_safe(sub, tmp, &ev->subscribers, node)
			if (!klua_events_send(ev, sub, skb, lines))
				klua_sub_free(ev, sub);		/* the socket is gone */
		nlmsg_free(skb);
		cond_resched();
	}
}

static void klua_events_work(struct work_struct *work)
{
	struct klua_events *ev = container_of(work, struct klua_events, work);

	mutex_lock(&ev->sub_lock);
	klua_events_deliver(ev);
	mutex_unlock(&ev->sub_lock);
}

/*
 * The last message of a subscriber whose socket was full when its state
 * ended. The state is gone, so it waits here, holding the socket (which
 * holds its namespace), and is sent again every KLUA_OWED_RETRY until the
 * socket takes it or is closed (then klua_events_release or the next retry
 * drops it).
 * Such lines are memory that no state owns, so they are bounded: at most
 * KLUA_OWED_SOCKET for one socket, KLUA_OWED_NET in one network namespace
 * and KLUA_OWED_ALL in all (klua_owed_count); a line past these is dropped.
 * Each is charged to the memory cgroup of its state's creator.
 */
struct klua_owed {
	struct list_head node;
	struct sock *sk;
	char name[KLUA_STATE_NAME_SIZE];
	int len;
	char text[KLUA_LAST_SIZE];
};

#define KLUA_OWED_RETRY		(HZ / 10)
#define KLUA_OWED_SOCKET	64
#define KLUA_OWED_NET		1024
#define KLUA_OWED_ALL		4096

static void klua_owed_work(struct work_struct *work);

static LIST_HEAD(klua_owed);
static unsigned int klua_owed_count;	/* on klua_owed */
static DEFINE_MUTEX(klua_owed_lock);	/* klua_owed, klua_owed_count */
static DECLARE_DELAYED_WORK(klua_owed_retry, klua_owed_work);

static void klua_owed_free(struct klua_owed *o)
{
	list_del(&o->node);
	klua_owed_count--;
	sock_put(o->sk);
	kfree(o);
}

/* Whether one more line may be owed to sk, in net. */
static bool klua_owed_room(struct net *net, struct sock *sk)
{
	unsigned int in_net = 0, to_sk = 0;
	struct klua_owed *o;

	lockdep_assert_held(&klua_owed_lock);
	if (klua_owed_count >= KLUA_OWED_ALL)
		return false;
	/* bounded: the list holds at most KLUA_OWED_ALL */
	list_for_each_entry(o, &klua_owed, node) {
		if (!net_eq(sock_net(o->sk), net))
			continue;
		in_net++;
		to_sk += o->sk == sk;
	}
	return in_net < KLUA_OWED_NET && to_sk < KLUA_OWED_SOCKET;
}

static void klua_owed_add(struct klua_events *ev, struct klua_subscriber *sub,
			  const char *text, int len)
{
	struct klua_owed *o = NULL;

	mutex_lock(&klua_owed_lock);
	if (klua_owed_room(ev->net, sub->sk))
		o = klua_events_alloc(ev, sizeof(*o), GFP_KERNEL);
	if (o) {
		sock_hold(sub->sk);
		o->sk = sub->sk;
		strscpy(o->name, ev->state->name, sizeof(o->name));
		o->len = len;
		memcpy(o->text, text, len);
		list_add_tail(&o->node, &klua_owed);
		klua_owed_count++;
		schedule_delayed_work(&klua_owed_retry, KLUA_OWED_RETRY);
	}
	mutex_unlock(&klua_owed_lock);
}

static void klua_owed_work(struct work_struct *work)
{
	struct klua_owed *o, *tmp;
	int err;

	mutex_lock(&klua_owed_lock);
	list_for_each_entry_safe(o, tmp, &klua_owed, node) {
		err = klua_events_send_text(o->sk, o->name, o->text, o->len);
		if (!klua_events_send_again(err))
			klua_owed_free(o);	/* sent, or the socket is gone */
		cond_resched();		/* up to KLUA_OWED_ALL sends */
	}
	if (!list_empty(&klua_owed))
		schedule_delayed_work(&klua_owed_retry, KLUA_OWED_RETRY);
	mutex_unlock(&klua_owed_lock);
}

/* A socket was closed: what was owed to a closed socket is dropped. */
static void klua_owed_forget(void)
{
	struct klua_owed *o, *tmp;

	mutex_lock(&klua_owed_lock);
	list_for_each_entry_safe(o, tmp, &klua_owed, node)
		if (sock_flag(o->sk, SOCK_DEAD))
			klua_owed_free(o);
	mutex_unlock(&klua_owed_lock);
}

void klua_events_exit(void)
{
	struct klua_owed *o, *tmp;

	/* the family is gone: what the sockets could not take is given up */
	cancel_delayed_work_sync(&klua_owed_retry);
	mutex_lock(&klua_owed_lock);
	list_for_each_entry_safe(o, tmp, &klua_owed, node)
		klua_owed_free(o);
	mutex_unlock(&klua_owed_lock);
}

/*
 * Tells a subscriber that the stream ends: its lost line, if it missed
 * lines, and the end line, in one message. If its socket is full, the
 * message is owed to it.
 */
static void klua_events_send_end(struct klua_events *ev,
				 struct klua_subscriber *sub, const char *reason)
{
	const char *name = ev->state->name;
	char text[KLUA_LAST_SIZE];
	int len = 0, err;

	if (sub->lost)
		len = klua_format_lost(text, sizeof(text), name, sub->lost);
	len += klua_format_end(text + len, sizeof(text) - len, name, reason);
	err = klua_events_send_text(sub->sk, name, text, len);
	if (klua_events_send_again(err))
		klua_owed_add(ev, sub, text, len);
}

/*
 * The state is ending and no callback can run any more: deliver what the
 * last ones printed, tell each subscriber why the stream ends, and stop.
 * All under sub_lock, with closing set first: a SUBSCRIBE is either before
 * (and gets its end line) or after (and fails). The state is no longer
 * listed, so klua_events_release can't reach it: a subscriber whose socket
 * closed meanwhile is skipped here, since its socket is dead.
 */
void klua_events_close(struct klua_state *s, const char *reason)
{
	struct klua_events *ev = s->events;
	struct klua_subscriber *sub, *tmp;

	mutex_lock(&ev->sub_lock);
	ev->closing = true;
	klua_events_deliver(ev);
	list_for_each_entry_safe(sub, tmp, &ev->subscribers, node) {
		klua_events_send_end(ev, sub, reason);
		klua_sub_free(ev, sub);
	}
	mutex_unlock(&ev->sub_lock);
	klua_events_stop(ev);
}

/*
 * Subscribes the socket sk, bound to portid, that sent the request. An
 * entry for that port id from another socket is stale: that socket let the
 * port id go, so it is closing, and it is dropped.
 */
int klua_events_subscribe(struct klua_state *s, struct sock *sk, u32 portid)
{
	struct klua_events *ev = s->events;
	struct klua_subscriber *sub, *tmp;
	int err = 0;

	mutex_lock(&ev->sub_lock);
	if (ev->closing) {
		err = -ENOENT;		/* the state is going away */
		goto out;
	}
	list_for_each_entry_safe(sub, tmp, &ev->subscribers, node) {
		if (sub->sk == sk)
			goto out;		/* already: nothing to do */
		if (sub->portid == portid || sock_flag(sub->sk, SOCK_DEAD))
			klua_sub_free(ev, sub);
	}
	if (ev->nsubscribers >= KLUA_MAX_SUBSCRIBERS) {
		err = -ENOSPC;
		goto out;
	}
	sub = klua_events_alloc(ev, sizeof(*sub), GFP_KERNEL);
	if (!sub) {
		err = -ENOMEM;
		goto out;
	}
	sock_hold(sk);
	sub->sk = sk;
	sub->portid = portid;
	list_add_tail(&sub->node, &ev->subscribers);
	WRITE_ONCE(ev->nsubscribers, ev->nsubscribers + 1);
	klua_ev_lock(ev);
	klua_events_kick(ev);			/* deliver what is waiting */
	klua_ev_unlock(ev);
out:
	mutex_unlock(&ev->sub_lock);
	return err;
}

int klua_events_unsubscribe(struct klua_state *s, u32 portid)
{
	struct klua_events *ev = s->events;
	struct klua_subscriber *sub;
	int err = -ENOENT;

	mutex_lock(&ev->sub_lock);
	list_for_each_entry(sub, &ev->subscribers, node) {
		if (sub->portid == portid) {
			klua_sub_free(ev, sub);
			err = 0;
			break;
		}
	}
	mutex_unlock(&ev->sub_lock);
	return err;
}

unsigned int klua_events_subscribers(struct klua_state *s)
{
	return READ_ONCE(s->events->nsubscribers);
}

u64 klua_events_lost_total(struct klua_state *s)
{
	u64 lost;

	spin_lock_bh(&s->events->lock);
	lost = s->events->lost_total;
	spin_unlock_bh(&s->events->lock);
	return lost;
}

/*
 * The socket at portid was closed (it is dead by now): it leaves the states
 * it subscribed to. Only its own entries go: another socket may have bound
 * the port id and subscribed since.
 */
static void klua_events_forget(struct klua_state *s, u32 portid)
{
	struct klua_events *ev = s->events;
	struct klua_subscriber *sub, *tmp;

	mutex_lock(&ev->sub_lock);
	list_for_each_entry_safe(sub, tmp, &ev->subscribers, node)
		if (sub->portid == portid && sock_flag(sub->sk, SOCK_DEAD))
			klua_sub_free(ev, sub);
	mutex_unlock(&ev->sub_lock);
}

void klua_events_release(struct net *net, u32 portid)
{
	struct klua_net *kn = klua_net(net);
	struct klua_state *s;

	mutex_lock(&kn->lock);
	list_for_each_entry(s, &kn->states, node)
		klua_events_forget(s, portid);
	mutex_unlock(&kn->lock);
	klua_owed_forget();
}
