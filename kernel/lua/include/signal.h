/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <signal.h> for Lua in the kernel.  */
#ifndef KLUA_SHIM_SIGNAL_H
#define KLUA_SHIM_SIGNAL_H
typedef int sig_atomic_t;
#endif
