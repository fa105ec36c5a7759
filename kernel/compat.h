/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klua: what differs between the kernels klua builds for (6.1 and later),
 * in one place. Each part appears once the headers it adapts have been
 * included, so a file includes this after them (luaconf.h does for Lua's
 * part); the parts have guards of their own.
 */
#include <linux/version.h>

#if defined(__NET_GENERIC_NETLINK_H) && !defined(KLUA_COMPAT_GENL)
#define KLUA_COMPAT_GENL
/*
 * An extack message: formatted from 6.2 (extack has a buffer for the text);
 * before that, the fixed one, a string literal.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define klua_err(extack, fixed, fmt, ...) \
	NL_SET_ERR_MSG_FMT(extack, fmt, ##__VA_ARGS__)
#else
#define klua_err(extack, fixed, fmt, ...)	NL_SET_ERR_MSG(extack, fixed)
#endif

/* A dump's parsed attributes moved into a genl_info in 6.2. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define klua_dump_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define klua_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif
#endif /* genetlink */

#if defined(luaconf_h) && !defined(KLUA_COMPAT_LUA)
#define KLUA_COMPAT_LUA
/*
 * Lua's functions that raise never return. From 6.2 objtool checks the
 * whole module and sees that, so klua's own files declare it to the
 * compiler too. Lua's unit (lua_all.c) defines them, and the compiler
 * finds it out there. The 6.1 objtool checks one object at a time and
 * can't see it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0) && \
	!defined(LUA_CORE) && !defined(LUA_LIB)
struct lua_State;
int lua_error(struct lua_State *L) __attribute__((noreturn));
int luaL_error(struct lua_State *L, const char *fmt, ...) __attribute__((noreturn));
int luaL_argerror(struct lua_State *L, int arg, const char *extramsg) __attribute__((noreturn));
int luaL_typeerror(struct lua_State *L, int arg, const char *tname) __attribute__((noreturn));
#endif
#endif /* Lua */
