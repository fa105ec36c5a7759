/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klua: the configuration of Lua 5.4 for the Linux kernel. This file takes
 * the place of Lua's own luaconf.h, and it is the only place where Lua is
 * configured.
 *
 * Numbers: both lua_Integer and lua_Number are 64-bit signed integers. Lua's
 * float subtype still exists, but it always holds an integer:
 *   - '/' is floor division, like '//'; its result has the float subtype, so
 *     math.type(7 / 2) is "float" and tostring(7 / 2) is "3.0";
 *   - division or modulo by zero is an error, never inf or nan;
 *   - '^' is integer exponentiation (wrapping on overflow; a negative
 *     exponent gives 1, -1 or 0 as floor(a^b) would);
 *   - literals and strings with a fraction or an exponent ("1.5", "1e3",
 *     hex floats) and decimal integers beyond 64 bits are malformed numbers;
 *   - float arithmetic wraps like integer arithmetic.
 *
 * Error unwinding uses klua's own x86_64 setjmp/longjmp (jmp_x86_64.S).
 *
 * Kernel stack: LUAI_MAXCCALLS bounds C recursion (parser nesting, C calls,
 * coroutine resumes, pattern matcher depth) so that the deepest chunk stays
 * far inside the 16 KiB kernel stack; the VM tests measure it.
 */
#ifndef luaconf_h
#define luaconf_h

#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/stddef.h>
#include <linux/types.h>

struct lua_State;

/* Integers and numbers */
#define LUA_INTEGER		long long
#define LUA_INTEGER_FRMLEN	"ll"
#define LUA_INTEGER_FMT		"%lld"
#define LUAI_UACINT		long long
#define LUA_MAXINTEGER		0x7fffffffffffffffLL
#define LUA_MININTEGER		(-LUA_MAXINTEGER - 1LL)
#define LUA_UNSIGNED		unsigned long long
#define LUA_MAXUNSIGNED		0xffffffffffffffffULL

#define LUA_NUMBER		long long
#define LUAI_UACNUMBER		long long
#define LUA_NUMBER_FRMLEN	"ll"
#define LUA_NUMBER_FMT		"%lld"
#define LUAI_NUMFFORMAT		"ll"

/* Attributes of the "float" type, read through l_floatatt(). */
#define KLUA_NUM_MANT_DIG	64
#define KLUA_NUM_MAX_10_EXP	19
#define KLUA_NUM_DIG		19
#define l_floatatt(n)		(KLUA_NUM_##n)
#define l_mathop(op)		op
#define l_floor(x)		(x)

/*
 * lua_str2number only sees numerals that are not integers (Lua tries those
 * first): fractions, exponents and decimal integers beyond 64 bits. In klua
 * they are all malformed.
 */
#define lua_str2number(s, p)	(*(p) = (char *)(s), (lua_Number)0)
#define lua_strx2number(s, p)	(*(p) = (char *)(s), (lua_Number)0)
#define lua_number2str(s, sz, n) snprintf((s), (sz), "%lld", (long long)(n))
#define lua_integer2str(s, sz, n) snprintf((s), (sz), "%lld", (long long)(n))
#define lua_number2strx(L, b, sz, f, n) \
	((void)(L), (void)(f), snprintf((b), (sz), "%lld", (long long)(n)))
#define lua_numbertointeger(n, p) ((*(p) = (LUA_INTEGER)(n)), 1)
#define lua_pointer2str(buff, sz, p) klua_pointer2str((buff), (sz), (p))
#define lua_getlocaledecpoint()	'.'
#define l_sprintf(s, sz, f, i)	klua_snprintf((s), (sz), (f), (i))

#define luai_numadd(L, a, b)	((lua_Number)((unsigned long long)(a) + (unsigned long long)(b)))
#define luai_numsub(L, a, b)	((lua_Number)((unsigned long long)(a) - (unsigned long long)(b)))
#define luai_nummul(L, a, b)	((lua_Number)((unsigned long long)(a) * (unsigned long long)(b)))
#define luai_numunm(L, a)	((lua_Number)(0ULL - (unsigned long long)(a)))
#define luai_numdiv(L, a, b)	klua_numdiv((L), (a), (b))
#define luai_numidiv(L, a, b)	klua_numdiv((L), (a), (b))
#define luai_nummod(L, a, b, m)	((m) = klua_nummod((L), (a), (b)))
#define luai_numpow(L, a, b)	klua_numpow((L), (a), (b))
#define luai_numeq(a, b)	((a) == (b))
#define luai_numlt(a, b)	((a) < (b))
#define luai_numle(a, b)	((a) <= (b))
#define luai_numgt(a, b)	((a) > (b))
#define luai_numge(a, b)	((a) >= (b))
#define luai_numisnan(a)	((void)(a), 0)
/* string.pack refuses 'f' and 'd' (a klua patch to lstrlib.c) */
#define LUA_NOFLOATTYPES

/*
 * Unwinding: kernel/lua/jmp_x86_64.S. klua_longjmp is not declared
 * noreturn, so the trap after it ends the throwing function for objtool.
 */
struct klua_jmpbuf {
	unsigned long regs[8];
};
int klua_setjmp(struct klua_jmpbuf *b) __attribute__((returns_twice));
void klua_longjmp(struct klua_jmpbuf *b);
#define luai_jmpbuf		struct klua_jmpbuf
#define LUAI_THROW(L, c)	do { klua_longjmp(&(c)->b); __builtin_trap(); } while (0)
#define LUAI_TRY(L, c, a)	if (klua_setjmp(&(c)->b) == 0) { a }

/* Lua's functions that raise are noreturn to klua's files (compat.h). */
#include "compat.h"

/*
 * Computed-goto dispatch in luaV_execute, as in userspace Lua. Its table
 * goes where objtool looks for jump tables (kernel/lua/patches/0003), as the
 * BPF interpreter's does; the jumps go through retpolines.
 */
#define luai_jumptable		__annotate_jump_table
#define LUA_USE_JUMPTABLE	1

/*
 * C recursion is bounded by the kernel stack itself, not by a count: Lua
 * reads LUAI_MAXCCALLS wherever C nests (calls from C, the parser, resume),
 * and klua_cstack_limit (port.c) answers from the bytes of stack the run
 * has used. Past KLUA_STACK_SOFT it equals the current depth, so Lua raises
 * "C stack overflow"; past KLUA_STACK_HARD it is 0, so Lua unwinds at once
 * without calling a handler. The pattern matcher's depth (MAXCCALLS) is
 * set from the room left when a match starts.
 */
#ifdef CONFIG_KASAN
/* KASAN's redzones make frames larger; it doubles the kernel stack too. */
#define KLUA_STACK_SCALE	2
#else
#define KLUA_STACK_SCALE	1
#endif
#define KLUA_STACK_SOFT		(5120 * KLUA_STACK_SCALE)
#define KLUA_STACK_HARD		(6656 * KLUA_STACK_SCALE)
#define KLUA_MAXCCALLS		200
int klua_cstack_limit(struct lua_State *L);
int klua_match_depth(struct lua_State *L);
#define LUAI_MAXCCALLS		klua_cstack_limit(L)
#define MAXCCALLS		klua_match_depth(L)
#define LUAI_MAXSTACK		1000000
#define LUAL_BUFFERSIZE		256
#define LUA_IDSIZE		60
#define LUA_EXTRASPACE		(sizeof(void *))	/* the owning struct klua_state */
#define LUAI_MAXALIGN		long long n; void *s; long l

#define luai_makeseed(L)	((void)(L), (unsigned int)get_random_u32())

/*
 * The budget of a run (run.c). Lua's VM is patched to charge it wherever
 * work can repeat (kernel/lua/patches/0001): a backward jump charges the
 * instructions it jumps over, a call of a Lua function its code size, and
 * the C loops that could run long (pattern matching, plain search,
 * table.move, table.sort) their steps. The check is inline; every
 * KLUA_CHECK_STEP units, and once the budget is spent, klua_charge_slow
 * checks for an interrupt and raises the error. This costs far less than a
 * count hook, which makes Lua 5.4 trap on every instruction.
 */
struct klua_budget {
	long long left;		/* units left in this run */
	long long check;	/* call klua_charge_slow when left drops below */
};
#define KLUA_CHECK_STEP		4096
#define KLUA_CHARGE_MAX		(1LL << 40)
void klua_charge_slow(struct lua_State *L);
/* Takes n units; true when klua_charge_slow must be called. */
static inline int klua_charge_due(struct lua_State *L, unsigned long long n)
{
	/* the extra space holds the struct klua_state, whose first member this is */
	struct klua_budget *b = *(struct klua_budget **)((char *)L - LUA_EXTRASPACE);

	b->left -= n > KLUA_CHARGE_MAX ? KLUA_CHARGE_MAX : (long long)n;
	return b->left < b->check;
}
static inline void klua_charge(struct lua_State *L, unsigned long long n)
{
	if (__builtin_expect(klua_charge_due(L, n), 0))
		klua_charge_slow(L);
}
#define luai_charge(L, n)	klua_charge((L), (n))
/* The VM's loops save their state only on the slow path (patch 0001). */
#define luai_chargedue(L, n)	klua_charge_due((L), (n))
#define luai_chargeslow(L)	klua_charge_slow(L)
#define l_randomizePivot()	get_random_u32()

/*
 * Every state's allocator (run.c), called directly rather than through
 * the state's function pointer (kernel/lua/patches/0005): under retpolines
 * an indirect call is slow, and Lua allocates often.
 */
void *klua_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
#define luai_frealloc(g, b, os, ns)	klua_alloc((g)->ud, (b), (os), (ns))

/* Linkage: everything lives in one module. */
#define LUA_API			extern
#define LUALIB_API		LUA_API
#define LUAMOD_API		LUA_API
#define LUAI_FUNC		extern
#define LUAI_DDEC(dec)		LUAI_FUNC dec
#define LUAI_DDEF		/* empty */

#define LUA_KCONTEXT		ptrdiff_t
#define LUAI_IS32INT		1

#define luai_likely(x)		__builtin_expect(((x) != 0), 1)
#define luai_unlikely(x)	__builtin_expect(((x) != 0), 0)
#if defined(LUA_CORE) || defined(LUA_LIB)
#define l_likely(x)		luai_likely(x)
#define l_unlikely(x)		luai_unlikely(x)
/*
 * Names in Lua's sources that the kernel's headers took as macros or
 * functions: LexState.current and lauxlib's panic().
 */
#undef current
#define panic			klua_lauxlib_panic
#endif

/* Nothing is written to a console: print() is klua's own. */
#define lua_writestring(s, l)		((void)(s), (void)(l))
#define lua_writeline()			((void)0)
#define lua_writestringerror(s, p)	((void)(s), (void)(p))

#define LUA_PATH_SEP		";"
#define LUA_PATH_MARK		"?"
#define LUA_EXEC_DIR		"!"
#define LUA_DIRSEP		"/"

/* Provided by kernel/lua/port.c */
struct lua_State;
int klua_pointer2str(char *buf, size_t sz, const void *p);
int klua_snprintf(char *buf, size_t sz, const char *fmt, ...);
long long klua_numdiv(struct lua_State *L, long long a, long long b);
long long klua_nummod(struct lua_State *L, long long a, long long b);
long long klua_numpow(struct lua_State *L, long long a, long long b);
unsigned int get_random_u32(void);

static inline long long klua_frexp(long long x, int *e)
{
	*e = 0;
	return x;
}

#endif /* luaconf_h */
