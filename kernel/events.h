/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klua: the events of a state (print() from callbacks, their errors, lost
 * counts). Callbacks run where they can't sleep, so events go to a bounded
 * buffer; a work item sends them to the subscribed sockets, which passed
 * the CAP_NET_ADMIN check when they subscribed. When the buffer is full,
 * events are counted as lost and the kernel never waits.
 *
 * Memory: the buffer holds at most event_buffer bytes (module parameter)
 * and a line of error or loss beyond it; end lines that a full socket could
 * not take wait for it, up to the caps in events.c. All of it is charged to
 * the memory cgroup of the task that created the state.
 */
#ifndef KLUA_EVENTS_H
#define KLUA_EVENTS_H

#include <net/net_namespace.h>

struct klua_state;
struct klua_buf;
struct sock;

int klua_events_init(struct klua_state *s, struct net *net);
/* Delivers what is buffered and a last "end" line, then stops. */
void klua_events_close(struct klua_state *s, const char *reason);
void klua_events_free(struct klua_state *s);

/*
 * Opens the buffer for one line, and returns holding the ring's lock (NULL,
 * without it: the state is going away); klua_events_end closes the line
 * (err: it was not written whole) and lets the lock go. Under the state
 * lock, in any context its hooks fire in.
 */
struct klua_buf *klua_events_begin(struct klua_state *s);	/* acquires the ring's lock */
void klua_events_end(struct klua_state *s, int err);		/* releases it */

/* sk: the socket that sent the request (NETLINK_CB(skb).sk), bound to portid. */
int klua_events_subscribe(struct klua_state *s, struct sock *sk, u32 portid);
int klua_events_unsubscribe(struct klua_state *s, u32 portid);
unsigned int klua_events_subscribers(struct klua_state *s);
u64 klua_events_lost_total(struct klua_state *s);
/* A netlink socket was closed (NETLINK_URELEASE): forget its subscriptions. */
void klua_events_release(struct net *net, u32 portid);
/* Module exit: drops the end lines still owed to full sockets. */
void klua_events_exit(void);

#endif /* KLUA_EVENTS_H */
