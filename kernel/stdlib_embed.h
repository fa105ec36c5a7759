/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: the Lua modules of stdlib/, embedded at build time (stdlib_embed.c). */
#ifndef KLUA_STDLIB_EMBED_H
#define KLUA_STDLIB_EMBED_H

#include <linux/types.h>

struct klua_module {
	const char *name;
	const char *source;
	size_t len;
};

/* Ends with an entry whose name is NULL. */
extern const struct klua_module klua_stdlib[];

#endif /* KLUA_STDLIB_EMBED_H */
