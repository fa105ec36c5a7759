/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * klua: the generic netlink protocol between the klua kernel module and its
 * clients. This header is the only definition of the protocol; the module and
 * the shell both include it.
 *
 * Every command requires CAP_NET_ADMIN. States live in the network namespace
 * of the socket that created them.
 *
 * EXEC is sent as a dump request (NLM_F_DUMP). Its results come back as NDJSON
 * text (one JSON object a line) carried in KLUA_ATTR_OUTPUT attributes of one
 * or more KLUA_CMD_EXEC replies, ended by NLMSG_DONE. The client concatenates the OUTPUT bytes of all replies
 * in order: a line may span two messages. Replies without OUTPUT carry
 * nothing: the chunk runs apart from the request, and the kernel answers
 * with an empty reply while it waits for it (at first, and when a signal
 * interrupts the client's read). Execs of one state run one at a time, in
 * the order they came; a state takes at most 64 waiting execs (EBUSY). Events of a state (print() from
 * timers and hooks, errors of hook callbacks, lost counts) are unicast as
 * KLUA_CMD_EVENT notifications, with the same OUTPUT attribute, to the
 * sockets that sent KLUA_CMD_SUBSCRIBE for that state.
 */
#ifndef _UAPI_KLUA_H
#define _UAPI_KLUA_H

#define KLUA_GENL_NAME		"klua"
#define KLUA_GENL_VERSION	1

/* State names: 1 to KLUA_NAME_MAX characters of [A-Za-z0-9_.-]. */
#define KLUA_NAME_MAX		64
/* Chunk names (shown in error messages), e.g. "=(command line)". */
#define KLUA_CHUNKNAME_MAX	128

/*
 * No datagram of replies (dump messages with the NLMSG_DONE that ends them,
 * replies to single requests, and errors, which carry no echo of the request
 * on a socket with NETLINK_CAP_ACK) is longer than KLUA_REPLY_MAX bytes, so a
 * client reads each with one recvmsg() of that size, without peeking at its
 * length first. A larger read buffer only makes the kernel allocate larger
 * dump messages than it fills. KLUA_CMD_EVENT datagrams may be longer: a
 * long line of output goes whole.
 */
#define KLUA_REPLY_MAX		3584

/*
 * The most demanding context that a state's hooks may fire in, chosen when
 * it is created (KLUA_ATTR_CONTEXT): its lock follows. SOFTIRQ (the
 * default) suits timers and packet hooks; HARDIRQ also suits probes, which
 * fire anywhere, and holds interrupts off while the state runs.
 */
enum klua_context {
	KLUA_CONTEXT_PROCESS,	/* not for states yet */
	KLUA_CONTEXT_SOFTIRQ,
	KLUA_CONTEXT_HARDIRQ,
};

enum klua_cmd {
	KLUA_CMD_UNSPEC,
	/* NAME, [MEMORY_LIMIT], [INSTR_LIMIT], [TIME_LIMIT], [CONTEXT]; reply: NAME */
	KLUA_CMD_CREATE,
	/* NAME */
	KLUA_CMD_DESTROY,
	/* dump, or NAME for one state; reply: one message a state (KLUA_ATTR_*) */
	KLUA_CMD_LIST,
	/* dump request: NAME, CODE, [CHUNKNAME], [ARGS]; replies: OUTPUT (NDJSON), then DONE */
	KLUA_CMD_EXEC,
	/* NAME: unicast this state's events to the sending socket */
	KLUA_CMD_SUBSCRIBE,
	/* NAME: stop sending this state's events to the sending socket */
	KLUA_CMD_UNSUBSCRIBE,
	/* notification only: NAME, OUTPUT (NDJSON lines of events) */
	KLUA_CMD_EVENT,
	/*
	 * NAME, [PORTID]: abort the chunk an EXEC runs in the state (error kind
	 * "interrupted"); with PORTID, only an EXEC sent from that netlink port.
	 * An interrupt that finds no such EXEC running is forgotten.
	 */
	KLUA_CMD_INTERRUPT,
	/*
	 * dump: [NAME] (that state's hooks, or every state's); replies: one
	 * message a hook: NAME, HOOK_ID, HOOK_KIND, HOOK_TARGET, RUNS, ERRORS,
	 * HOOK_MISSED; states in order of creation, a state's hooks in order
	 * of their ids
	 */
	KLUA_CMD_HOOKS,

	__KLUA_CMD_MAX,
};
#define KLUA_CMD_MAX (__KLUA_CMD_MAX - 1)

enum klua_attr {
	KLUA_ATTR_UNSPEC,
	KLUA_ATTR_NAME,		/* string, NUL-terminated */
	KLUA_ATTR_MEMORY_LIMIT,	/* u64, bytes */
	KLUA_ATTR_INSTR_LIMIT,	/* u64, VM instructions per invocation */
	KLUA_ATTR_CODE,		/* binary: Lua source text (binary chunks are refused) */
	KLUA_ATTR_CHUNKNAME,	/* string, NUL-terminated */
	KLUA_ATTR_OUTPUT,	/* binary: NDJSON text, possibly a partial line */
	KLUA_ATTR_MEMORY_USED,	/* u64, bytes of Lua heap in use */
	KLUA_ATTR_MEMORY_PEAK,	/* u64, bytes */
	KLUA_ATTR_RUNS,		/* u64, invocations: execs and callbacks (HOOKS: its callbacks) */
	KLUA_ATTR_ERRORS,	/* u64, invocations that ended in an error */
	KLUA_ATTR_TIME_NS,	/* u64, time spent running Lua */
	KLUA_ATTR_TIMERS,	/* u32, active timers */
	KLUA_ATTR_SUBSCRIBERS,	/* u32 */
	KLUA_ATTR_LOST,		/* u64, events dropped because the buffer was full */
	KLUA_ATTR_PAD,
	KLUA_ATTR_STACK_PEAK,	/* u64, most bytes of kernel stack a run of this state used */
	KLUA_ATTR_PORTID,	/* u32, a netlink port (INTERRUPT: whose EXEC) */
	KLUA_ATTR_ARGS,		/* nested: the chunk's arguments (...), KLUA_ARG_VALUE each */
	KLUA_ATTR_TIME_LIMIT,	/* u64, ns of wall-clock time per invocation */
	KLUA_ATTR_HOLD_PEAK,	/* u64, ns: longest a run held its CPU with bottom halves off */
	KLUA_ATTR_HOOKS,	/* u32, hooks attached, of every kind (TIMERS counts timers) */
	KLUA_ATTR_HOOK_ID,	/* u32, the hook's handle: tostring(h) shows it */
	KLUA_ATTR_HOOK_KIND,	/* string: "timer" */
	KLUA_ATTR_HOOK_TARGET,	/* string: what it is attached to ("every 100 ms") */
	KLUA_ATTR_HOOK_MISSED,	/* u64, events its callback did not run for: its state was busy */
	KLUA_ATTR_CONTEXT,	/* u8, enum klua_context: SOFTIRQ or HARDIRQ */

	__KLUA_ATTR_MAX,
};
#define KLUA_ATTR_MAX (__KLUA_ATTR_MAX - 1)

/* Inside KLUA_ATTR_ARGS, in order: at most KLUA_EXEC_ARGS_MAX of them. */
enum klua_arg_attr {
	KLUA_ARG_UNSPEC,
	KLUA_ARG_VALUE,		/* string, NUL-terminated: one argument */

	__KLUA_ARG_MAX,
};
#define KLUA_ARG_MAX (__KLUA_ARG_MAX - 1)
#define KLUA_EXEC_ARGS_MAX	1024

#endif /* _UAPI_KLUA_H */
