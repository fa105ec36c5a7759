/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <math.h> for Lua in the kernel. Numbers are 64-bit integers; only what the core names is here. */
#ifndef KLUA_SHIM_MATH_H
#define KLUA_SHIM_MATH_H
#define HUGE_VAL	LLONG_MAX
/*
 * lcode.c builds a distinct constant key for integral floats with these; in
 * klua every float is integral, so a float constant may share the integer's
 * slot. Only math.type() of a folded constant can tell.
 */
#define ldexp(x, e)	((void)(e), (long long)(x) * 0)
#define fabs(x)		((x) < 0 ? -(x) : (x))
#define frexp(x, e)	klua_frexp((x), (e))
#endif
