// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: the math library for integer numbers. It keeps the names of Lua's
 * math library that make sense without floating point; floor and ceil are
 * the identity, and sqrt is the integer square root.
 */
#include <linux/math64.h>
#include <linux/random.h>

#include "klua.h"
#include "lauxlib.h"

static int lmath_abs(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);

	lua_pushinteger(L, n < 0 ? (lua_Integer)(0ULL - (lua_Unsigned)n) : n);
	return 1;
}

static int lmath_pick(lua_State *L, bool want_max)
{
	int i, n = lua_gettop(L), best = 1;

	luaL_checkinteger(L, 1);
	for (i = 2; i <= n; i++) {
		luaL_checkinteger(L, i);
		if (want_max ? lua_compare(L, best, i, LUA_OPLT) :
			       lua_compare(L, i, best, LUA_OPLT))
			best = i;
	}
	lua_pushvalue(L, best);
	return 1;
}

static int lmath_max(lua_State *L)
{
	return lmath_pick(L, true);
}

static int lmath_min(lua_State *L)
{
	return lmath_pick(L, false);
}

/* floor, ceil, tointeger: numbers are integral, so these convert to integer. */
static int lmath_tointeger(lua_State *L)
{
	int ok;
	lua_Integer n = lua_tointegerx(L, 1, &ok);

	if (ok)
		lua_pushinteger(L, n);
	else if (lua_isstring(L, 1) || lua_type(L, 1) == LUA_TNONE)
		luaL_checkinteger(L, 1);
	else
		lua_pushnil(L);
	return 1;
}

static int lmath_floor(lua_State *L)
{
	lua_pushinteger(L, luaL_checkinteger(L, 1));
	return 1;
}

static int lmath_type(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TNUMBER)
		lua_pushstring(L, lua_isinteger(L, 1) ? "integer" : "float");
	else {
		luaL_checkany(L, 1);
		lua_pushnil(L);
	}
	return 1;
}

static int lmath_ult(lua_State *L)
{
	lua_Integer a = luaL_checkinteger(L, 1), b = luaL_checkinteger(L, 2);

	lua_pushboolean(L, (lua_Unsigned)a < (lua_Unsigned)b);
	return 1;
}

/* fmod: the remainder of truncated division, with the dividend's sign. */
static int lmath_fmod(lua_State *L)
{
	lua_Integer a = luaL_checkinteger(L, 1), b = luaL_checkinteger(L, 2);

	luaL_argcheck(L, b != 0, 2, "zero");
	lua_pushinteger(L, b == -1 ? 0 : a % b);
	return 1;
}

static int lmath_sqrt(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);

	luaL_argcheck(L, n >= 0, 1, "negative");
	lua_pushinteger(L, (lua_Integer)int_sqrt64((u64)n));
	return 1;
}

/* random(): a random integer; random(m): 1..m; random(m, n): m..n. */
static int lmath_random(lua_State *L)
{
	lua_Integer lo, hi;
	u64 span, r = get_random_u64();

	switch (lua_gettop(L)) {
	case 0:
		lua_pushinteger(L, (lua_Integer)r);
		return 1;
	case 1:
		lo = 1;
		hi = luaL_checkinteger(L, 1);
		break;
	case 2:
		lo = luaL_checkinteger(L, 1);
		hi = luaL_checkinteger(L, 2);
		break;
	default:
		return luaL_error(L, "wrong number of arguments");
	}
	luaL_argcheck(L, lo <= hi, lua_gettop(L), "interval is empty");
	span = (u64)hi - (u64)lo;
	if (span != U64_MAX)
		div64_u64_rem(r, span + 1, &r);	/* r = r mod (span + 1) */
	lua_pushinteger(L, (lua_Integer)((u64)lo + r));
	return 1;
}

static const luaL_Reg lmath_funcs[] = {
	{ "abs", lmath_abs },
	{ "ceil", lmath_floor },
	{ "floor", lmath_floor },
	{ "fmod", lmath_fmod },
	{ "max", lmath_max },
	{ "min", lmath_min },
	{ "random", lmath_random },
	{ "sqrt", lmath_sqrt },
	{ "tointeger", lmath_tointeger },
	{ "type", lmath_type },
	{ "ult", lmath_ult },
	{ NULL, NULL },
};

int luaopen_kmath(lua_State *L)
{
	luaL_newlib(L, lmath_funcs);
	lua_pushinteger(L, LUA_MAXINTEGER);
	lua_setfield(L, -2, "maxinteger");
	lua_pushinteger(L, LUA_MININTEGER);
	lua_setfield(L, -2, "mininteger");
	return 1;
}
