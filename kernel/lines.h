/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: the NDJSON line writers (lines.c). Each returns 0 or -errno. */
#ifndef KLUA_LINES_H
#define KLUA_LINES_H

#include "buf.h"

struct klua_state;

/* {"type":TYPE,"state":NAME,"data": (the caller writes the data and "}\n") */
int klua_write_head(struct klua_buf *b, struct klua_state *s, const char *type);
/* ,"key":"val" (or without the comma, first) */
int klua_write_field(struct klua_buf *b, const char *key, const char *val, bool first);
/* A "result" line: the values on the state's stack from first to last. */
int klua_write_result(struct klua_state *s, struct klua_buf *b,
		      int first, int last, const char **why);
/* An "error" line from the error value on top of the stack. */
int klua_write_error(struct klua_state *s, struct klua_buf *b,
		     const char *kind, const char *override);
/* An "error" line with only a kind and a message. */
int klua_write_error_message(struct klua_state *s, struct klua_buf *b,
			     const char *kind, const char *why);
int klua_write_lost(struct klua_state *s, struct klua_buf *b, u64 count);
/*
 * The "lost" and "end" lines, formatted into buf without allocating (an
 * event stream's last lines); their length. KLUA_FIXED_LINE_SIZE holds one.
 */
#define KLUA_FIXED_LINE_SIZE	(KLUA_NAME_MAX + 96)
size_t klua_format_lost(char *buf, size_t size, const char *name, u64 count);
size_t klua_format_end(char *buf, size_t size, const char *name, const char *reason);
int klua_write_print(struct klua_state *s, struct klua_buf *b,
		     const char *text, size_t len);

#endif /* KLUA_LINES_H */
