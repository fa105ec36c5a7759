// SPDX-License-Identifier: GPL-2.0-only
/*
 * nlfuzz: malformed and random generic netlink messages to the klua family,
 * with valid requests interleaved.
 *
 *   nlfuzz [-s SEED] [-n MESSAGES] [-b BATCH] [-t SECONDS] [-j WORKERS] [-v]
 *
 * WORKERS processes (2) each send MESSAGES / WORKERS messages over a raw
 * socket of their own, in datagrams of up to BATCH (64) messages: netlink
 * handles the nlmsghdrs of one datagram in order. Each random message has
 * random flags (NLM_F_DUMP and NLM_F_ACK among them), a random command
 * (unknown ones too), a random protocol version, and random attributes:
 * missing, duplicated, truncated, oversized, of the wrong type or size,
 * flagged nested, with bad nesting inside KLUA_ATTR_ARGS; some go to
 * unknown family ids or carry control types; some have an nlmsg_len that
 * is too short, too long, or shorter than what follows (the rest is then
 * read as a message of its own). The states they name are the worker's
 * nf<w>r0..7 (w: the worker's letter) and invalid names; the chunks they
 * run are short.
 *
 * Before sending a datagram, a worker walks it as netlink_rcv_skb() does,
 * to know which messages the kernel handles and which must be answered
 * (those with NLM_F_ACK, and dumps). It then reads until each has its
 * answer (an error or an ACK, or a dump's NLMSG_DONE) within 10 s. An
 * answer to a message never sent, an errno outside the expected ones, a
 * malformed reply (attribute lengths, non-zero padding, an extack message
 * that is not a NUL-terminated printable string) or a lost answer (ENOBUFS)
 * fails the run.
 *
 * The valid requests interleaved keep a model of their states: nf<w>v0..3
 * always exist (EXEC of a product, LIST of one, INTERRUPT), nf<w>x0..3 are
 * created and destroyed (CREATE, DESTROY, LIST); each answer must be the
 * model's. At the end the worker's states in the list must be the model's
 * and those a random CREATE made (its reply names them), and none may have
 * more than one subscriber (a worker opens a new socket every 1000
 * datagrams: the subscriptions of the closed ones must go). The workers
 * destroy their states, and the list must then be what it was before.
 *
 * On failure: the seed, the worker, the datagram's number and the message
 * in hex, and exit 1. At the end, one line of counts and messages/s.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "uapi/klua.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define BUF_SIZE	(4 << 20)	/* one datagram out */
#define MAX_MSGS	4096		/* messages (as the kernel sees them) a datagram */
#define RECV_VLEN	64
#define RECV_SIZE	(64 << 10)
#define ANSWER_TIMEOUT_MS 10000
#define POOL		8		/* nfr0..nfr7 */
#define VALID		4		/* nfv0..3, nfx0..3 */

struct seen;

/* ---- random numbers: xoshiro256** seeded by splitmix64 ---- */

static uint64_t rs[4];

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(void)
{
	uint64_t r = ((rs[1] * 5) << 7 | (rs[1] * 5) >> 57) * 9, t = rs[1] << 17;

	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rs[3] << 45 | rs[3] >> 19;
	return r;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)((rnd() >> 32) * n >> 32) : 0;
}

static bool chance(double p)
{
	return (rnd() >> 11) * 0x1.0p-53 < p;
}

/* ---- failure ---- */

static uint64_t seed, datagrams, messages, answers, events, valid_checked;
static char worker_letter;	/* a worker's letter ('a', 'b', ...); 0 in the parent */
static uint64_t errnos[256];
static const unsigned char *cur_buf;
static size_t cur_len;
static const struct seen *cur_seen;	/* the message whose answer is being read */
static char extack_msg[256];		/* of the answer being read */
static bool verbose;

static void hexdump(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n && i < 512; i++)
		fprintf(stderr, "%02x%s", p[i], (i + 1) % 32 ? "" : "\n");
	fprintf(stderr, "%s\n", n > 512 ? " ..." : "");
}

static uint32_t seen_len(const struct seen *s);
static size_t seen_off(const struct seen *s);

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "FAIL seed %" PRIu64 " (worker %c) datagram %" PRIu64 ": ", seed,
		worker_letter ? worker_letter : '-', datagrams);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (extack_msg[0])
		fprintf(stderr, "its extack message: %s\n", extack_msg);
	if (cur_buf && cur_seen) {
		fprintf(stderr, "the message (%u bytes at offset %zu of %zu):\n", seen_len(cur_seen),
			seen_off(cur_seen), cur_len);
		hexdump(cur_buf + seen_off(cur_seen), seen_len(cur_seen));
	} else if (cur_buf) {
		fprintf(stderr, "the datagram (%zu bytes):\n", cur_len);
		hexdump(cur_buf, cur_len);
	}
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- building messages ---- */

struct out {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct out *o, const void *data, size_t n)
{
	if (o->len + n > o->cap)
		fail("internal: datagram buffer full");
	memcpy(o->p + o->len, data, n);
	o->len += n;
}

static void pad(struct out *o)
{
	static const unsigned char zero[4];

	put(o, zero, (4 - o->len % 4) % 4);
}

/* An attribute; returns its offset. */
static size_t attr(struct out *o, uint16_t type, const void *data, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n), .nla_type = type };
	size_t at = o->len;

	put(o, &a, sizeof(a));
	put(o, data, n);
	pad(o);
	return at;
}

static void attr_str(struct out *o, uint16_t type, const char *s)
{
	attr(o, type, s, strlen(s) + 1);
}

static void attr_u64(struct out *o, uint16_t type, uint64_t v)
{
	attr(o, type, &v, sizeof(v));
}

static size_t nest_begin(struct out *o, uint16_t type)
{
	struct nlattr a = { .nla_len = 0, .nla_type = type | NLA_F_NESTED };
	size_t at = o->len;

	put(o, &a, sizeof(a));
	return at;
}

static void nest_end(struct out *o, size_t at)
{
	((struct nlattr *)(o->p + at))->nla_len = (uint16_t)(o->len - at);
}

static size_t msg_begin(struct out *o, uint16_t type, uint16_t flags, uint32_t seq,
			uint8_t cmd, uint8_t version)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq };
	struct genlmsghdr g = { .cmd = cmd, .version = version };
	size_t at = o->len;

	put(o, &h, sizeof(h));
	put(o, &g, sizeof(g));
	return at;
}

static void msg_end(struct out *o, size_t at)
{
	pad(o);
	((struct nlmsghdr *)(o->p + at))->nlmsg_len = (uint32_t)(o->len - at);
}

/* ---- the socket ---- */

static int fd;
static uint16_t family;
static uint32_t seqno = 1000;
static uint16_t other_families[256];	/* registered ids other than klua and nlctrl */
static int n_other;

static void open_socket(void)
{
	int one = 1, size = 64 << 20;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		fail("socket: %s", strerror(errno));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		fail("SO_RCVBUFFORCE/SO_SNDBUFFORCE (needs CAP_NET_ADMIN): %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		fail("bind: %s", strerror(errno));
}

static void send_buf(const void *p, size_t n)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(fd, p, n, 0, (struct sockaddr *)&sa, sizeof(sa)) != (ssize_t)n)
		fail("sendto of %zu bytes: %s", n, strerror(errno));
}

/* Walks the attributes in [p, p + n); false if one is malformed. */
typedef void (*attr_fn)(uint16_t type, const unsigned char *data, size_t len, void *ctx);

static bool walk_attrs(const unsigned char *p, size_t n, attr_fn fn, void *ctx, const char **why)
{
	while (n >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		size_t total = NLA_ALIGN(a->nla_len);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > n) {
			*why = "an attribute's length is out of bounds";
			return false;
		}
		for (size_t i = a->nla_len; i < total && i < n; i++)
			if (p[i]) {
				*why = "an attribute's padding is not zero";
				return false;
			}
		if (fn)
			fn(a->nla_type & NLA_TYPE_MASK, p + NLA_HDRLEN, a->nla_len - NLA_HDRLEN, ctx);
		if (total >= n)
			return true;
		p += total;
		n -= total;
	}
	if (n) {
		*why = "bytes after the last attribute";
		return false;
	}
	return true;
}

/* A simple request/answer on the socket, outside the fuzzing (setup). */
struct simple {
	int err;
	int replies;
	char names[512][KLUA_NAME_MAX + 1];
	int n_names;
	uint64_t mem_limit, instr_limit;
	uint32_t subscribers;
	unsigned char out[8192];
	size_t out_len;
};

static void simple_attr(uint16_t type, const unsigned char *d, size_t n, void *ctx)
{
	struct simple *s = ctx;

	if (type == KLUA_ATTR_NAME && n && n <= KLUA_NAME_MAX + 1 && s->n_names < 512) {
		memcpy(s->names[s->n_names], d, n);
		s->names[s->n_names++][n - 1] = 0;
	} else if (type == KLUA_ATTR_MEMORY_LIMIT && n == 8) {
		memcpy(&s->mem_limit, d, 8);
	} else if (type == KLUA_ATTR_INSTR_LIMIT && n == 8) {
		memcpy(&s->instr_limit, d, 8);
	} else if (type == KLUA_ATTR_SUBSCRIBERS && n == 4) {
		memcpy(&s->subscribers, d, 4);
	} else if (type == KLUA_ATTR_OUTPUT && s->out_len + n < sizeof(s->out)) {
		memcpy(s->out + s->out_len, d, n);
		s->out_len += n;
	}
}

struct ctrl_ctx {
	uint16_t id;
	char name[GENL_NAMSIZ + 1];
};

static void ctrl_attr(uint16_t type, const unsigned char *d, size_t n, void *ctx)
{
	struct ctrl_ctx *c = ctx;

	if (type == CTRL_ATTR_FAMILY_ID && n >= 2)
		memcpy(&c->id, d, 2);
	if (type == CTRL_ATTR_FAMILY_NAME && n && n <= GENL_NAMSIZ) {
		memcpy(c->name, d, n);
		c->name[n - 1] = 0;
	}
}

static unsigned char rbuf[RECV_VLEN][RECV_SIZE];

static void simple_request(uint16_t type, uint8_t cmd, uint16_t flags, struct out *attrs,
			   struct simple *s, bool ctrl)
{
	unsigned char buf[70000];
	struct out o = { buf, 0, sizeof(buf) };
	uint32_t seq = ++seqno;
	size_t m = msg_begin(&o, type, NLM_F_REQUEST | flags, seq, cmd, 1);
	bool done = false;

	if (attrs)
		put(&o, attrs->p, attrs->len);
	msg_end(&o, m);
	memset(s, 0, sizeof(*s));
	send_buf(buf, o.len);
	while (!done) {
		ssize_t n = recv(fd, rbuf[0], RECV_SIZE, 0);
		unsigned char *p = rbuf[0];
		const char *why;

		if (n < 0)
			fail("recv: %s", strerror(errno));
		while (n >= (ssize_t)NLMSG_HDRLEN) {
			struct nlmsghdr *h = (void *)p;

			if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > n)
				fail("setup: a malformed reply");
			if (h->nlmsg_seq == seq) {
				if (h->nlmsg_type == NLMSG_ERROR) {
					s->err = *(int *)NLMSG_DATA(h);
					done = true;
				} else if (h->nlmsg_type == NLMSG_DONE) {
					s->err = *(int *)NLMSG_DATA(h);
					done = true;
				} else {
					s->replies++;
					if (ctrl) {
						struct ctrl_ctx c = { 0 };

						walk_attrs(p + NLMSG_HDRLEN + GENL_HDRLEN,
							   h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
							   ctrl_attr, &c, &why);
						if (!strcmp(c.name, KLUA_GENL_NAME))
							family = c.id;
						else if (c.id != GENL_ID_CTRL && n_other < 256)
							other_families[n_other++] = c.id;
					} else if (!walk_attrs(p + NLMSG_HDRLEN + GENL_HDRLEN,
							       h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
							       simple_attr, s, &why)) {
						fail("setup: a reply is malformed: %s", why);
					}
					if (!(flags & NLM_F_DUMP) && !(flags & NLM_F_ACK))
						done = true;
				}
			}
			n -= NLMSG_ALIGN(h->nlmsg_len);
			p += NLMSG_ALIGN(h->nlmsg_len);
		}
	}
}

static void resolve(void)
{
	struct simple s;

	simple_request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_DUMP, NULL, &s, true);
	if (!family)
		fail("no generic netlink family named " KLUA_GENL_NAME " (is klua.ko loaded?)");
}

static int simple_klua(uint8_t cmd, const char *name, uint64_t mem, uint64_t instr,
		       struct simple *s)
{
	unsigned char abuf[256];
	struct out a = { abuf, 0, sizeof(abuf) };

	if (name)
		attr_str(&a, KLUA_ATTR_NAME, name);
	if (mem)
		attr_u64(&a, KLUA_ATTR_MEMORY_LIMIT, mem);
	if (instr)
		attr_u64(&a, KLUA_ATTR_INSTR_LIMIT, instr);
	simple_request(family, cmd, name && cmd != KLUA_CMD_LIST ? NLM_F_ACK :
		       name ? NLM_F_ACK : NLM_F_DUMP, &a, s, false);
	return s->err;
}

/* ---- the model of the valid requests' states ---- */

/*
 * Each worker process has its own socket and states: nf<w>v0..3 and
 * nf<w>x0..3 for the valid requests, nf<w>r0..7 for the random ones, where
 * <w> is the worker's letter.
 */
static void pool_name(char *s, int i)
{
	sprintf(s, "nf%cr%d", worker_letter, i);
}

/*
 * Not a name of this worker's: another's, or one that random bytes made
 * (the parent checks at the end that none of those is left).
 */
static bool not_own(const char *name)
{
	return strncmp(name, "nf", 2) || name[2] != worker_letter;
}

struct vstate {
	bool exists;
	uint64_t mem, instr;
};

static struct vstate nfv[VALID], nfx[VALID];
static bool pool_created[POOL];
/* the names in the replies to random CREATE requests: states they made */
static char created[256][KLUA_NAME_MAX + 1];
static int n_created;

static void note_created(const char *name)
{
	for (int i = 0; i < n_created; i++)
		if (!strcmp(created[i], name))
			return;
	if (n_created == 256)
		fail("more than 256 states made by random CREATE requests");
	strcpy(created[n_created++], name);
}

static bool was_created(const char *name)
{
	for (int i = 0; i < n_created; i++)
		if (!strcmp(created[i], name))
			return true;
	return false;
}

/* ---- what was sent, as the kernel will see it ---- */

enum valid_kind { V_NONE, V_EXEC, V_CREATE, V_DESTROY, V_LIST, V_INTERRUPT };

struct gen {			/* a message that nlfuzz generated */
	size_t off;
	enum valid_kind kind;
	int idx;		/* V_*: which state */
	bool x;			/* an nfx state (else nfv) */
	int64_t product;	/* V_EXEC: a * b */
	int64_t a;
	uint64_t mem, instr;	/* V_CREATE: the limits asked for; V_LIST: expected */
	int expect;		/* V_*: the error expected (0: success) */
	int pool_create;	/* a random CREATE of pool state n, or -1 */
	uint32_t len;		/* its nlmsg_len as built */
};

struct seen {			/* a message as netlink_rcv_skb will read it */
	size_t off;
	uint32_t seq, len;
	uint16_t type, flags;
	bool required, answered, multi, ctrl_or_noreq;
	struct gen *gen;	/* the generated message at this offset, if any */
	int err;
	int replies;
	char reply_name[KLUA_NAME_MAX + 1];
	uint64_t mem_limit, instr_limit;
	size_t out_len;
	bool out_overflow;
	unsigned char out[1024];	/* last: the rest is zeroed for each message */
};

static struct gen gens[MAX_MSGS];

static uint32_t seen_len(const struct seen *s)
{
	return s->len;
}

static size_t seen_off(const struct seen *s)
{
	return s->off;
}

static uint32_t gen_len(const struct gen *g)
{
	return g->len;
}
static int n_gens;
static struct seen seen[MAX_MSGS];
static int n_seen;

static bool is_other_family(uint16_t type)
{
	for (int i = 0; i < n_other; i++)
		if (other_families[i] == type)
			return true;
	return false;
}

/*
 * netlink_rcv_skb(): the messages of the datagram in order, until a header
 * that is short or longer than what is left. False if one of them would
 * reach another family than klua or nlctrl (a mangled length can make
 * one out of attribute bytes): nlfuzz then makes another datagram.
 */
static bool walk_datagram(const unsigned char *p, size_t n)
{
	size_t off = 0;
	int g = 0;

	n_seen = 0;
	while (n - off >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = (const void *)(p + off);
		struct seen *s;

		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > n - off)
			break;
		if (n_seen == MAX_MSGS)
			return false;
		s = &seen[n_seen++];
		memset(s, 0, offsetof(struct seen, out));
		s->off = off;
		s->seq = h->nlmsg_seq;
		s->len = h->nlmsg_len;
		s->type = h->nlmsg_type;
		s->flags = h->nlmsg_flags;
		s->ctrl_or_noreq = !(s->flags & NLM_F_REQUEST) || s->type < NLMSG_MIN_TYPE;
		s->required = (s->flags & NLM_F_ACK) ||
			      (!s->ctrl_or_noreq && (s->flags & NLM_F_DUMP) == NLM_F_DUMP);
		if (!s->ctrl_or_noreq && s->type != family && is_other_family(s->type))
			return false;
		while (g < n_gens && gens[g].off < off)
			g++;
		if (g < n_gens && gens[g].off == off)
			s->gen = &gens[g];
		off += NLMSG_ALIGN(h->nlmsg_len);
		if (off > n)
			break;
	}
	return true;
}

/* ---- random content ---- */

static const char *const CODES[] = {
	"return 1", "return ...", "return select('#', ...)", "x = (x or 0) + 1 return x",
	"print(('x'):rep(5000)) return 1", "print(('y'):rep(100000))", "error({})",
	"error('e')", "return {1, 2, {3}}", "for i = 1, 100 do end", "return ('\\255'):rep(10)",
	"timer.after(1, function() print('t') end)", "local t = {} t.t = t return t",
	"return string.rep('z', 3000)", "return", "", "\x1bLua", "return 1.5", "(",
	"while true do end", "local s = 0 for i = 1, 1000 do s = s + i end return s",
	"return require('agg').log2(1024)", "collectgarbage() return collectgarbage('count')",
};

static void random_name(struct out *o, uint16_t type, int *pool)
{
	char s[80];
	int n;

	*pool = -1;
	switch (below(12)) {
	case 0: /* unterminated */
		pool_name(s, 0);
		attr(o, type, s, strlen(s));
		return;
	case 1: /* too long */
		memset(s, 'n', 70);
		s[70] = 0;
		attr_str(o, type, s);
		return;
	case 2:
		attr(o, type, "", 1);
		return;
	case 3: /* bad characters */
		attr_str(o, type, below(2) ? "nf r0" : "../nfr0");
		return;
	case 4: { /* random bytes, never a valid name */
		n = below(70);
		for (int i = 0; i < n; i++)
			s[i] = (char)rnd();
		if (n)
			s[0] = (char)(0x80 | s[0]);
		attr(o, type, s, n);
		return;
	}
	case 5: /* a u32 */
		attr(o, type, "\x01\x00\x00\x00", 4);
		return;
	default:
		*pool = below(POOL);
		pool_name(s, *pool);
		attr_str(o, type, s);
		return;
	}
}

static uint64_t random_u64(void)
{
	static const uint64_t v[] = {
		0, 1, 2, 4096, 12288, 65536, 1 << 20, 4 << 20, 64 << 20, (64 << 20) + 1, 100000000,
		100000001, 1000000, UINT64_MAX, UINT64_MAX / 2, 1ULL << 63, (1ULL << 32) - 1,
	};

	return chance(0.8) ? v[below(sizeof(v) / sizeof(v[0]))] : rnd();
}

static void random_code(struct out *o, uint16_t type)
{
	static unsigned char big[66000];
	size_t n;
	const char *c;

	switch (below(10)) {
	case 0: /* oversized: around max_chunk and the attribute's own limit (rarely: they are slow) */
		if (!chance(0.02))
			goto flipped;
		n = (size_t[]){ 63999, 64000, 64001, 65000, 65531 }[below(5)];
		memset(big, below(2) ? ' ' : 'x', n);
		memcpy(big, "return 1 --", 11);
		attr(o, type, big, n);
		return;
	case 1: /* random bytes */
		n = below(200);
		for (size_t i = 0; i < n; i++)
			big[i] = (unsigned char)rnd();
		attr(o, type, big, n);
		return;
	case 2: /* a chunk with a byte flipped */
flipped:
		c = CODES[below(sizeof(CODES) / sizeof(CODES[0]))];
		n = strlen(c);
		memcpy(big, c, n);
		if (n)
			big[below(n)] ^= (unsigned char)(1 << below(8));
		attr(o, type, big, n);
		return;
	default:
		c = CODES[below(sizeof(CODES) / sizeof(CODES[0]))];
		attr(o, type, c, strlen(c) + below(2));
		return;
	}
}

/* 1025 KLUA_ARG_VALUE attributes "0".."1024", built once. */
static unsigned char many_args[1025 * 12];
static size_t many_args_len[1026];	/* the bytes of the first n */

static void build_many_args(void)
{
	struct out o = { many_args, 0, sizeof(many_args) };
	char s[8];

	for (int i = 0; i < 1025; i++) {
		many_args_len[i] = o.len;
		snprintf(s, sizeof(s), "%d", i);
		attr_str(&o, KLUA_ARG_VALUE, s);
	}
	many_args_len[1025] = o.len;
}

static void random_args(struct out *o)
{
	size_t nest = nest_begin(o, KLUA_ATTR_ARGS);
	uint32_t n = below(6);

	if (chance(0.01)) {	/* at KLUA_EXEC_ARGS_MAX and one past it */
		n = chance(0.5) ? KLUA_EXEC_ARGS_MAX : KLUA_EXEC_ARGS_MAX + 1;
		put(o, many_args, many_args_len[n]);
		n = 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		switch (below(20)) {
		case 0:
			attr(o, KLUA_ARG_VALUE, "open", 4);	/* unterminated */
			break;
		case 1:
			attr_str(o, (uint16_t)below(4), "t");		/* another type */
			break;
		case 2: { /* nested one deeper */
			size_t in = nest_begin(o, KLUA_ARG_VALUE);

			attr_str(o, KLUA_ARG_VALUE, "deep");
			nest_end(o, in);
			break;
		}
		default:
			attr(o, KLUA_ARG_VALUE, (const char[]){ (char)('0' + i), 0 }, 2);
		}
	}
	nest_end(o, nest);
	if (chance(0.05))	/* the nest's length wrong */
		((struct nlattr *)(o->p + nest))->nla_len += (uint16_t)(below(16) - 8);
}

/* One random attribute of the klua family's space (or outside it). */
static void random_attr(struct out *o, int *pool)
{
	unsigned char junk[64];
	uint16_t type;
	int p;

	switch (below(16)) {
	case 0: case 1: case 2:
		random_name(o, KLUA_ATTR_NAME, &p);
		if (p >= 0)
			*pool = p;
		return;
	case 3:
		attr_u64(o, KLUA_ATTR_MEMORY_LIMIT, random_u64());
		return;
	case 4:
		attr_u64(o, KLUA_ATTR_INSTR_LIMIT, random_u64());
		return;
	case 5: case 6:
		random_code(o, KLUA_ATTR_CODE);
		return;
	case 7:
		if (chance(0.5)) {
			attr_str(o, KLUA_ATTR_CHUNKNAME, "=fuzz");
		} else {
			memset(junk, 'c', sizeof(junk));
			attr(o, KLUA_ATTR_CHUNKNAME, junk, below(64));
		}
		return;
	case 8: {
		uint32_t port = chance(0.5) ? 0 : (uint32_t)rnd();

		attr(o, KLUA_ATTR_PORTID, &port, below(5) == 0 ? below(5) : 4);
		return;
	}
	case 9:
		random_args(o);
		return;
	case 10: { /* a known type with a wrong size (never a valid name) */
		uint32_t n = below(13);

		for (uint32_t i = 0; i < n; i++)
			junk[i] = (unsigned char)rnd();
		junk[0] |= 0x80;
		attr(o, (uint16_t)(1 + below(KLUA_ATTR_MAX + 2)), junk, n);
		return;
	}
	case 11: /* flags: nested, byte order */
		type = (uint16_t)(below(KLUA_ATTR_MAX + 2) | (below(2) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER));
		memset(junk, 0, 8);
		pool_name((char *)junk, 0);
		attr(o, type, junk, 8);
		return;
	case 12: /* any type at all */
		type = (uint16_t)rnd();
		attr(o, type, junk, below(16));
		return;
	case 13: { /* truncated: a length past the end of the message */
		struct nlattr a = { .nla_len = (uint16_t)(8 + below(200)), .nla_type = KLUA_ATTR_NAME };

		put(o, &a, sizeof(a));
		put(o, "nfr1", 4);
		return;
	}
	case 14: { /* shorter than its header, or zero */
		struct nlattr a = { .nla_len = (uint16_t)below(4), .nla_type = (uint16_t)below(KLUA_ATTR_MAX + 1) };

		put(o, &a, sizeof(a));
		return;
	}
	default: /* an empty attribute */
		attr(o, (uint16_t)below(KLUA_ATTR_MAX + 1), NULL, 0);
		return;
	}
}

/* The type of a random message: mostly klua's family. */
static uint16_t random_type(void)
{
	uint16_t t;

	switch (below(50)) {
	case 0:
		return GENL_ID_CTRL;
	case 1:
		return (uint16_t)below(NLMSG_MIN_TYPE);	/* a control message */
	case 2:
		do
			t = (uint16_t)(NLMSG_MIN_TYPE + below(0xffff - NLMSG_MIN_TYPE));
		while (t == family || t == GENL_ID_CTRL || is_other_family(t));
		return t;
	default:
		return family;
	}
}

static uint16_t random_flags(void)
{
	uint16_t f = 0;

	if (chance(0.97))
		f |= NLM_F_REQUEST;
	if (chance(0.7))
		f |= NLM_F_ACK;
	if (chance(0.15))
		f |= NLM_F_DUMP;
	else if (chance(0.05))
		f |= below(2) ? NLM_F_ROOT : NLM_F_MATCH;
	if (chance(0.05))
		f |= NLM_F_ECHO;
	if (chance(0.03))
		f |= (uint16_t)rnd();
	return f;
}

static uint8_t random_cmd(void)
{
	if (chance(0.85))
		return (uint8_t)below(KLUA_CMD_MAX + 2);
	return (uint8_t)rnd();
}

static uint8_t random_version(void)
{
	static const uint8_t v[] = { 0, 2, 255, KLUA_GENL_VERSION + 1 };

	return chance(0.85) ? KLUA_GENL_VERSION : v[below(4)];
}

static void random_message(struct out *o)
{
	struct gen *g = &gens[n_gens++];
	uint8_t cmd = random_cmd();
	uint16_t flags = random_flags();
	int pool = -1;
	size_t m, n;

	g->off = o->len;
	g->kind = V_NONE;
	g->pool_create = -1;
	m = msg_begin(o, random_type(), flags, ++seqno, cmd, random_version());
	if (chance(0.05))
		((struct genlmsghdr *)(o->p + m + NLMSG_HDRLEN))->reserved = (uint16_t)rnd();
	n = chance(0.1) ? 0 : 1 + below(5);
	for (size_t i = 0; i < n; i++) {
		random_attr(o, &pool);
		if (chance(0.1))	/* duplicated */
			random_attr(o, &pool);
	}
	if (chance(0.02))		/* stray bytes after the attributes */
		put(o, "\x07\x07\x07", 1 + below(3));
	msg_end(o, m);
	if (cmd == KLUA_CMD_CREATE && pool >= 0)
		g->pool_create = pool;
	if (chance(0.03)) {
		/* a length shorter than the message: the rest reads as another */
		struct nlmsghdr *h = (void *)(o->p + m);

		h->nlmsg_len = NLMSG_HDRLEN + (uint32_t)below(h->nlmsg_len - NLMSG_HDRLEN + 1);
	} else if (chance(0.01)) {
		/* shorter than the genetlink header */
		((struct nlmsghdr *)(o->p + m))->nlmsg_len = NLMSG_HDRLEN + below(GENL_HDRLEN);
		o->len = m + NLMSG_ALIGN(((struct nlmsghdr *)(o->p + m))->nlmsg_len);
	}
}

/* The last message of a datagram: a length the kernel stops at. */
static void bad_length_message(struct out *o)
{
	struct gen *g = &gens[n_gens++];
	size_t m;

	g->off = o->len;
	g->kind = V_NONE;
	g->pool_create = -1;
	m = msg_begin(o, family, NLM_F_REQUEST | NLM_F_ACK, ++seqno, KLUA_CMD_LIST, 1);
	attr_str(o, KLUA_ATTR_NAME, "nf.bad");
	msg_end(o, m);
	((struct nlmsghdr *)(o->p + m))->nlmsg_len = below(2) ? (uint32_t)below(NLMSG_HDRLEN) :
		(uint32_t)(o->len - m + 1 + below(1000));
	if (chance(0.3))
		o->len = m + below((uint32_t)(o->len - m));	/* cut short as well */
}

/* ---- the valid requests ---- */

static void valid_name(char *s, bool x, int i)
{
	sprintf(s, "nf%c%c%d", worker_letter, x ? 'x' : 'v', i);
}

static void valid_exec(struct out *o)
{
	struct gen *g = &gens[n_gens++];
	int64_t a = (int64_t)(rnd() >> 34) - (1LL << 29), b = (int64_t)(rnd() >> 34) - (1LL << 29);
	char name[16], code[128];
	size_t m;

	g->off = o->len;
	g->kind = V_EXEC;
	g->idx = below(VALID);
	g->x = false;
	g->a = a;
	g->product = a * b;
	g->pool_create = -1;
	valid_name(name, false, g->idx);
	snprintf(code, sizeof(code), "local a, b = %" PRId64 ", %" PRId64 " return a * b, 'n' .. a", a, b);
	m = msg_begin(o, family, NLM_F_REQUEST | NLM_F_DUMP, ++seqno, KLUA_CMD_EXEC, 1);
	attr_str(o, KLUA_ATTR_NAME, name);
	attr(o, KLUA_ATTR_CODE, code, strlen(code));
	msg_end(o, m);
	g->len = (uint32_t)(o->len - m);
}

static void valid_op(struct out *o)
{
	struct gen *g = &gens[n_gens++];
	char name[16];
	uint8_t cmd;
	size_t m;

	g->off = o->len;
	g->idx = below(VALID);
	g->pool_create = -1;
	switch (below(6)) {
	case 0:
		g->kind = V_CREATE;
		g->x = true;
		cmd = KLUA_CMD_CREATE;
		break;
	case 1:
		g->kind = V_DESTROY;
		g->x = true;
		cmd = KLUA_CMD_DESTROY;
		break;
	case 2: case 3:
		g->kind = V_LIST;
		g->x = below(2);
		cmd = KLUA_CMD_LIST;
		break;
	default:
		g->kind = V_INTERRUPT;
		g->x = false;
		cmd = KLUA_CMD_INTERRUPT;
		break;
	}
	valid_name(name, g->x, g->idx);
	m = msg_begin(o, family, NLM_F_REQUEST | NLM_F_ACK, ++seqno, cmd, 1);
	attr_str(o, KLUA_ATTR_NAME, name);
	if (g->kind == V_CREATE) {
		g->mem = 262144 + below(1 << 20);
		g->instr = 1 + below(1000000);
		attr_u64(o, KLUA_ATTR_MEMORY_LIMIT, g->mem);
		attr_u64(o, KLUA_ATTR_INSTR_LIMIT, g->instr);
	}
	msg_end(o, m);
	g->len = (uint32_t)(o->len - m);
}

/*
 * What a handled valid request must get, by the model as it stands when
 * the kernel reaches it (g->expect, and for LIST the limits); updates the
 * model.
 */
static void expect_valid(struct gen *g)
{
	struct vstate *v = g->x ? &nfx[g->idx] : &nfv[g->idx];

	g->expect = 0;
	switch (g->kind) {
	case V_CREATE:
		if (v->exists) {
			g->expect = -EEXIST;
			break;
		}
		*v = (struct vstate){ true, g->mem, g->instr };
		break;
	case V_DESTROY:
		if (!v->exists)
			g->expect = -ENOENT;
		v->exists = false;
		break;
	case V_LIST:
		if (!v->exists)
			g->expect = -ENOENT;
		g->mem = v->mem;
		g->instr = v->instr;
		break;
	default:
		break;
	}
}

/* ---- reading answers ---- */

static const int ALLOWED_ERRNOS[] = {
	EINVAL, ENOENT, EOPNOTSUPP, ERANGE, EEXIST, E2BIG, EPROTONOSUPPORT, ENOSPC, EBUSY,
	EMSGSIZE, EPERM,
};

static struct seen *find_seen(uint32_t seq, bool unanswered)
{
	for (int i = 0; i < n_seen; i++)
		if (seen[i].seq == seq && (!unanswered || !seen[i].answered))
			return &seen[i];
	return NULL;
}

static void check_errno(int code, const char *what)
{
	/* CREATE with a memory limit too small for the libraries */
	if (code == -ENOMEM && strstr(extack_msg, "too small")) {
		errnos[ENOMEM]++;
		return;
	}
	if (code > 0)
		fail("%s with a positive code %d", what, code);
	if (code == 0)
		return;
	for (size_t i = 0; i < sizeof(ALLOWED_ERRNOS) / sizeof(ALLOWED_ERRNOS[0]); i++)
		if (-code == ALLOWED_ERRNOS[i]) {
			errnos[-code & 255]++;
			return;
		}
	fail("%s with errno %d (%s), not one nlfuzz expects", what, -code, strerror(-code));
}

static void extack_attr(uint16_t type, const unsigned char *d, size_t n, void *ctx)
{
	(void)ctx;
	if (type != NLMSGERR_ATTR_MSG)
		return;
	snprintf(extack_msg, sizeof(extack_msg), "%.*s", (int)n, (const char *)d);
	if (!n || d[n - 1])
		fail("an extack message that does not end in NUL");
	for (size_t i = 0; i + 1 < n; i++)
		if (d[i] < 0x20 || d[i] > 0x7e)
			fail("an extack message with byte 0x%02x: %.*s", d[i], (int)n, (const char *)d);
}

static void seen_attr(uint16_t type, const unsigned char *d, size_t n, void *ctx)
{
	struct seen *s = ctx;

	if (type == KLUA_ATTR_NAME && n && n <= KLUA_NAME_MAX + 1) {
		memcpy(s->reply_name, d, n);
		s->reply_name[n - 1] = 0;
	} else if (type == KLUA_ATTR_MEMORY_LIMIT && n == 8) {
		memcpy(&s->mem_limit, d, 8);
	} else if (type == KLUA_ATTR_INSTR_LIMIT && n == 8) {
		memcpy(&s->instr_limit, d, 8);
	} else if (type == KLUA_ATTR_OUTPUT) {
		if (s->out_len + n < sizeof(s->out)) {
			memcpy(s->out + s->out_len, d, n);
			s->out_len += n;
		} else {
			s->out_overflow = true;
		}
	}
}

static void check_valid_answer(struct seen *s);

static void answered(struct seen *s, int code)
{
	s->answered = true;
	s->err = code;
	answers++;
	if (s->ctrl_or_noreq && code)
		fail("a control or non-request message (type %u, flags 0x%x) got errno %d",
		     s->type, s->flags, -code);
	if (s->gen && s->gen->kind != V_NONE)
		check_valid_answer(s);
}

/* One message from the kernel. */
static void take(const unsigned char *p, size_t len)
{
	const struct nlmsghdr *h = (const void *)p;
	const char *why = NULL;
	struct seen *s;
	size_t body = len - NLMSG_HDRLEN;

	if (h->nlmsg_type == family && body >= GENL_HDRLEN &&
	    ((const struct genlmsghdr *)NLMSG_DATA(h))->cmd == KLUA_CMD_EVENT && h->nlmsg_seq == 0) {
		events++;
		if (!walk_attrs(p + NLMSG_HDRLEN + GENL_HDRLEN, body - GENL_HDRLEN, NULL, NULL, &why))
			fail("an EVENT is malformed: %s", why);
		return;
	}
	if (h->nlmsg_type == NLMSG_ERROR) {
		int code;
		const struct nlmsghdr *echo;

		if (body < sizeof(struct nlmsgerr))
			fail("an NLMSG_ERROR of %zu bytes", body);
		code = *(const int *)NLMSG_DATA(h);
		echo = (const void *)(p + NLMSG_HDRLEN + sizeof(int));
		s = NULL;
		for (int i = 0; i < n_seen; i++)
			if (!seen[i].answered && seen[i].seq == echo->nlmsg_seq &&
			    seen[i].type == echo->nlmsg_type && seen[i].flags == echo->nlmsg_flags) {
				s = &seen[i];
				break;
			}
		if (!s)
			fail("an answer (errno %d) to a message not sent or answered already: seq %u type %u",
			     -code, echo->nlmsg_seq, echo->nlmsg_type);
		cur_seen = s;
		extack_msg[0] = 0;
		if (h->nlmsg_seq != echo->nlmsg_seq)
			fail("an NLMSG_ERROR whose seq %u is not its request's %u", h->nlmsg_seq,
			     echo->nlmsg_seq);
		if ((h->nlmsg_flags & NLM_F_ACK_TLVS) &&
		    !walk_attrs(p + NLMSG_HDRLEN + sizeof(struct nlmsgerr),
				body - sizeof(struct nlmsgerr), extack_attr, NULL, &why))
			fail("an NLMSG_ERROR's extack is malformed: %s", why);
		check_errno(code, "an NLMSG_ERROR");
		answered(s, code);
		cur_seen = NULL;
		return;
	}
	s = find_seen(h->nlmsg_seq, true);
	if (!s)
		fail("a message of type %u to seq %u, which no message of this datagram has (or it "
		     "was answered already)", h->nlmsg_type, h->nlmsg_seq);
	cur_seen = s;
	extack_msg[0] = 0;
	if (h->nlmsg_type == NLMSG_DONE) {
		int code = body >= 4 ? *(const int *)NLMSG_DATA(h) : 0;

		if (body > 4 && (h->nlmsg_flags & NLM_F_ACK_TLVS) &&
		    !walk_attrs(p + NLMSG_HDRLEN + 4, body - 4, extack_attr, NULL, &why))
			fail("an NLMSG_DONE's extack is malformed: %s", why);
		check_errno(code, "an NLMSG_DONE");
		s->multi = false;
		answered(s, code);
		return;
	}
	if (h->nlmsg_type == GENL_ID_CTRL) {
		s->multi = h->nlmsg_flags & NLM_F_MULTI;
		s->replies++;
		if (!s->multi && !(s->flags & NLM_F_ACK))
			answered(s, 0);
		return;
	}
	if (h->nlmsg_type != family)
		fail("a reply of type %u to seq %u", h->nlmsg_type, h->nlmsg_seq);
	if (body < GENL_HDRLEN)
		fail("a reply too short for its genetlink header");
	{
		const struct genlmsghdr *g = NLMSG_DATA(h);

		if (g->version != KLUA_GENL_VERSION ||
		    (g->cmd != KLUA_CMD_CREATE && g->cmd != KLUA_CMD_LIST && g->cmd != KLUA_CMD_EXEC))
			fail("a reply with command %u version %u", g->cmd, g->version);
	}
	if (!walk_attrs(p + NLMSG_HDRLEN + GENL_HDRLEN, body - GENL_HDRLEN, seen_attr, s, &why))
		fail("a reply is malformed: %s", why);
	s->replies++;
	s->multi = h->nlmsg_flags & NLM_F_MULTI;
	if (((const struct genlmsghdr *)NLMSG_DATA(h))->cmd == KLUA_CMD_CREATE &&
	    (!s->gen || s->gen->kind == V_NONE))
		note_created(s->reply_name);
	/* a doit's reply with no ACK asked for is the whole answer */
	if (!s->multi && !(s->flags & NLM_F_ACK) && (s->flags & NLM_F_DUMP) != NLM_F_DUMP)
		answered(s, 0);
}

static const char *const VALID_NAMES[] = { "", "EXEC", "CREATE", "DESTROY", "LIST", "INTERRUPT" };

static void check_valid_answer(struct seen *s)
{
	struct gen *g = s->gen;
	char name[16], want[256];

	valid_checked++;
	valid_name(name, g->x, g->idx);
	if (g->kind == V_EXEC) {
		snprintf(want, sizeof(want), "{\"type\":\"result\",\"state\":\"%s\",\"data\":[%" PRId64
			 ",\"n%" PRId64 "\"]}\n", name, g->product, g->a);
		if (s->err || s->out_overflow || s->out_len != strlen(want) ||
		    memcmp(s->out, want, s->out_len))
			fail("the valid EXEC in %s got errno %d and output %.*s, not %s", name, -s->err,
			     (int)s->out_len, s->out, want);
		return;
	}
	if (s->err != g->expect)
		fail("the valid %s of %s got errno %d, the model expects %d", VALID_NAMES[g->kind],
		     name, -s->err, -g->expect);
	if (s->err)
		return;
	if (g->kind == V_CREATE && (s->replies != 1 || strcmp(s->reply_name, name)))
		fail("the valid CREATE of %s got %d replies naming '%s'", name, s->replies,
		     s->reply_name);
	if (g->kind == V_LIST && (s->replies != 1 || strcmp(s->reply_name, name) ||
				  s->mem_limit != g->mem || s->instr_limit != g->instr))
		fail("the valid LIST of %s got %d replies: name '%s', limits %" PRIu64 " %" PRIu64
		     ", the model says %" PRIu64 " %" PRIu64, name, s->replies, s->reply_name,
		     s->mem_limit, s->instr_limit, g->mem, g->instr);
	if ((g->kind == V_DESTROY || g->kind == V_INTERRUPT) && s->replies)
		fail("the valid %s of %s got %d replies", VALID_NAMES[g->kind], name, s->replies);
}

/* Reads until every message that must be answered is. */
static void drain(void)
{
	struct mmsghdr msgs[RECV_VLEN];
	struct iovec iov[RECV_VLEN];
	double deadline = now() + ANSWER_TIMEOUT_MS / 1000.0;

	for (int i = 0; i < RECV_VLEN; i++) {
		iov[i].iov_base = rbuf[i];
		iov[i].iov_len = RECV_SIZE;
		memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;) {
		int n = recvmmsg(fd, msgs, RECV_VLEN, MSG_DONTWAIT, NULL);

		if (n < 0 && errno == EAGAIN) {
			int waiting = -1;
			struct pollfd pfd = { .fd = fd, .events = POLLIN };

			for (int i = 0; i < n_seen && waiting < 0; i++)
				if ((seen[i].required && !seen[i].answered) || seen[i].multi)
					waiting = i;
			if (waiting < 0)
				return;
			if (now() > deadline) {
				struct seen *s = &seen[waiting];

				cur_seen = s;
				fail("no answer within %d ms to seq %u (type %u, flags 0x%x, %d replies so far)",
				     ANSWER_TIMEOUT_MS, s->seq, s->type, s->flags, s->replies);
			}
			poll(&pfd, 1, 100);
			continue;
		}
		if (n < 0)
			fail("recvmmsg: %s (answers were lost)", strerror(errno));
		for (int i = 0; i < n; i++) {
			unsigned char *p = rbuf[i];
			size_t left = msgs[i].msg_len;

			if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC)
				fail("a datagram longer than %d bytes", RECV_SIZE);
			while (left >= NLMSG_HDRLEN) {
				struct nlmsghdr *h = (void *)p;

				if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > left)
					fail("the kernel sent a message of length %u in %zu bytes",
					     h->nlmsg_len, left);
				take(p, h->nlmsg_len);
				if (NLMSG_ALIGN(h->nlmsg_len) >= left)
					break;
				left -= NLMSG_ALIGN(h->nlmsg_len);
				p += NLMSG_ALIGN(h->nlmsg_len);
			}
		}
	}
}

/* ---- one datagram ---- */

static unsigned char dgram[BUF_SIZE];

static void one_datagram(int batch)
{
	struct out o = { dgram, 0, sizeof(dgram) };
	int n = 1 + below(batch);

	do {
		o.len = 0;
		n_gens = 0;
		if (chance(0.1))
			valid_exec(&o);
		for (int i = 0; i < n && o.len < BUF_SIZE - 200000; i++) {
			if (chance(0.03))
				valid_op(&o);
			else
				random_message(&o);
		}
		if (chance(0.02))
			bad_length_message(&o);
		if (chance(0.01))
			put(&o, "\x01\x02\x03\x04\x05\x06\x07", 1 + below(7));
	} while (!walk_datagram(dgram, o.len));
	/* the model, in the order the kernel handles the messages */
	for (int i = 0; i < n_seen; i++) {
		struct gen *g = seen[i].gen;

		if (!g)
			continue;
		if (g->kind != V_NONE && seen[i].len == gen_len(g))
			expect_valid(g);	/* a valid request, read whole */
		else if (g->kind != V_NONE)
			seen[i].gen = NULL;	/* cut short: judged as a random one */
		else if (g->pool_create >= 0)
			pool_created[g->pool_create] = true;
	}
	cur_buf = dgram;
	cur_len = o.len;
	send_buf(dgram, o.len);
	messages += n_seen;
	datagrams++;
	drain();
	cur_buf = NULL;
}

/* ---- setup and the end ---- */

static struct simple before;

static bool in_before(const char *name)
{
	for (int i = 0; i < before.n_names; i++)
		if (!strcmp(before.names[i], name))
			return true;
	return false;
}

static void destroy_quiet(const char *name)
{
	struct simple s;

	simple_klua(KLUA_CMD_DESTROY, name, 0, 0, &s);
}

static void cleanup_all(void)
{
	char name[16];

	for (int i = 0; i < VALID; i++) {
		valid_name(name, false, i);
		destroy_quiet(name);
		valid_name(name, true, i);
		destroy_quiet(name);
	}
	for (int i = 0; i < POOL; i++) {
		pool_name(name, i);
		destroy_quiet(name);
	}
	for (int i = 0; i < n_created; i++)
		destroy_quiet(created[i]);
}

static void setup(void)
{
	struct simple s;
	char name[16];

	cleanup_all();
	for (int i = 0; i < VALID; i++) {
		valid_name(name, false, i);
		nfv[i] = (struct vstate){ true, 1 << 20, 100000 };
		if (simple_klua(KLUA_CMD_CREATE, name, nfv[i].mem, nfv[i].instr, &s))
			fail("cannot create %s: errno %d", name, -s.err);
	}
	for (int i = 0; i < 3; i++) {	/* some pool states for the random requests */
		pool_name(name, i);
		if (simple_klua(KLUA_CMD_CREATE, name, 0, 10000, &s))
			fail("cannot create %s: errno %d", name, -s.err);
		pool_created[i] = true;
	}
}

/*
 * This worker's states in the list must be the model's and pool states a
 * random CREATE may have made; after its clean-up, none may be left.
 */
static void check_list(void)
{
	struct simple s;
	char name[16], own, kind;
	int pool;

	/* only this socket can still be subscribed: the closed ones are not */
	for (int i = 0; i < POOL; i++) {
		pool_name(name, i);
		simple_klua(KLUA_CMD_LIST, name, 0, 0, &s);
		if (!s.err && s.subscribers > 1)
			fail("state %s has %u subscribers; one socket at most is open", name,
			     s.subscribers);
	}

	for (int i = 0; i < VALID; i++) {
		for (int x = 0; x < 2; x++) {
			struct vstate *v = x ? &nfx[i] : &nfv[i];

			valid_name(name, x, i);
			simple_klua(KLUA_CMD_LIST, name, 0, 0, &s);
			if (v->exists != (s.err == 0))
				fail("state %s: the model says it %s, LIST says errno %d", name,
				     v->exists ? "exists" : "does not exist", -s.err);
			if (v->exists && (s.mem_limit != v->mem || s.instr_limit != v->instr))
				fail("state %s has limits %" PRIu64 " %" PRIu64 ", the model %" PRIu64
				     " %" PRIu64, name, s.mem_limit, s.instr_limit, v->mem, v->instr);
		}
	}
	simple_klua(KLUA_CMD_LIST, NULL, 0, 0, &s);
	if (s.err)
		fail("LIST dump at the end failed: errno %d", -s.err);
	for (int i = 0; i < s.n_names; i++) {
		if (in_before(s.names[i]) || not_own(s.names[i]) || was_created(s.names[i]))
			continue;
		if (sscanf(s.names[i], "nf%c%c%d", &own, &kind, &pool) == 3 && own == worker_letter &&
		    (kind == 'v' || kind == 'x' || (kind == 'r' && pool >= 0 && pool < POOL &&
						    pool_created[pool])))
			continue;	/* v and x: checked against the model above */
		fail("an unexpected state '%s' is listed", s.names[i]);
	}
	cleanup_all();
	simple_klua(KLUA_CMD_LIST, NULL, 0, 0, &s);
	for (int i = 0; i < s.n_names; i++)
		if (!in_before(s.names[i]) && (!not_own(s.names[i]) || was_created(s.names[i])))
			fail("state '%s' is still listed after the clean-up", s.names[i]);
}

struct counts {
	uint64_t messages, datagrams, answers, valid, events, errnos[256];
	double seconds;
};

static int run_worker(int w, uint64_t limit, double seconds, int batch, struct counts *c)
{
	double t0;
	uint64_t x;

	worker_letter = (char)('a' + w);
	seed += (uint64_t)w;
	x = seed;
	for (int i = 0; i < 4; i++)
		rs[i] = splitmix(&x);
	build_many_args();
	open_socket();
	resolve();
	setup();
	t0 = now();
	while (messages < limit && now() - t0 < seconds) {
		one_datagram(batch);
		if (datagrams % 1000 == 0) {	/* a new port: what the old one subscribed to goes */
			close(fd);
			open_socket();
		}
		if (verbose && datagrams % 1000 == 0)
			fprintf(stderr, "# worker %c: %" PRIu64 " messages, %.0f/s\n", worker_letter,
				messages, messages / (now() - t0));
	}
	c->seconds = now() - t0;
	check_list();
	c->messages = messages;
	c->datagrams = datagrams;
	c->answers = answers;
	c->valid = valid_checked;
	c->events = events;
	memcpy(c->errnos, errnos, sizeof(errnos));
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t limit = 1000000;
	double seconds = 1e9, took = 0;
	int batch = 64, jobs = 2, opt, failed = 0;
	bool seeded = false;
	struct counts *c, total = { 0 };
	struct simple after;

	while ((opt = getopt(argc, argv, "s:n:b:t:j:v")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'n':
			limit = strtoull(optarg, NULL, 0);
			break;
		case 'b':
			batch = atoi(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'j':
			jobs = atoi(optarg);
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: nlfuzz [-s SEED] [-n MESSAGES] [-b BATCH] [-t SECONDS] "
				"[-j WORKERS] [-v]\n");
			return 2;
		}
	}
	if (batch < 1 || batch > MAX_MSGS / 4)
		batch = 64;
	if (jobs < 1 || jobs > 8)
		jobs = 2;
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ((uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16)) & 0xffffffff;
	}
	printf("# nlfuzz: seed %" PRIu64 ", %" PRIu64 " messages in %d workers (seeds %" PRIu64
	       "..), datagrams of up to %d messages\n", seed, limit, jobs, seed, batch);
	fflush(stdout);
	c = mmap(NULL, sizeof(*c) * jobs, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		fail("mmap: %s", strerror(errno));
	memset(c, 0, sizeof(*c) * jobs);
	open_socket();
	resolve();
	for (int w = 0; w < 8; w++) {	/* what an earlier run left */
		worker_letter = (char)('a' + w);
		cleanup_all();
	}
	worker_letter = 0;
	simple_klua(KLUA_CMD_LIST, NULL, 0, 0, &before);
	if (before.err)
		fail("LIST dump failed: errno %d", -before.err);
	close(fd);
	for (int w = 0; w < jobs; w++) {
		pid_t pid = fork();

		if (pid < 0)
			fail("fork: %s", strerror(errno));
		if (!pid)
			exit(run_worker(w, (limit + jobs - 1) / jobs, seconds, batch, &c[w]));
	}
	for (int w = 0; w < jobs; w++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
	}
	if (failed) {
		printf("FAIL a worker failed (see above); seed %" PRIu64 "\n", seed);
		return 1;
	}
	for (int w = 0; w < jobs; w++) {
		total.messages += c[w].messages;
		total.datagrams += c[w].datagrams;
		total.answers += c[w].answers;
		total.valid += c[w].valid;
		total.events += c[w].events;
		for (int i = 0; i < 256; i++)
			total.errnos[i] += c[w].errnos[i];
		if (c[w].seconds > took)
			took = c[w].seconds;
	}
	/* the list is what it was */
	open_socket();
	simple_klua(KLUA_CMD_LIST, NULL, 0, 0, &after);
	if (after.n_names != before.n_names)
		fail("at the end %d states are listed, %d were before", after.n_names, before.n_names);
	for (int i = 0; i < after.n_names; i++)
		if (!in_before(after.names[i]))
			fail("state '%s' is listed at the end, and was not before", after.names[i]);
	printf("# %" PRIu64 " messages in %" PRIu64 " datagrams in %.1f s: %.0f messages/s; %" PRIu64
	       " answers, %" PRIu64 " valid requests checked, %" PRIu64 " events; errnos:",
	       total.messages, total.datagrams, took, total.messages / took, total.answers, total.valid,
	       total.events);
	for (int i = 0; i < 256; i++)
		if (total.errnos[i])
			printf(" %s %" PRIu64, strerrorname_np(i) ? strerrorname_np(i) : "?", total.errnos[i]);
	printf("\n");
	if (total.messages < limit) {
		printf("FAIL only %" PRIu64 " messages went out in %.0f s; %" PRIu64 " must\n",
		       total.messages, seconds, limit);
		return 1;
	}
	return 0;
}
