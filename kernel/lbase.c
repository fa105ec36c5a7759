// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: the libraries a state starts with, and klua's changes to Lua's base
 * library: print() goes to the caller or to the state's events, load()
 * takes text only, there is no file access, and require() finds only the
 * modules embedded from stdlib/.
 */
#include <linux/string.h>

#include "klua.h"
#include "hook.h"
#include "stdlib_embed.h"
#include "lauxlib.h"
#include "lualib.h"

/*
 * print(...): the values as tostring() shows them, separated by tabs. The
 * line is charged to the run's budget, 1 unit a 4 bytes: it is copied into
 * the buffer, then checked as UTF-8, escaped and copied again as JSON
 * (docs/LUA-LOOPS.md).
 */
static int lbase_print(lua_State *L)
{
	int i, n = lua_gettop(L);
	luaL_Buffer b;
	size_t len;
	const char *text;

	luaL_buffinit(L, &b);
	for (i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);	/* push the string */
		luaL_addvalue(&b);		/* pop it into the buffer */
	}
	luaL_pushresult(&b);
	text = lua_tolstring(L, -1, &len);
	klua_charge(L, len >> 2);
	klua_emit_print(klua_state_of(L), text, len);
	return 0;
}

/* load(chunk [, chunkname [, mode [, env]]]): Lua's load, text only. */
static int lbase_load(lua_State *L)
{
	const char *mode = luaL_optstring(L, 3, "t");

	int n = lua_gettop(L);

	if (strcmp(mode, "t") && strcmp(mode, "bt"))
		return luaL_error(L, "binary chunks are not accepted (load mode '%s')", mode);
	/* an env argument, even nil, is kept only if it was given */
	if (n < 3)
		n = 3;
	lua_settop(L, n);
	lua_pushstring(L, "t");
	lua_replace(L, 3);
	lua_pushvalue(L, lua_upvalueindex(1));	/* Lua's load */
	lua_insert(L, 1);
	/*
	 * Without a message handler: the compiler's runtime errors (a folded
	 * 0^-1, nesting too deep) then come back from load as strings, not
	 * as what the exec's handler makes of them.
	 */
	if (lua_pcall(L, n, LUA_MULTRET, 0) != LUA_OK)
		return lua_error(L);
	return lua_gettop(L);
}

/* require(name): a module already loaded, or one embedded from stdlib/. */
static int lbase_require(lua_State *L)
{
	size_t len;
	const char *name = luaL_checklstring(L, 1, &len);
	const struct klua_module *m;
	luaL_Buffer b;

	lua_settop(L, 1);
	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);	/* push loaded */
	if (lua_getfield(L, 2, name) != LUA_TNIL)		/* push loaded[name] */
		return 1;
	lua_pop(L, 1);
	for (m = klua_stdlib; m->name; m++)
		if (!strcmp(m->name, name))
			break;
	if (!m->name) {
		klua_charge(L, len >> 4);	/* the name is copied: 1 unit a 16 bytes */
		luaL_buffinit(L, &b);
		luaL_addstring(&b, "module '");
		luaL_addstring(&b, name);
		luaL_addstring(&b, "' not found (klua embeds:");
		for (m = klua_stdlib; m->name; m++) {
			luaL_addchar(&b, ' ');
			luaL_addstring(&b, m->name);
		}
		luaL_addchar(&b, ')');
		luaL_pushresult(&b);
		return lua_error(L);
	}
	lua_pushfstring(L, "@stdlib/%s.lua", name);
	if (luaL_loadbufferx(L, m->source, m->len, lua_tostring(L, -1), "t"))
		return lua_error(L);
	lua_pushvalue(L, 1);
	lua_call(L, 1, 1);				/* push the module's value */
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, 2, name);			/* loaded[name] = value */
	return 1;
}

static const luaL_Reg klua_libs[] = {
	{ LUA_GNAME, luaopen_base },
	{ LUA_COLIBNAME, luaopen_coroutine },
	{ LUA_TABLIBNAME, luaopen_table },
	{ LUA_STRLIBNAME, luaopen_string },
	{ LUA_UTF8LIBNAME, luaopen_utf8 },
	{ LUA_MATHLIBNAME, luaopen_kmath },
	{ NULL, NULL },
};

/* A lua_CFunction, so that running out of memory here is an ordinary error. */
int klua_openlibs(lua_State *L)
{
	const struct klua_hook_kind *kind;
	const luaL_Reg *lib;

	for (lib = klua_libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	for (kind = klua_hook_kinds; kind->ops; kind++) {	/* timer, ... */
		luaL_requiref(L, kind->lib, kind->luaopen, 1);
		lua_pop(L, 1);
	}
	lua_pushcfunction(L, lbase_print);
	lua_setglobal(L, "print");
	lua_getglobal(L, "load");
	lua_pushcclosure(L, lbase_load, 1);
	lua_setglobal(L, "load");
	lua_pushcfunction(L, lbase_require);
	lua_setglobal(L, "require");
	lua_pushnil(L);
	lua_setglobal(L, "dofile");
	lua_pushnil(L);
	lua_setglobal(L, "loadfile");
	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");			/* binary chunks are useless here */
	lua_pop(L, 1);
	return 0;
}
