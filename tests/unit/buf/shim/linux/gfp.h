/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KLUA_TEST_LINUX_GFP_H
#define KLUA_TEST_LINUX_GFP_H
#include <linux/types.h>
#define GFP_NOWAIT	1u
#define GFP_KERNEL	2u
#define __GFP_ACCOUNT	4u
#define __GFP_NOWARN	8u
#endif
