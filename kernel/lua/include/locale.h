/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <locale.h> for Lua in the kernel. There is no locale. */
#ifndef KLUA_SHIM_LOCALE_H
#define KLUA_SHIM_LOCALE_H
#endif
