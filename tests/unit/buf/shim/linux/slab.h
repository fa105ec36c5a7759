/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmalloc and kfree over malloc, with failures on demand: the test sets
 * klua_test_fail_allocs to make the next ones fail, and counts what is held.
 */
#ifndef KLUA_TEST_LINUX_SLAB_H
#define KLUA_TEST_LINUX_SLAB_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/gfp.h>
#include <linux/list.h>
#define PAGE_SIZE	4096ul
#define min(a, b)	((a) < (b) ? (a) : (b))
#define WARN_ON_ONCE(c)	klua_test_warn(!!(c), #c)
extern int klua_test_fail_allocs;	/* the next ones that fail */
extern long klua_test_held;		/* blocks allocated and not freed */
extern int klua_test_warnings;
static inline int klua_test_warn(int c, const char *what)
{
	if (c) {
		klua_test_warnings++;
		fprintf(stderr, "WARN_ON_ONCE(%s)\n", what);
	}
	return c;
}
static inline void *kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	(void)gfp;
	if (klua_test_fail_allocs > 0) {
		klua_test_fail_allocs--;
		return NULL;
	}
	p = malloc(size);
	if (p)
		klua_test_held++;
	return p;
}
static inline void kfree(const void *p)
{
	if (p)
		klua_test_held--;
	free((void *)p);
}
#endif
