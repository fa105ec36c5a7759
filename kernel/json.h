/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klua: encoding of Lua values as JSON, as specified in docs/PROTOCOL.md
 * ("Lua to JSON").
 *
 * The encoder never calls metamethods or any other Lua code, never raises a
 * Lua error, never allocates Lua objects (so it cannot start a garbage
 * collection step, which could run __gc finalizers) and leaves the Lua stack
 * as it found it. Its recursion is bounded by KLUA_JSON_MAX_DEPTH.
 *
 * The same source builds in the kernel and in userspace (unit tests).
 */
#ifndef _KLUA_JSON_H
#define _KLUA_JSON_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#endif
#include <lua.h>

/* Tables may nest this deep; the outermost table is level 1. */
#define KLUA_JSON_MAX_DEPTH	32

/* An output sink, defined by the user of this API. */
struct klua_buf;

/*
 * Appends n bytes to b. Returns 0, -ENOSPC when the output limit is reached,
 * or -ENOMEM. Implemented outside json.c.
 */
int klua_buf_write(struct klua_buf *b, const void *p, size_t n);

/*
 * Appends the JSON encoding of the Lua value at index idx to b.
 *
 * Returns 0, or a negative errno with *why set to a static English message:
 *   -ENOSPC  the sink's limit was reached ("output larger than the limit")
 *   -ENOMEM  the sink or the Lua stack could not grow
 *   -E2BIG   "nesting deeper than 32 levels"
 *   -ELOOP   "table contains itself"
 *   -EINVAL  a value JSON cannot represent (a table key of an unsupported
 *            type, a number that is not an integer)
 *   other    an error of the sink, passed on ("cannot write the output")
 * On error, part of the value may already have been written to b.
 * Uses at most 2 * KLUA_JSON_MAX_DEPTH + 3 Lua stack slots, obtained with
 * lua_checkstack.
 */
int klua_json_value(lua_State *L, int idx, struct klua_buf *b,
		    const char **why);

/*
 * Appends s[0..len) as a JSON string, or as {"$base64":"..."} when it is not
 * valid UTF-8. Returns 0 or the sink's negative errno.
 */
int klua_json_string(struct klua_buf *b, const char *s, size_t len);

#endif /* _KLUA_JSON_H */
