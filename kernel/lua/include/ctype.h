/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <ctype.h> for Lua in the kernel.  */
#ifndef KLUA_SHIM_CTYPE_H
#define KLUA_SHIM_CTYPE_H
#include <linux/ctype.h>
#endif
