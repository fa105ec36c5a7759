/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <stddef.h> for Lua in the kernel. Types come from the kernel. */
#ifndef KLUA_SHIM_STDDEF_H
#define KLUA_SHIM_STDDEF_H
#include <linux/stddef.h>
#include <linux/types.h>
#endif
