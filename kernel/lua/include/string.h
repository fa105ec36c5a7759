/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <string.h> for Lua in the kernel. strcoll compares bytes: there is no locale. */
#ifndef KLUA_SHIM_STRING_H
#define KLUA_SHIM_STRING_H
#include <linux/string.h>
#define strcoll(a, b)	strcmp(a, b)
#endif
