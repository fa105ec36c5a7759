// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: the timer library.
 *   timer.every(ms, fn) -> t   calls fn every ms milliseconds, in softirq
 *   timer.after(ms, fn) -> t   calls fn once, after ms milliseconds
 *   t:stop() -> boolean        stops it; false if it had already stopped
 * print() in fn and errors raised by fn are events of the state.
 */
#include "hook_timer.h"
#include "lauxlib.h"

#define LTIMER_NAME	"timer"

struct ltimer {
	unsigned int id;
	unsigned int ms;
	bool periodic;
};

static int ltimer_start(lua_State *L, bool periodic)
{
	lua_Integer ms = luaL_checkinteger(L, 1);
	struct klua_state *s = klua_state_of(L);
	struct ltimer *t;
	int ref, err;

	luaL_argcheck(L, ms >= KLUA_TIMER_MIN_MS && ms <= KLUA_TIMER_MAX_MS, 1,
		      "period must be 1 ms to 24 h");
	luaL_checktype(L, 2, LUA_TFUNCTION);
	t = lua_newuserdatauv(L, sizeof(*t), 0);	/* push the handle */
	luaL_setmetatable(L, LTIMER_NAME);
	lua_pushvalue(L, 2);
	ref = luaL_ref(L, LUA_REGISTRYINDEX);		/* pops the function */
	t->ms = ms;
	t->periodic = periodic;
	err = klua_timer_attach(s, ref, ms, periodic, &t->id);
	if (err)
		return klua_hook_raise(L, err, &klua_timer_ops);
	return 1;
}

static int ltimer_every(lua_State *L)
{
	return ltimer_start(L, true);
}

static int ltimer_after(lua_State *L)
{
	return ltimer_start(L, false);
}

static int ltimer_stop(lua_State *L)
{
	struct ltimer *t = luaL_checkudata(L, 1, LTIMER_NAME);

	lua_pushboolean(L, klua_hook_stop(klua_state_of(L), t->id));
	return 1;
}

static int ltimer_tostring(lua_State *L)
{
	struct ltimer *t = luaL_checkudata(L, 1, LTIMER_NAME);

	lua_pushfstring(L, "timer %d (%s %d ms)", (int)t->id,
			t->periodic ? "every" : "after", (int)t->ms);
	return 1;
}

static const luaL_Reg ltimer_methods[] = {
	{ "stop", ltimer_stop },
	{ NULL, NULL },
};

static const luaL_Reg ltimer_funcs[] = {
	{ "every", ltimer_every },
	{ "after", ltimer_after },
	{ NULL, NULL },
};

int luaopen_timer(lua_State *L)
{
	luaL_newmetatable(L, LTIMER_NAME);		/* push the metatable */
	luaL_newlib(L, ltimer_methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, ltimer_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
	luaL_newlib(L, ltimer_funcs);
	return 1;
}
