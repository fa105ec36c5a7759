// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: the functions luaconf.h names. Integer semantics for Lua's float
 * operators, a printf that only ever sees formats the kernel supports, and
 * pointer identities that reveal no kernel address.
 */
#define LUA_CORE

#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/stdarg.h>
#include <linux/string.h>

#include "lua.h"
#include "ldebug.h"
#include "lstate.h"
#include "port.h"

static siphash_key_t klua_pointer_key;

void klua_port_init(void)
{
	get_random_bytes(&klua_pointer_key, sizeof(klua_pointer_key));
}

/* A stable, keyed identity: equal for one object, meaningless as an address. */
int klua_pointer2str(char *buf, size_t sz, const void *p)
{
	u64 h = siphash_1u64((u64)(uintptr_t)p, &klua_pointer_key);

	return snprintf(buf, sz, "0x%016llx", h);
}

/*
 * l_sprintf in Lua's sources formats one conversion at a time: "%<flags>
 * <width>.<precision><length><conversion>" with one argument, or a fixed
 * format such as "\\%d". Conversions the kernel's vsnprintf does not know are
 * rewritten: floats (always integral here) print as integers, and %p prints a
 * keyed hash instead of the pointer.
 */
int klua_snprintf(char *buf, size_t sz, const char *fmt, ...)
{
	size_t len = strlen(fmt);
	char conv = len ? fmt[len - 1] : '\0';
	char form[32];
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (conv == 'p') {
		n = klua_pointer2str(buf, sz, va_arg(ap, const void *));
	} else if (fmt[0] == '%' && strchr("aAeEfFgG", conv) &&
		   len < sizeof(form) - 4) {
		/* keep flags and width, drop precision and length */
		size_t keep = strspn(fmt + 1, "-+ #0123456789") + 1;

		memcpy(form, fmt, keep);
		strscpy(form + keep, "lld", sizeof(form) - keep);
		n = vsnprintf(buf, sz, form, ap);
	} else {
		n = vsnprintf(buf, sz, fmt, ap);
	}
	va_end(ap);
	return n;
}

/*
 * Lua raises "C stack overflow" when the depth equals the limit and lets the
 * error handler nest up to 10% deeper. So the limit is latched: the first
 * time a run reaches KLUA_STACK_SOFT, the depth there becomes its limit for
 * the rest of the run. Past KLUA_STACK_HARD, 0 makes Lua unwind at once.
 */
int klua_cstack_limit(lua_State *L)
{
	int *latched = klua_ccall_limit(L);
	unsigned long used = klua_stack_used(L);

	if (used >= KLUA_STACK_HARD)
		return 0;
	if (!*latched && used >= KLUA_STACK_SOFT)
		*latched = getCcalls(L);
	return *latched ?: KLUA_MAXCCALLS;
}

/* A frame of the pattern matcher's match() takes well under this. */
#define KLUA_MATCH_FRAME	192

int klua_match_depth(lua_State *L)
{
	unsigned long used = klua_stack_used(L);

	if (used >= KLUA_STACK_SOFT)
		return 1;
	return min(200UL, (KLUA_STACK_SOFT - used) / KLUA_MATCH_FRAME + 1);
}

long long klua_numdiv(lua_State *L, long long a, long long b)
{
	long long q;

	if (unlikely(b == 0))
		luaG_runerror(L, "attempt to perform 'n/0'");
	if (unlikely(b == -1))	/* LLONG_MIN / -1 would trap */
		return (long long)(0ULL - (unsigned long long)a);
	q = a / b;
	if ((a % b != 0) && ((a ^ b) < 0))
		q -= 1;		/* round toward minus infinity */
	return q;
}

long long klua_nummod(lua_State *L, long long a, long long b)
{
	long long m;

	if (unlikely(b == 0))
		luaG_runerror(L, "attempt to perform 'n%%0'");
	if (unlikely(b == -1))
		return 0;
	m = a % b;
	if (m != 0 && (m ^ b) < 0)
		m += b;		/* the result takes the divisor's sign */
	return m;
}

long long klua_numpow(lua_State *L, long long a, long long b)
{
	unsigned long long r = 1, base = (unsigned long long)a;

	if (b < 0) {	/* floor(a^b), where |a^b| < 1 unless |a| is 1 */
		if (a == 0)
			luaG_runerror(L, "attempt to raise 0 to a negative power");
		if (a == 1)
			return 1;
		if (a == -1)
			return (b & 1) ? -1 : 1;
		return (a < 0 && (b & 1)) ? -1 : 0;
	}
	while (b) {
		if (b & 1)
			r *= base;
		base *= base;
		b >>= 1;
	}
	return (long long)r;
}
