// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: Lua values to JSON, as specified in docs/PROTOCOL.md ("Lua to JSON").
 *
 * Only raw accesses are used, and no Lua object is ever created: pushing a
 * new string (say "__name" for a lua_rawget) may allocate, which may raise a
 * memory error or run a GC step, and a GC step may call __gc finalizers.
 * The Lua calls made here (lua_next, lua_rawgeti, lua_getmetatable,
 * lua_getinfo(">S"), lua_pushvalue, lua_pushnil, lua_checkstack, lua_tolstring
 * on strings) neither allocate objects nor raise errors.
 *
 * Recursion: json_value() -> json_table() -> json_value(), at most
 * KLUA_JSON_MAX_DEPTH times. The state shared by all levels (the path of
 * tables being encoded, for cycle detection) lives in one struct json_ctx;
 * everything that needs a buffer is a noinline leaf, so the recursive frames
 * stay small.
 *
 * Work: the encoder runs after the run, outside its instruction budget, so
 * it bounds its own work. Each value costs output, except the slots that
 * lua_next goes over: a table emptied by deleting its keys keeps them all,
 * and lua_next walks them to find nothing, for "[]". So the slots walked in
 * all (a table's array and node parts, for each walk of it) are counted,
 * and encoding stops past JSON_SLOTS_PER_BYTE slots a byte of the output
 * limit (plus JSON_SLOTS_MIN). A result the limit lets through walks far
 * fewer: its tables are at least a quarter full, and each entry is output.
 * A string is checked (UTF-8) whole, then written until the output limit:
 * strings cost at most the limit and one string more.
 *
 * The same file builds in the kernel, where lua_Number is an integer type,
 * and in userspace against a stock Lua (lua_Number is double) for the unit
 * tests.
 */
#ifdef __KERNEL__
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#define noinline __attribute__((__noinline__))
#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
#endif

#include "json.h"

#ifdef __KERNEL__
/* Lua's own layout of a table: the slots lua_next goes over. */
#include "lobject.h"
#include "ltable.h"
#include "buf.h"
#endif

#define JSON_SLOTS_PER_BYTE	4
#define JSON_SLOTS_MIN		(1 << 20)

struct json_ctx {
	lua_State *L;
	struct klua_buf *b;
	const char *why;	/* set with the errors not from the sink */
	size_t slots;		/* table slots walked so far */
	size_t max_slots;	/* where encoding stops */
	int depth;		/* number of entries in path */
	const void *path[KLUA_JSON_MAX_DEPTH];	/* tables being encoded */
};

/*
 * Counts a walk with lua_next over the table at t (the slots of its array
 * and node parts; in userspace, where they are unknown, one); fails past
 * the context's limit.
 */
static int json_walk(struct json_ctx *c, int t)
{
#ifdef __KERNEL__
	const Table *h = lua_topointer(c->L, t);
	size_t n = (size_t)luaH_realasize(h) + sizenode(h);
#else
	size_t n = 1;

	(void)t;
#endif

	c->slots += n;
	if (c->slots > c->max_slots) {
		c->why = "tables too large or too often repeated to encode";
		return -E2BIG;
	}
	return 0;
}

/* A piece of a string; a JSON string may be written from several pieces. */
struct json_seg {
	const char *p;
	size_t n;
};

static int json_value(struct json_ctx *c, int idx);

#define json_literal(b, s)	klua_buf_write(b, s, sizeof(s) - 1)

/* Writes v in decimal so that it ends just before end; returns the start. */
static char *json_format_integer(char *end, lua_Integer v)
{
	/* Negate in unsigned arithmetic: right for LUA_MININTEGER too. */
	lua_Unsigned u = v < 0 ? 0 - (lua_Unsigned)v : (lua_Unsigned)v;

	do {
		*--end = '0' + u % 10;
		u /= 10;
	} while (u);
	if (v < 0)
		*--end = '-';
	return end;
}

/* Writes v in decimal, in double quotes if quoted (an object key). */
static noinline int json_integer(struct klua_buf *b, lua_Integer v,
				 bool quoted)
{
	char buf[24];	/* quote, sign, 19 digits, quote */
	char *end = buf + sizeof(buf);
	char *p;

	if (quoted)
		*--end = '"';
	p = json_format_integer(end, v);
	if (quoted)
		*--p = '"';
	return klua_buf_write(b, p, buf + sizeof(buf) - p);
}

/* Stores the value of the number at idx in *v; false if it is not integral. */
static bool json_tointeger(lua_State *L, int idx, lua_Integer *v)
{
	if (lua_isinteger(L, idx)) {
		*v = lua_tointeger(L, idx);
		return true;
	}
#ifdef __KERNEL__
	/* lua_Number is an integer type: the float subtype is integral. */
	*v = (lua_Integer)lua_tonumber(L, idx);
	return true;
#else
	{
		lua_Number d = lua_tonumber(L, idx);

		/* In [-2^63, 2^63) (false for NaN) before converting. */
		if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
			return false;
		*v = (lua_Integer)d;
		return (lua_Number)*v == d;
	}
#endif
}

/*
 * Returns the length of the well-formed UTF-8 sequence at s[0..len), or 0.
 * Follows Table 3-7 of the Unicode standard: no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncation.
 */
static size_t json_utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;	/* second byte's range */
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2)	/* continuation byte, or overlong C0/C1 */
		return 0;
	if (s[0] < 0xe0) {
		n = 2;
	} else if (s[0] < 0xf0) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;	/* overlong below U+0800 */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (s[0] < 0xf5) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;	/* overlong below U+10000 */
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		return 0;	/* F5..FF: above U+10FFFF */
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static bool json_utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		n = json_utf8_seq(u + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

/* Writes s[0..len), valid UTF-8, with the escapes JSON requires. */
static int json_escaped(struct klua_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6] = { '\\', 'u', '0', '0' };
	size_t i, start = 0, n;
	unsigned char ch;
	int err;

	for (i = 0; i < len; i++) {
		ch = s[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		err = klua_buf_write(b, s + start, i - start);
		if (err)
			return err;
		start = i + 1;
		n = 2;
		switch (ch) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			esc[1] = 'u';
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 0xf];
			n = 6;
			break;
		}
		err = klua_buf_write(b, esc, n);
		if (err)
			return err;
	}
	return klua_buf_write(b, s + start, len - start);
}

/* Writes the concatenation of the pieces in standard base64, with padding. */
static int json_base64(struct klua_buf *b, const struct json_seg *seg,
		       int nseg)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char in[3];
	char out[64];
	size_t i, k = 0, o = 0;
	int s, err;

	for (s = 0; s < nseg; s++) {
		for (i = 0; i < seg[s].n; i++) {
			in[k++] = seg[s].p[i];
			if (k < 3)
				continue;
			out[o++] = tab[in[0] >> 2];
			out[o++] = tab[(in[0] & 0x03) << 4 | in[1] >> 4];
			out[o++] = tab[(in[1] & 0x0f) << 2 | in[2] >> 6];
			out[o++] = tab[in[2] & 0x3f];
			k = 0;
			if (o == sizeof(out)) {
				err = klua_buf_write(b, out, o);
				if (err)
					return err;
				o = 0;
			}
		}
	}
	if (k) {	/* 1 or 2 bytes left: 2 or 1 '=' */
		if (k == 1)
			in[1] = 0;
		out[o++] = tab[in[0] >> 2];
		out[o++] = tab[(in[0] & 0x03) << 4 | in[1] >> 4];
		out[o++] = k == 2 ? tab[(in[1] & 0x0f) << 2] : '=';
		out[o++] = '=';
	}
	return klua_buf_write(b, out, o);
}

/*
 * Writes the concatenation of the pieces as one JSON string. Pieces must be
 * cut at character boundaries (ours are cut next to ASCII text).
 *
 * Not valid UTF-8: a value is written as {"$base64":"<base64>"}. An object
 * key must be a JSON string, so it is written as "$base64:<base64>" (no
 * escaping of single bytes: the key keeps all its bytes). A valid UTF-8 key
 * that already starts with "$base64:" is written as it is; readers cannot
 * tell the two apart.
 */
static noinline int json_string(struct klua_buf *b, const struct json_seg *seg,
				int nseg, bool key)
{
	int s, err;

	for (s = 0; s < nseg; s++)
		if (!json_utf8_valid(seg[s].p, seg[s].n))
			break;
	if (s < nseg) {
		err = key ? json_literal(b, "\"$base64:") :
			    json_literal(b, "{\"$base64\":\"");
		if (!err)
			err = json_base64(b, seg, nseg);
		if (!err)
			err = key ? json_literal(b, "\"") :
				    json_literal(b, "\"}");
		return err;
	}
	err = json_literal(b, "\"");
	for (s = 0; !err && s < nseg; s++)
		err = json_escaped(b, seg[s].p, seg[s].n);
	if (!err)
		err = json_literal(b, "\"");
	return err;
}

int klua_json_string(struct klua_buf *b, const char *s, size_t len)
{
	struct json_seg seg = { s, len };

	return json_string(b, &seg, 1, false);
}

static int json_stack_full(struct json_ctx *c)
{
	c->why = "Lua stack is full";
	return -ENOMEM;
}

/* "<function>" for C functions, "<function SOURCE:LINE>" for Lua ones. */
static noinline int json_function(struct json_ctx *c, int idx)
{
	lua_State *L = c->L;
	struct json_seg seg[3];
	char line[24];	/* ':', sign, 19 digits, '>' */
	lua_Debug ar;
	char *p;

	if (lua_iscfunction(L, idx))
		return json_literal(c->b, "\"<function>\"");
	if (!lua_checkstack(L, 1))
		return json_stack_full(c);
	lua_pushvalue(L, idx);
	lua_getinfo(L, ">S", &ar);	/* pops the function */
	line[sizeof(line) - 1] = '>';
	p = json_format_integer(line + sizeof(line) - 1, ar.linedefined);
	*--p = ':';
	seg[2].p = p;
	seg[2].n = line + sizeof(line) - p;
	seg[1].p = ar.short_src;
	seg[1].n = strlen(ar.short_src);
	seg[0].p = "<function ";
	seg[0].n = sizeof("<function ") - 1;
	return json_string(c->b, seg, 3, false);
}

/* "<NAME>" from a string __name in the metatable, else "<userdata>". */
static noinline int json_userdata(struct json_ctx *c, int idx)
{
	struct json_seg seg[3] = { { "<", 1 }, { "userdata", 8 }, { ">", 1 } };
	lua_State *L = c->L;
	const char *k;
	int pushed = 0;
	size_t n;
	int err;

	if (!lua_checkstack(L, 3))
		return json_stack_full(c);
	/* Scan for __name: looking it up would need a new string "__name". */
	if (lua_getmetatable(L, idx)) {	/* pushes the metatable */
		pushed = 1;
		err = json_walk(c, lua_gettop(L));
		if (err) {
			lua_pop(L, 1);
			return err;
		}
		lua_pushnil(L);
		while (lua_next(L, -2)) {	/* pushes key, value */
			if (lua_type(L, -2) == LUA_TSTRING &&
			    lua_type(L, -1) == LUA_TSTRING) {
				k = lua_tolstring(L, -2, &n);
				if (n == 6 && !memcmp(k, "__name", 6)) {
					seg[1].p = lua_tolstring(L, -1,
								 &seg[1].n);
					pushed = 3;
					break;
				}
			}
			lua_pop(L, 1);	/* value; lua_next needs key */
		}
	}
	err = json_string(c->b, seg, 3, false);
	lua_pop(L, pushed);
	return err;
}

/* Writes the key at idx of a table being written as an object. */
static noinline int json_key(struct json_ctx *c, int idx)
{
	lua_State *L = c->L;
	struct json_seg seg;
	lua_Integer v;

	switch (lua_type(L, idx)) {
	case LUA_TSTRING:
		seg.p = lua_tolstring(L, idx, &seg.n);
		return json_string(c->b, &seg, 1, true);
	case LUA_TNUMBER:
		if (json_tointeger(L, idx, &v))
			return json_integer(c->b, v, true);
		c->why = "table key that is a non-integer number cannot be a JSON key";
		return -EINVAL;
	case LUA_TBOOLEAN:
		return lua_toboolean(L, idx) ? json_literal(c->b, "\"true\"") :
					       json_literal(c->b, "\"false\"");
	case LUA_TTABLE:
		c->why = "table key of type 'table' cannot be a JSON key";
		return -EINVAL;
	case LUA_TFUNCTION:
		c->why = "table key of type 'function' cannot be a JSON key";
		return -EINVAL;
	case LUA_TTHREAD:
		c->why = "table key of type 'thread' cannot be a JSON key";
		return -EINVAL;
	default:	/* full and light userdata; nil is never a key */
		c->why = "table key of type 'userdata' cannot be a JSON key";
		return -EINVAL;
	}
}

/*
 * Returns n if the keys of the table at t are exactly the integers 1..n,
 * else -1. Distinct integer keys, all >= 1, whose maximum is their count,
 * are exactly 1..count.
 */
static noinline lua_Integer json_array_length(lua_State *L, int t)
{
	lua_Integer n = 0, max = 0, k;

	lua_pushnil(L);
	while (lua_next(L, t)) {	/* pushes key, value */
		lua_pop(L, 1);		/* value */
		if (lua_type(L, -1) != LUA_TNUMBER ||
		    !json_tointeger(L, -1, &k) || k < 1) {
			lua_pop(L, 1);	/* key */
			return -1;
		}
		if (k > max)
			max = k;
		n++;
	}
	return max == n ? n : -1;
}

static int json_array(struct json_ctx *c, int t, lua_Integer n)
{
	lua_Integer i;
	int err;

	err = json_literal(c->b, "[");
	for (i = 1; !err && i <= n; i++) {
		if (i > 1) {
			err = json_literal(c->b, ",");
			if (err)
				break;
		}
		lua_rawgeti(c->L, t, i);	/* pushes t[i] */
		err = json_value(c, lua_gettop(c->L));
		lua_pop(c->L, 1);
	}
	return err ? err : json_literal(c->b, "]");
}

static int json_object(struct json_ctx *c, int t)
{
	lua_State *L = c->L;
	bool first = true;
	int err;

	err = json_literal(c->b, "{");
	if (err)
		return err;
	err = json_walk(c, t);
	if (err)
		return err;
	lua_pushnil(L);
	while (lua_next(L, t)) {	/* pushes key, value */
		err = first ? 0 : json_literal(c->b, ",");
		first = false;
		if (!err)
			err = json_key(c, -2);
		if (!err)
			err = json_literal(c->b, ":");
		if (!err)
			err = json_value(c, lua_gettop(L));
		lua_pop(L, 1);		/* value; lua_next needs key */
		if (err) {
			lua_pop(L, 1);	/* key */
			return err;
		}
	}
	return json_literal(c->b, "}");
}

static int json_table(struct json_ctx *c, int t)
{
	const void *p = lua_topointer(c->L, t);
	lua_Integer n;
	int i, err;

	for (i = 0; i < c->depth; i++) {
		if (c->path[i] == p) {
			c->why = "table contains itself";
			return -ELOOP;
		}
	}
	if (c->depth == KLUA_JSON_MAX_DEPTH) {
		c->why = "nesting deeper than " __stringify(KLUA_JSON_MAX_DEPTH)
			 " levels";
		return -E2BIG;
	}
	if (!lua_checkstack(c->L, 2))	/* key and value */
		return json_stack_full(c);
	err = json_walk(c, t);
	if (err)
		return err;
	c->path[c->depth++] = p;
	n = json_array_length(c->L, t);
	err = n >= 0 ? json_array(c, t, n) : json_object(c, t);
	c->depth--;
	return err;
}

static noinline int json_number(struct json_ctx *c, int idx)
{
	lua_Integer v;

	if (!json_tointeger(c->L, idx, &v)) {
		c->why = "number is not an integer";
		return -EINVAL;
	}
	return json_integer(c->b, v, false);
}

static noinline int json_lstring(struct json_ctx *c, int idx)
{
	struct json_seg seg;

	seg.p = lua_tolstring(c->L, idx, &seg.n);
	return json_string(c->b, &seg, 1, false);
}

/* Writes the value at idx, an absolute index. */
static int json_value(struct json_ctx *c, int idx)
{
	switch (lua_type(c->L, idx)) {
	case LUA_TNIL:
		return json_literal(c->b, "null");
	case LUA_TBOOLEAN:
		return lua_toboolean(c->L, idx) ? json_literal(c->b, "true") :
						  json_literal(c->b, "false");
	case LUA_TNUMBER:
		return json_number(c, idx);
	case LUA_TSTRING:
		return json_lstring(c, idx);
	case LUA_TTABLE:
		return json_table(c, idx);
	case LUA_TFUNCTION:
		return json_function(c, idx);
	case LUA_TUSERDATA:
	case LUA_TLIGHTUSERDATA:
		return json_userdata(c, idx);
	case LUA_TTHREAD:
		return json_literal(c->b, "\"<thread>\"");
	default:
		c->why = "no value at the given stack index";
		return -EINVAL;
	}
}

int klua_json_value(lua_State *L, int idx, struct klua_buf *b,
		    const char **why)
{
	struct json_ctx c = { .L = L, .b = b, .max_slots = SIZE_MAX };
	int err;

#ifdef __KERNEL__
	if (b->limit < (SIZE_MAX - JSON_SLOTS_MIN) / JSON_SLOTS_PER_BYTE)
		c.max_slots = JSON_SLOTS_MIN + JSON_SLOTS_PER_BYTE * b->limit;
#endif
	err = json_value(&c, lua_absindex(L, idx));
	if (err && !c.why) {	/* from the sink */
		if (err == -ENOSPC)
			c.why = "output larger than the limit";
		else if (err == -ENOMEM)
			c.why = "out of memory";
		else
			c.why = "cannot write the output";
	}
	*why = c.why;
	return err;
}
