/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <float.h> for Lua in the kernel. Numbers are integers: nothing here. */
#ifndef KLUA_SHIM_FLOAT_H
#define KLUA_SHIM_FLOAT_H
#endif
