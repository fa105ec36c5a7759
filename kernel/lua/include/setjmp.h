/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <setjmp.h> for Lua in the kernel. Unwinding is configured in luaconf.h. */
#ifndef KLUA_SHIM_SETJMP_H
#define KLUA_SHIM_SETJMP_H
#endif
