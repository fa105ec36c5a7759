/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <stdarg.h> for Lua in the kernel.  */
#ifndef KLUA_SHIM_STDARG_H
#define KLUA_SHIM_STDARG_H
#include <linux/stdarg.h>
#endif
