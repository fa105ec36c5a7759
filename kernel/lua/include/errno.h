/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <errno.h> for Lua in the kernel. Only lauxlib's file functions read errno, and they never succeed here. */
#ifndef KLUA_SHIM_ERRNO_H
#define KLUA_SHIM_ERRNO_H
#include <linux/errno.h>
#define errno	0
#endif
