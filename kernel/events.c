// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: event buffering and delivery (see events.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <net/genetlink.h>

#include "klua.h"
#include "events.h"
#include "netlink.h"

#define KLUA_MAX_SUBSCRIBERS	16
#define KLUA_LOST_ROOM		256

struct klua_subscriber {
	struct list_head node;
	u32 portid;
	u64 lost;		/* lines this socket could not take */
};

struct klua_events {
	struct klua_state *state;
	struct net *net;		/* the state's namespace, which outlives it */

	spinlock_t lock;		/* ring, lost, stopped; nests in the state lock */
	struct klua_buf ring;
	u64 lost;			/* lines dropped since the last one that fit */
	u64 lost_total;
	bool stopped;
	/* between klua_events_begin and klua_events_end */
	u64 mark;			/* the ring before this line and its lost line */
	size_t lent;			/* limit lent to this line: its lost line's bytes */
	bool refuse;			/* the lost line did not fit: nor does this one */

	struct mutex sub_lock;		/* subscribers, closing */
	struct list_head subscribers;
	unsigned int nsubscribers;
	bool closing;			/* the end lines are sent: no new subscriber */

	struct work_struct work;
};

static void klua_events_work(struct work_struct *work);

int klua_events_init(struct klua_state *s, struct net *net)
{
	struct klua_events *ev = kzalloc(sizeof(*ev), GFP_KERNEL);

	if (!ev)
		return -ENOMEM;
	ev->state = s;
	ev->net = net;
	spin_lock_init(&ev->lock);
	klua_buf_init(&ev->ring, klua_event_buffer, GFP_NOWAIT);
	mutex_init(&ev->sub_lock);
	INIT_LIST_HEAD(&ev->subscribers);
	INIT_WORK(&ev->work, klua_events_work);
	s->events = ev;
	return 0;
}

static void klua_events_stop(struct klua_events *ev)
{
	spin_lock_bh(&ev->lock);
	ev->stopped = true;
	spin_unlock_bh(&ev->lock);
	cancel_work_sync(&ev->work);
}

void klua_events_free(struct klua_state *s)
{
	struct klua_events *ev = s->events;
	struct klua_subscriber *sub, *tmp;

	if (!ev)
		return;
	cancel_work_sync(&ev->work);
	list_for_each_entry_safe(sub, tmp, &ev->subscribers, node) {
		list_del(&sub->node);
		kfree(sub);
	}
	klua_buf_free(&ev->ring);
	kfree(ev);
	s->events = NULL;
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

	spin_lock_bh(&ev->lock);
	if (ev->stopped) {
		spin_unlock_bh(&ev->lock);
		return NULL;
	}
	ev->mark = klua_buf_mark(&ev->ring);
	ev->lent = 0;
	ev->refuse = false;
	if (ev->lost) {
		ev->ring.limit += KLUA_LOST_ROOM;
		ev->refuse = klua_write_lost(s, &ev->ring, ev->lost) != 0;
		ev->ring.limit -= KLUA_LOST_ROOM;
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
		ev->lost++;
		ev->lost_total++;
	} else {
		ev->lost = 0;
	}
	klua_events_kick(ev);		/* a loss too: delivery tells it */
	spin_unlock_bh(&ev->lock);
}

/* Payload of an EVENT message, unless one line needs more. */
#define KLUA_EVENT_PAYLOAD	(NLMSG_GOODSIZE - 256)

/*
 * Moves whole buffered lines into a new EVENT message. A message never ends
 * in the middle of a line, so a subscriber that misses one still gets whole
 * lines; a line longer than KLUA_EVENT_PAYLOAD goes alone, in a bigger one.
 */
static struct sk_buff *klua_events_next(struct klua_events *ev)
{
	struct klua_state *s = ev->state;
	struct sk_buff *skb;
	struct nlattr *attr;
	size_t n, first;
	void *hdr;

	spin_lock_bh(&ev->lock);
	if (ev->lost) {
		/* lost after every buffered line: nothing fit since */
		ev->ring.limit += KLUA_LOST_ROOM;
		if (!klua_write_lost(s, &ev->ring, ev->lost))
			ev->lost = 0;
		ev->ring.limit -= KLUA_LOST_ROOM;
	}
	n = klua_buf_lines(&ev->ring, KLUA_EVENT_PAYLOAD, &first) ?: first;
	spin_unlock_bh(&ev->lock);
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
	spin_lock_bh(&ev->lock);
	klua_buf_read(&ev->ring, nla_data(attr), n);
	spin_unlock_bh(&ev->lock);
	genlmsg_end(skb, hdr);
	return skb;

err_free:
	nlmsg_free(skb);
	return NULL;
}

/*
 * The lines a subscriber misses when it can't take this message: each line,
 * except that a "lost" line stands for the count it carries.
 */
static u64 klua_count_lines(struct sk_buff *skb)
{
	static const char lost[] = "{\"type\":\"lost\"";
	const char *p, *end, *nl;
	struct nlattr *attr;
	u64 lines = 0, count;

	attr = nlmsg_find_attr(nlmsg_hdr(skb), GENL_HDRLEN, KLUA_ATTR_OUTPUT);
	if (!attr)
		return 0;
	p = nla_data(attr);
	end = p + nla_len(attr);
	for (; p < end; p = nl + 1) {
		const char *c;

		nl = memchr(p, '\n', end - p);
		if (!nl)
			break;
		lines++;
		if (nl - p < sizeof(lost) - 1 || memcmp(p, lost, sizeof(lost) - 1))
			continue;
		c = strnstr(p, "\"count\":", nl - p);
		if (c && sscanf(c + 8, "%llu", &count) == 1)
			lines += count - 1;
	}
	return lines;
}

/* An EVENT message with one line of text. */
static struct sk_buff *klua_events_line_msg(struct klua_events *ev,
					    const char *line, int len)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, 0, 0, &klua_family, 0, KLUA_CMD_EVENT);
	if (!hdr || nla_put_string(skb, KLUA_ATTR_NAME, ev->state->name) ||
	    nla_put(skb, KLUA_ATTR_OUTPUT, len, line)) {
		nlmsg_free(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

/* Sends to one subscriber; false if its socket is gone. */
static bool klua_events_send(struct klua_events *ev, struct klua_subscriber *sub,
			     struct sk_buff *skb)
{
	struct sk_buff *copy;
	int err;

	if (sub->lost) {
		/* tell this socket what it missed before it gets more */
		char line[KLUA_NAME_MAX + 64];	/* names need no JSON escaping */
		int len = snprintf(line, sizeof(line),
				   "{\"type\":\"lost\",\"state\":\"%s\",\"data\":{\"count\":%llu}}\n",
				   ev->state->name, sub->lost);

		copy = klua_events_line_msg(ev, line, len);
		if (copy) {
			err = genlmsg_unicast(ev->net, copy, sub->portid);
			if (err == -ECONNREFUSED)
				return false;
			if (!err)
				sub->lost = 0;
		}
	}
	copy = skb_clone(skb, GFP_KERNEL);
	if (!copy) {
		sub->lost += klua_count_lines(skb);
		return true;
	}
	err = genlmsg_unicast(ev->net, copy, sub->portid);
	if (err == -ECONNREFUSED)
		return false;
	if (err)
		sub->lost += klua_count_lines(skb);
	return true;
}

/* Sends every buffered line to the subscribers; under sub_lock. */
static void klua_events_deliver(struct klua_events *ev)
{
	struct klua_subscriber *sub, *tmp;
	struct sk_buff *skb;

	lockdep_assert_held(&ev->sub_lock);
	while (ev->nsubscribers && (skb = klua_events_next(ev))) {
		list_for_each_entry_safe(sub, tmp, &ev->subscribers, node) {
			if (klua_events_send(ev, sub, skb))
				continue;
			list_del(&sub->node);		/* the socket is gone */
			kfree(sub);
			WRITE_ONCE(ev->nsubscribers, ev->nsubscribers - 1);
		}
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
 * The state is ending and no callback can run any more: deliver what the
 * last ones printed, tell each subscriber why the stream ends, and stop.
 * All under sub_lock, with closing set first: a SUBSCRIBE is either before
 * (and gets its end line) or after (and fails).
 */
void klua_events_close(struct klua_state *s, const char *reason)
{
	struct klua_events *ev = s->events;
	struct klua_subscriber *sub, *tmp;
	char line[KLUA_NAME_MAX + 80];	/* names need no JSON escaping */
	int len;

	len = snprintf(line, sizeof(line),
		       "{\"type\":\"end\",\"state\":\"%s\",\"data\":{\"reason\":\"%s\"}}\n",
		       s->name, reason);
	mutex_lock(&ev->sub_lock);
	ev->closing = true;
	klua_events_deliver(ev);
	list_for_each_entry_safe(sub, tmp, &ev->subscribers, node) {
		struct sk_buff *skb = klua_events_line_msg(ev, line, len);

		if (skb)
			genlmsg_unicast(ev->net, skb, sub->portid);
		list_del(&sub->node);
		kfree(sub);
	}
	WRITE_ONCE(ev->nsubscribers, 0);
	mutex_unlock(&ev->sub_lock);
	klua_events_stop(ev);
}

int klua_events_subscribe(struct klua_state *s, u32 portid)
{
	struct klua_events *ev = s->events;
	struct klua_subscriber *sub;
	int err = 0;

	mutex_lock(&ev->sub_lock);
	if (ev->closing) {
		err = -ENOENT;		/* the state is going away */
		goto out;
	}
	list_for_each_entry(sub, &ev->subscribers, node)
		if (sub->portid == portid)
			goto out;		/* already: nothing to do */
	if (ev->nsubscribers >= KLUA_MAX_SUBSCRIBERS) {
		err = -ENOSPC;
		goto out;
	}
	sub = kzalloc(sizeof(*sub), GFP_KERNEL);
	if (!sub) {
		err = -ENOMEM;
		goto out;
	}
	sub->portid = portid;
	list_add_tail(&sub->node, &ev->subscribers);
	WRITE_ONCE(ev->nsubscribers, ev->nsubscribers + 1);
	spin_lock_bh(&ev->lock);
	klua_events_kick(ev);			/* deliver what is waiting */
	spin_unlock_bh(&ev->lock);
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
			list_del(&sub->node);
			kfree(sub);
			WRITE_ONCE(ev->nsubscribers, ev->nsubscribers - 1);
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

void klua_events_release(struct net *net, u32 portid)
{
	struct klua_net *kn = klua_net(net);
	struct klua_state *s;

	mutex_lock(&kn->lock);
	list_for_each_entry(s, &kn->states, node)
		klua_events_unsubscribe(s, portid);
	mutex_unlock(&kn->lock);
}
