/* SPDX-License-Identifier: GPL-2.0-only */
/* What kernel/buf.c takes from the kernel, for its userspace unit test. */
#ifndef KLUA_TEST_LINUX_TYPES_H
#define KLUA_TEST_LINUX_TYPES_H
#include_next <linux/types.h>	/* the system's: its other headers need it */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint64_t u64;
typedef uint32_t u32;
typedef unsigned int gfp_t;
#endif
