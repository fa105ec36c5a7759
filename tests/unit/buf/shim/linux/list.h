/* SPDX-License-Identifier: GPL-2.0-only */
/* A doubly linked list with the kernel's interface, as much as buf.c uses. */
#ifndef KLUA_TEST_LINUX_LIST_H
#define KLUA_TEST_LINUX_LIST_H
#include <stddef.h>
struct list_head {
	struct list_head *next, *prev;
};
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h->prev = h;
}
static inline int list_empty(const struct list_head *h)
{
	return h->next == h;
}
static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}
static inline void list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = NULL;
}
#define list_entry(p, type, member) container_of(p, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_last_entry(h, type, member) list_entry((h)->prev, type, member)
#define list_for_each_entry(pos, h, member) \
	for (pos = list_entry((h)->next, __typeof__(*pos), member); &pos->member != (h); \
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))
#define list_for_each_entry_safe(pos, n, h, member) \
	for (pos = list_entry((h)->next, __typeof__(*pos), member), \
	     n = list_entry(pos->member.next, __typeof__(*pos), member); \
	     &pos->member != (h); \
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))
#endif
