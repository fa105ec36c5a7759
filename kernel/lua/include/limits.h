/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <limits.h> for Lua in the kernel.  */
#ifndef KLUA_SHIM_LIMITS_H
#define KLUA_SHIM_LIMITS_H
#include <linux/limits.h>
/* Lua tests these in #if, where the kernel's casts can't be evaluated. */
#undef CHAR_BIT
#undef SCHAR_MAX
#undef UCHAR_MAX
#undef SHRT_MAX
#undef USHRT_MAX
#undef INT_MAX
#undef INT_MIN
#undef UINT_MAX
#undef LONG_MAX
#undef LONG_MIN
#undef ULONG_MAX
#undef LLONG_MAX
#undef LLONG_MIN
#undef ULLONG_MAX
#undef SIZE_MAX
#define CHAR_BIT	8
#define SCHAR_MAX	127
#define UCHAR_MAX	255
#define SHRT_MAX	32767
#define USHRT_MAX	65535
#define INT_MAX		2147483647
#define INT_MIN		(-INT_MAX - 1)
#define UINT_MAX	4294967295U
#define LONG_MAX	9223372036854775807L
#define LONG_MIN	(-LONG_MAX - 1L)
#define ULONG_MAX	18446744073709551615UL
#define LLONG_MAX	9223372036854775807LL
#define LLONG_MIN	(-LLONG_MAX - 1LL)
#define ULLONG_MAX	18446744073709551615ULL
#define SIZE_MAX	ULONG_MAX
#endif
