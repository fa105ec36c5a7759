/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <stdlib.h> for Lua in the kernel. lauxlib's luaL_newstate refers to these; klua never calls it. */
#ifndef KLUA_SHIM_STDLIB_H
#define KLUA_SHIM_STDLIB_H
#include <linux/slab.h>
static inline void *klua_no_realloc(void *p, size_t n)
{
	return NULL;
}
#define realloc(p, n)	klua_no_realloc(p, n)
#define free(p)		kfree(p)
#define abort()		BUG()
#endif
