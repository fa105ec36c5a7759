/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <stdint.h> for Lua in the kernel.  */
#ifndef KLUA_SHIM_STDINT_H
#define KLUA_SHIM_STDINT_H
#include <linux/types.h>
#include <linux/limits.h>
#endif
