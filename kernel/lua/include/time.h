/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <time.h> for Lua in the kernel. Nothing: the seed comes from get_random_u32(). */
#ifndef KLUA_SHIM_TIME_H
#define KLUA_SHIM_TIME_H
#endif
