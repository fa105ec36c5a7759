// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: the generic netlink family "klua" (include/uapi/klua.h). The tables
 * are at the end; each command has its own policy and needs CAP_NET_ADMIN.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <net/sock.h>

#include "compat.h"
#include "klua.h"
#include "events.h"
#include "exec.h"
#include "hook.h"
#include "netlink.h"

/* Requests must speak version KLUA_GENL_VERSION of the protocol. */
static int klua_nl_version(const struct nlmsghdr *nlh, struct netlink_ext_ack *extack)
{
	const struct genlmsghdr *gh = nlmsg_data(nlh);

	if (gh->version != KLUA_GENL_VERSION) {
		NL_SET_ERR_MSG(extack, "unsupported klua protocol version (this module speaks 1)");
		return -EPROTONOSUPPORT;
	}
	return 0;
}

/* Reads and checks the state name; sets extack and returns NULL if bad. */
static const char *klua_nl_name(struct nlattr **attrs,
				struct netlink_ext_ack *extack)
{
	const char *name;

	if (!attrs[KLUA_ATTR_NAME]) {
		NL_SET_ERR_MSG(extack, "a state name (KLUA_ATTR_NAME) is required");
		return NULL;
	}
	name = nla_data(attrs[KLUA_ATTR_NAME]);
	if (!klua_name_valid(name)) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[KLUA_ATTR_NAME],
				    "state names are 1-64 characters of [A-Za-z0-9_.-]");
		return NULL;
	}
	return name;
}

static struct klua_state *klua_nl_state(struct genl_info *info)
{
	const char *name;
	struct klua_state *s;

	if (klua_nl_version(info->nlhdr, info->extack))
		return ERR_PTR(-EPROTONOSUPPORT);
	name = klua_nl_name(info->attrs, info->extack);
	if (!name)
		return ERR_PTR(-EINVAL);
	s = klua_state_get(genl_info_net(info), name);
	if (!s) {
		klua_err(info->extack, "no state with that name", "no state named '%s'", name);
		return ERR_PTR(-ENOENT);
	}
	return s;
}

static void klua_create_err(struct netlink_ext_ack *extack, const char *name,
			    enum klua_create_refusal why)
{
#define KLUA_CREATE_ERR(msg)	klua_err(extack, msg, "cannot create '%s': " msg, name)
	switch (why) {
	case KLUA_CREATE_MEMORY_STATE:
		KLUA_CREATE_ERR("the memory limit is too small for a Lua state");
		break;
	case KLUA_CREATE_MEMORY_LIBS:
		KLUA_CREATE_ERR("the memory limit is too small for Lua's libraries");
		break;
	case KLUA_CREATE_EXISTS:
		KLUA_CREATE_ERR("a state with this name already exists");
		break;
	case KLUA_CREATE_TOO_MANY:
		KLUA_CREATE_ERR("too many states (module parameter max_states)");
		break;
	case KLUA_CREATE_OTHER:
		break;
	}
#undef KLUA_CREATE_ERR
}

static int klua_nl_create(struct sk_buff *skb, struct genl_info *info)
{
	/* each parameter is read once: root may change it meanwhile */
	u64 mem = READ_ONCE(klua_default_memory);
	u64 instr = READ_ONCE(klua_default_instructions);
	u64 time = (u64)READ_ONCE(klua_default_time_ms) * NSEC_PER_MSEC;
	unsigned long max_mem = READ_ONCE(klua_max_memory);
	unsigned long max_instr = READ_ONCE(klua_max_instructions);
	unsigned int max_time_ms = READ_ONCE(klua_max_time_ms);
	enum klua_create_refusal why = KLUA_CREATE_OTHER;
	enum klua_context ctx = KLUA_CONTEXT_SOFTIRQ;
	const char *name;
	struct sk_buff *reply;
	void *hdr;
	int err;

	err = klua_nl_version(info->nlhdr, info->extack);
	if (err)
		return err;
	name = klua_nl_name(info->attrs, info->extack);
	if (!name)
		return -EINVAL;
	if (info->attrs[KLUA_ATTR_MEMORY_LIMIT])
		mem = nla_get_u64(info->attrs[KLUA_ATTR_MEMORY_LIMIT]);
	if (info->attrs[KLUA_ATTR_INSTR_LIMIT])
		instr = nla_get_u64(info->attrs[KLUA_ATTR_INSTR_LIMIT]);
	if (info->attrs[KLUA_ATTR_TIME_LIMIT])
		time = nla_get_u64(info->attrs[KLUA_ATTR_TIME_LIMIT]);
	if (info->attrs[KLUA_ATTR_CONTEXT])
		ctx = nla_get_u8(info->attrs[KLUA_ATTR_CONTEXT]);
	if (mem > max_mem) {
		klua_err(info->extack, "memory limit above the maximum (module parameter max_memory)",
			 "memory limit above the maximum of %lu bytes (module parameter max_memory)",
			 max_mem);
		return -ERANGE;
	}
	if (instr == 0 || instr > max_instr) {
		klua_err(info->extack, "instruction limit out of range (module parameter max_instructions)",
			 "instruction limit must be 1 to %lu (module parameter max_instructions)",
			 max_instr);
		return -ERANGE;
	}

	if (time < NSEC_PER_MSEC || time > (u64)max_time_ms * NSEC_PER_MSEC) {
		klua_err(info->extack, "time limit out of range (module parameter max_time)",
			 "time limit must be 1 ms to %u ms (module parameter max_time)",
			 max_time_ms);
		return -ERANGE;
	}

	reply = genlmsg_new(nla_total_size(KLUA_STATE_NAME_SIZE), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	err = klua_state_create(genl_info_net(info), name, mem, instr, time, ctx, &why);
	if (err) {
		klua_create_err(info->extack, name, why);
		nlmsg_free(reply);
		return err;
	}
	hdr = genlmsg_put_reply(reply, info, &klua_family, 0, KLUA_CMD_CREATE);
	if (!hdr || nla_put_string(reply, KLUA_ATTR_NAME, name)) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

static int klua_nl_destroy(struct sk_buff *skb, struct genl_info *info)
{
	const char *name;

	if (klua_nl_version(info->nlhdr, info->extack))
		return -EPROTONOSUPPORT;
	name = klua_nl_name(info->attrs, info->extack);
	if (!name)
		return -EINVAL;
	if (klua_state_destroy(genl_info_net(info), name)) {
		klua_err(info->extack, "no state with that name", "no state named '%s'", name);
		return -ENOENT;
	}
	return 0;
}

/*
 * The strings of KLUA_ATTR_ARGS, in order, into chunk->args (kfree() it);
 * the policy has checked each. 0 or -errno, with extack set.
 */
static int klua_nl_exec_args(const struct nlattr *nest, struct klua_code *chunk,
			     struct netlink_ext_ack *extack)
{
	const struct nlattr *arg;
	unsigned int n = 0;
	int rem;

	chunk->args = NULL;
	chunk->nargs = 0;
	if (!nest)
		return 0;
	nla_for_each_nested(arg, nest, rem)
		n++;
	if (n > KLUA_EXEC_ARGS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "more arguments than KLUA_EXEC_ARGS_MAX (1024)");
		return -E2BIG;
	}
	if (!n)
		return 0;
	chunk->args = kmalloc_array(n, sizeof(*chunk->args), GFP_KERNEL);
	if (!chunk->args)
		return -ENOMEM;
	nla_for_each_nested(arg, nest, rem)
		chunk->args[chunk->nargs++] = nla_data(arg);
	return 0;
}

static int klua_nl_exec_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = klua_dump_attrs(cb);
	struct net *net = sock_net(cb->skb->sk);
	struct klua_code chunk = { .name = "=(exec)" };
	struct klua_exec *e;
	struct klua_state *s;
	unsigned int max_chunk;
	const char *name;
	int err;

	err = klua_nl_version(cb->nlh, cb->extack);
	if (err)
		return err;
	if (!attrs[KLUA_ATTR_CODE]) {
		NL_SET_ERR_MSG(cb->extack, "the chunk (KLUA_ATTR_CODE) is required");
		return -EINVAL;
	}
	chunk.code = nla_data(attrs[KLUA_ATTR_CODE]);
	chunk.len = nla_len(attrs[KLUA_ATTR_CODE]);
	max_chunk = READ_ONCE(klua_max_chunk);
	if (chunk.len > max_chunk) {
		klua_err(cb->extack, "chunk larger than the limit (module parameter max_chunk)",
			 "chunk of %zu bytes is larger than the limit of %u bytes",
			 chunk.len, max_chunk);
		return -E2BIG;
	}
	if (attrs[KLUA_ATTR_CHUNKNAME])
		chunk.name = nla_data(attrs[KLUA_ATTR_CHUNKNAME]);
	name = klua_nl_name(attrs, cb->extack);
	if (!name)
		return -EINVAL;
	err = klua_nl_exec_args(attrs[KLUA_ATTR_ARGS], &chunk, cb->extack);
	if (err)
		return err;
	s = klua_state_get(net, name);
	if (!s) {
		klua_err(cb->extack, "no state with that name", "no state named '%s'", name);
		err = -ENOENT;
		goto out;
	}
	e = klua_exec_new(s, &chunk, NETLINK_CB(cb->skb).portid);
	klua_state_put(s);
	if (!e) {
		NL_SET_ERR_MSG(cb->extack, "out of memory for the chunk");
		err = -ENOMEM;
		goto out;
	}
	err = klua_exec_queue(e);
	if (err) {
		if (err == -EBUSY)
			NL_SET_ERR_MSG(cb->extack,
				       "too many execs wait for this state; try again later");
		else
			NL_SET_ERR_MSG(cb->extack, "the state was destroyed");
		klua_exec_put(e);
		goto out;
	}
	cb->args[0] = (long)e;
out:
	kfree(chunk.args);		/* klua_exec_new copied them */
	return err;
}

/*
 * How much of skb a dump may fill: the datagram stays within KLUA_REPLY_MAX
 * with the NLMSG_DONE that the core may append (20 bytes, or a little more
 * with an extack message of at most 80).
 */
#define KLUA_DUMP_FILL	(KLUA_REPLY_MAX - 256)

static int klua_dump_room(const struct sk_buff *skb)
{
	return min_t(int, skb_tailroom(skb), KLUA_DUMP_FILL - (int)skb->len);
}

/* A message with no output: the dump goes on, and the reader may return. */
static int klua_nl_exec_empty(struct sk_buff *skb, struct netlink_callback *cb)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				&klua_family, NLM_F_MULTI, KLUA_CMD_EXEC);

	if (!hdr)
		return -EMSGSIZE;
	genlmsg_end(skb, hdr);
	return skb->len;
}

/*
 * Hands out the exec's output, one message a call, as the client reads.
 * The first call comes from the request's own path, which must not wait:
 * unless the exec is already done, it answers with an empty message. The
 * next calls come from the client's recvmsg() and wait for the exec; a
 * signal ends the wait with another empty message.
 */
static int klua_nl_exec_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct klua_exec *e = (struct klua_exec *)cb->args[0];
	struct klua_buf *out = klua_exec_output(e);
	struct nlattr *attr;
	size_t room, n;
	int avail;
	void *hdr;

	if (!klua_exec_done(e) && (!cb->args[1]++ || !klua_exec_wait(e)))
		return klua_nl_exec_empty(skb, cb);
	if (klua_exec_error(e)) {
		NL_SET_ERR_MSG(cb->extack, "the state was destroyed before the chunk ran");
		return klua_exec_error(e);
	}
	if (!out->held)
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &klua_family, NLM_F_MULTI, KLUA_CMD_EXEC);
	if (!hdr)
		return -EMSGSIZE;
	avail = klua_dump_room(skb) - nla_total_size(0) - NLA_ALIGNTO;
	if (avail <= 0) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	room = avail;
	attr = nla_reserve(skb, KLUA_ATTR_OUTPUT, room);
	if (!attr) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	n = klua_buf_read(out, nla_data(attr), room);
	skb_trim(skb, skb->len - (nla_total_size(room) - nla_total_size(n)));
	attr->nla_len = nla_attr_size(n);
	/* the padding after the n bytes read was never written */
	memset(nla_data(attr) + n, 0, nla_padlen(n));
	genlmsg_end(skb, hdr);
	/* 0 once all is out: the core then puts NLMSG_DONE in this same skb */
	return out->held ? skb->len : 0;
}

/* The dump ended, or its socket closed while the exec waited or ran. */
static int klua_nl_exec_done(struct netlink_callback *cb)
{
	struct klua_exec *e = (struct klua_exec *)cb->args[0];

	if (e)
		klua_exec_abandon(e);
	return 0;
}

/* The payload of one state's message (klua_nl_fill_state). */
static size_t klua_nl_state_size(void)
{
	return nla_total_size(KLUA_STATE_NAME_SIZE) +
	       11 * nla_total_size_64bit(sizeof(u64)) +
	       3 * nla_total_size(sizeof(u32)) + nla_total_size(sizeof(u8));
}

static int klua_nl_fill_state(struct sk_buff *skb, u32 portid, u32 seq,
			      int flags, struct klua_state *s)
{
	u64 used, peak, runs, errors, time_ns, stack;
	u32 timers, hooks;
	void *hdr;

	/* without the lock: a long exec must not hold up a listing */
	used = READ_ONCE(s->mem_used);
	peak = READ_ONCE(s->mem_peak);
	runs = READ_ONCE(s->runs);
	errors = READ_ONCE(s->errors);
	time_ns = READ_ONCE(s->time_ns);
	stack = READ_ONCE(s->stack_peak);
	timers = klua_hooks_count(s, &klua_timer_ops);
	hooks = klua_hooks_count(s, NULL);

	hdr = genlmsg_put(skb, portid, seq, &klua_family, flags, KLUA_CMD_LIST);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, KLUA_ATTR_NAME, s->name) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_MEMORY_USED, used, KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_MEMORY_PEAK, peak, KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_MEMORY_LIMIT, s->mem_limit, KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_INSTR_LIMIT, s->instr_limit, KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_RUNS, runs, KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_ERRORS, errors, KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_TIME_NS, time_ns, KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_STACK_PEAK, stack, KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_TIME_LIMIT, s->time_limit, KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_HOLD_PEAK, READ_ONCE(s->hold_peak_ns),
			      KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_LOST, klua_events_lost_total(s), KLUA_ATTR_PAD) ||
	    nla_put_u32(skb, KLUA_ATTR_TIMERS, timers) ||
	    nla_put_u32(skb, KLUA_ATTR_HOOKS, hooks) ||
	    nla_put_u8(skb, KLUA_ATTR_CONTEXT, s->ctx) ||
	    nla_put_u32(skb, KLUA_ATTR_SUBSCRIBERS, klua_events_subscribers(s))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int klua_nl_list_one(struct sk_buff *skb, struct genl_info *info)
{
	struct klua_state *s;
	struct sk_buff *reply;
	int err;

	s = klua_nl_state(info);
	if (IS_ERR(s))
		return PTR_ERR(s);
	reply = genlmsg_new(klua_nl_state_size(), GFP_KERNEL);
	if (!reply) {
		klua_state_put(s);
		return -ENOMEM;
	}
	err = klua_nl_fill_state(reply, info->snd_portid, info->snd_seq, 0, s);
	klua_state_put(s);
	if (err) {
		nlmsg_free(reply);
		return err;
	}
	return genlmsg_reply(reply, info);
}

/* Dumps the states in name order of creation; cb->args[0] counts those sent. */
static int klua_nl_list_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct klua_net *kn = klua_net(sock_net(skb->sk));
	struct klua_state *s;
	long i = 0;

	if (!cb->args[0] && klua_nl_version(cb->nlh, cb->extack))
		return -EPROTONOSUPPORT;
	mutex_lock(&kn->lock);
	list_for_each_entry(s, &kn->states, node) {
		if (i++ < cb->args[0])
			continue;
		if (skb->len && klua_dump_room(skb) <
		    (int)genlmsg_total_size(klua_nl_state_size()))
			break;
		if (klua_nl_fill_state(skb, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI, s))
			break;
		cb->args[0] = i;
	}
	mutex_unlock(&kn->lock);
	return skb->len;
}

/* The payload of one hook's message (klua_nl_fill_hook). */
static size_t klua_nl_hook_size(void)
{
	return nla_total_size(KLUA_STATE_NAME_SIZE) + nla_total_size(sizeof(u32)) +
	       2 * nla_total_size(KLUA_HOOK_TARGET_SIZE) +
	       3 * nla_total_size_64bit(sizeof(u64));
}

static int klua_nl_fill_hook(struct sk_buff *skb, struct netlink_callback *cb,
			     struct klua_state *s, const struct klua_hook_info *info)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &klua_family, NLM_F_MULTI, KLUA_CMD_HOOKS);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, KLUA_ATTR_NAME, s->name) ||
	    nla_put_u32(skb, KLUA_ATTR_HOOK_ID, info->id) ||
	    nla_put_string(skb, KLUA_ATTR_HOOK_KIND, info->kind) ||
	    nla_put_string(skb, KLUA_ATTR_HOOK_TARGET, info->target) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_RUNS, info->runs, KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_ERRORS, info->errors, KLUA_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KLUA_ATTR_HOOK_MISSED, info->missed, KLUA_ATTR_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Dumps the hooks of the state NAME, or of every state: cb->args[0] counts
 * the states done, cb->args[1] is the least id of the next hook to send.
 */
static int klua_nl_hooks_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = klua_dump_attrs(cb);
	struct klua_net *kn = klua_net(sock_net(skb->sk));
	const char *name = NULL;
	struct klua_hook_info info;
	struct klua_state *s;
	long i = 0;

	if (attrs[KLUA_ATTR_NAME]) {
		name = nla_data(attrs[KLUA_ATTR_NAME]);
		if (!klua_name_valid(name)) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[KLUA_ATTR_NAME],
					    "state names are 1-64 characters of [A-Za-z0-9_.-]");
			return -EINVAL;
		}
	}
	if (!cb->args[0] && !cb->args[1]) {
		if (klua_nl_version(cb->nlh, cb->extack))
			return -EPROTONOSUPPORT;
		if (name) {
			s = klua_state_get(sock_net(skb->sk), name);
			if (!s) {
				klua_err(cb->extack, "no state with that name",
					 "no state named '%s'", name);
				return -ENOENT;
			}
			klua_state_put(s);
		}
	}
	mutex_lock(&kn->lock);
	list_for_each_entry(s, &kn->states, node) {
		if (i++ < cb->args[0])
			continue;
		if (!name || !strcmp(s->name, name)) {
			while (klua_hook_info(s, cb->args[1], &info)) {
				if (skb->len && klua_dump_room(skb) <
				    (int)genlmsg_total_size(klua_nl_hook_size()))
					goto out;
				if (klua_nl_fill_hook(skb, cb, s, &info))
					goto out;
				cb->args[1] = info.id + 1UL;
			}
		}
		cb->args[0] = i;
		cb->args[1] = 0;
	}
out:
	mutex_unlock(&kn->lock);
	return skb->len;
}

static int klua_nl_subscribe(struct sk_buff *skb, struct genl_info *info)
{
	struct klua_state *s;
	int err;

	s = klua_nl_state(info);
	if (IS_ERR(s))
		return PTR_ERR(s);
	err = klua_events_subscribe(s, NETLINK_CB(skb).sk, info->snd_portid);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "this state has too many subscribers");
	else if (err == -ENOENT)
		klua_err(info->extack, "no state with that name (it is being destroyed)",
			 "no state named '%s' (it is being destroyed)", s->name);
	klua_state_put(s);
	return err;
}

static int klua_nl_unsubscribe(struct sk_buff *skb, struct genl_info *info)
{
	struct klua_state *s;
	int err;

	s = klua_nl_state(info);
	if (IS_ERR(s))
		return PTR_ERR(s);
	err = klua_events_unsubscribe(s, info->snd_portid);
	klua_state_put(s);
	if (err)
		NL_SET_ERR_MSG(info->extack, "this socket is not subscribed to the state");
	return err;
}

static int klua_nl_interrupt(struct sk_buff *skb, struct genl_info *info)
{
	struct klua_state *s;
	u32 portid;

	s = klua_nl_state(info);
	if (IS_ERR(s))
		return PTR_ERR(s);
	if (info->attrs[KLUA_ATTR_PORTID]) {
		portid = nla_get_u32(info->attrs[KLUA_ATTR_PORTID]);
		klua_state_interrupt(s, &portid);
		klua_exec_interrupt_queued(s, portid);
	} else {
		klua_state_interrupt(s, NULL);
	}
	klua_state_put(s);
	return 0;
}

static const struct nla_policy klua_name_policy[KLUA_ATTR_NAME + 1] = {
	[KLUA_ATTR_NAME] = { .type = NLA_NUL_STRING, .len = KLUA_NAME_MAX },
};

static const struct nla_policy klua_create_policy[KLUA_ATTR_CONTEXT + 1] = {
	[KLUA_ATTR_NAME] = { .type = NLA_NUL_STRING, .len = KLUA_NAME_MAX },
	[KLUA_ATTR_MEMORY_LIMIT] = { .type = NLA_U64 },
	[KLUA_ATTR_INSTR_LIMIT] = { .type = NLA_U64 },
	[KLUA_ATTR_TIME_LIMIT] = { .type = NLA_U64 },
	[KLUA_ATTR_CONTEXT] = NLA_POLICY_RANGE(NLA_U8, KLUA_CONTEXT_SOFTIRQ, KLUA_CONTEXT_HARDIRQ),
};

static const struct nla_policy klua_interrupt_policy[KLUA_ATTR_PORTID + 1] = {
	[KLUA_ATTR_NAME] = { .type = NLA_NUL_STRING, .len = KLUA_NAME_MAX },
	[KLUA_ATTR_PORTID] = { .type = NLA_U32 },
};

static const struct nla_policy klua_args_policy[KLUA_ARG_MAX + 1] = {
	[KLUA_ARG_VALUE] = { .type = NLA_NUL_STRING },
};

static const struct nla_policy klua_exec_policy[KLUA_ATTR_ARGS + 1] = {
	[KLUA_ATTR_NAME] = { .type = NLA_NUL_STRING, .len = KLUA_NAME_MAX },
	[KLUA_ATTR_CODE] = { .type = NLA_BINARY },
	[KLUA_ATTR_CHUNKNAME] = { .type = NLA_NUL_STRING, .len = KLUA_CHUNKNAME_MAX },
	[KLUA_ATTR_ARGS] = NLA_POLICY_NESTED(klua_args_policy),
};

static const struct genl_ops klua_ops[] = {
	{
		.cmd = KLUA_CMD_CREATE,
		.flags = GENL_ADMIN_PERM,
		.policy = klua_create_policy,
		.maxattr = ARRAY_SIZE(klua_create_policy) - 1,
		.doit = klua_nl_create,
	},
	{
		.cmd = KLUA_CMD_DESTROY,
		.flags = GENL_ADMIN_PERM,
		.policy = klua_name_policy,
		.maxattr = ARRAY_SIZE(klua_name_policy) - 1,
		.doit = klua_nl_destroy,
	},
	{
		.cmd = KLUA_CMD_LIST,
		.flags = GENL_ADMIN_PERM,
		.policy = klua_name_policy,
		.maxattr = ARRAY_SIZE(klua_name_policy) - 1,
		.doit = klua_nl_list_one,
		.dumpit = klua_nl_list_dump,
	},
	{
		.cmd = KLUA_CMD_EXEC,
		.flags = GENL_ADMIN_PERM,
		.policy = klua_exec_policy,
		.maxattr = ARRAY_SIZE(klua_exec_policy) - 1,
		.start = klua_nl_exec_start,
		.dumpit = klua_nl_exec_dump,
		.done = klua_nl_exec_done,
	},
	{
		.cmd = KLUA_CMD_SUBSCRIBE,
		.flags = GENL_ADMIN_PERM,
		.policy = klua_name_policy,
		.maxattr = ARRAY_SIZE(klua_name_policy) - 1,
		.doit = klua_nl_subscribe,
	},
	{
		.cmd = KLUA_CMD_UNSUBSCRIBE,
		.flags = GENL_ADMIN_PERM,
		.policy = klua_name_policy,
		.maxattr = ARRAY_SIZE(klua_name_policy) - 1,
		.doit = klua_nl_unsubscribe,
	},
	{
		.cmd = KLUA_CMD_INTERRUPT,
		.flags = GENL_ADMIN_PERM,
		.policy = klua_interrupt_policy,
		.maxattr = ARRAY_SIZE(klua_interrupt_policy) - 1,
		.doit = klua_nl_interrupt,
	},
	{
		.cmd = KLUA_CMD_HOOKS,
		.flags = GENL_ADMIN_PERM,
		.policy = klua_name_policy,
		.maxattr = ARRAY_SIZE(klua_name_policy) - 1,
		.dumpit = klua_nl_hooks_dump,
	},
};

struct genl_family klua_family __ro_after_init = {
	.name = KLUA_GENL_NAME,
	.version = KLUA_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = klua_ops,
	.n_ops = ARRAY_SIZE(klua_ops),
	.resv_start_op = KLUA_CMD_MAX + 1,
	.netnsok = true,
	.parallel_ops = true,
};

int klua_netlink_init(void)
{
	return genl_register_family(&klua_family);
}

void klua_netlink_exit(void)
{
	genl_unregister_family(&klua_family);
}
