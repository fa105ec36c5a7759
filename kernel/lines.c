// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: the NDJSON lines of klua's output, one JSON object a line, written
 * to a buffer: {"type":TYPE,"state":NAME,"data":...}. Exec output and
 * events are both written here. docs/PROTOCOL.md describes each type.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "klua.h"
#include "json.h"
#include "lines.h"

int klua_write_head(struct klua_buf *b, struct klua_state *s, const char *type)
{
	int err;

	err = klua_buf_puts(b, "{\"type\":\"");
	err = err ?: klua_buf_puts(b, type);
	err = err ?: klua_buf_puts(b, "\",\"state\":");
	err = err ?: klua_json_string(b, s->name, strlen(s->name));
	err = err ?: klua_buf_puts(b, ",\"data\":");
	return err;
}

int klua_write_result(struct klua_state *s, struct klua_buf *b,
		      int first, int last, const char **why)
{
	lua_State *L = s->L;
	int i, err;

	err = klua_write_head(b, s, "result");
	err = err ?: klua_buf_puts(b, "[");
	for (i = first; !err && i <= last; i++) {
		if (i > first)
			err = klua_buf_puts(b, ",");
		err = err ?: klua_json_value(L, i, b, why);
	}
	err = err ?: klua_buf_puts(b, "]}\n");
	return err;
}

int klua_write_field(struct klua_buf *b, const char *key,
		     const char *val, bool first)
{
	int err = klua_buf_puts(b, first ? "\"" : ",\"");

	err = err ?: klua_buf_puts(b, key);
	err = err ?: klua_buf_puts(b, "\":");
	err = err ?: klua_json_string(b, val, strlen(val));
	return err;
}

/*
 * Writes the error line from the run's error value on top of the stack;
 * msg, if not NULL, replaces its message.
 */
int klua_write_error(struct klua_state *s, struct klua_buf *b,
		     const char *kind, const char *override)
{
	lua_State *L = s->L;
	const char *msg = "(no message)", *tb = NULL, *chunk = NULL;
	lua_Integer line = 0;
	char num[24];
	int pushed = 0, err;

	if (lua_istable(L, -1)) {
		pushed = 4;
		lua_getfield(L, -1, "message");
		lua_getfield(L, -2, "traceback");
		lua_getfield(L, -3, "chunk");
		lua_getfield(L, -4, "line");
		msg = lua_tostring(L, -4) ?: msg;
		tb = lua_tostring(L, -3);
		chunk = lua_tostring(L, -2);
		line = lua_tointeger(L, -1);
	} else if (lua_type(L, -1) == LUA_TSTRING) {
		msg = lua_tostring(L, -1);
	}
	err = klua_write_head(b, s, "error");
	err = err ?: klua_buf_puts(b, "{");
	err = err ?: klua_write_field(b, "kind", kind, true);
	err = err ?: klua_write_field(b, "message", override ?: msg, false);
	if (tb)
		err = err ?: klua_write_field(b, "traceback", tb, false);
	if (chunk)
		err = err ?: klua_write_field(b, "chunk", chunk, false);
	if (line > 0) {
		snprintf(num, sizeof(num), ",\"line\":%lld", line);
		err = err ?: klua_buf_puts(b, num);
	}
	err = err ?: klua_buf_puts(b, "}}\n");
	lua_pop(L, pushed);
	return err;
}

/*
 * The lines whose data is fixed text ("lost" and "end") are formatted into
 * a char array, without allocating: an event stream's last lines must go
 * out when memory is short too. State names need no JSON escaping
 * (klua_name_valid), nor do the reasons (words of klua's).
 */
size_t klua_format_lost(char *buf, size_t size, const char *name, u64 count)
{
	return scnprintf(buf, size, "{\"type\":\"lost\",\"state\":\"%s\",\"data\":{\"count\":%llu}}\n",
			 name, count);
}

size_t klua_format_end(char *buf, size_t size, const char *name, const char *reason)
{
	return scnprintf(buf, size, "{\"type\":\"end\",\"state\":\"%s\",\"data\":{\"reason\":\"%s\"}}\n",
			 name, reason);
}

int klua_write_lost(struct klua_state *s, struct klua_buf *b, u64 count)
{
	char line[KLUA_FIXED_LINE_SIZE];
	size_t len = klua_format_lost(line, sizeof(line), s->name, count);
	u64 mark = klua_buf_mark(b);
	int err;

	err = klua_buf_write(b, line, len);
	if (err)
		klua_buf_rollback(b, mark);
	return err;
}

/* Writes an error line with only a kind and a message. */
int klua_write_error_message(struct klua_state *s, struct klua_buf *b,
			     const char *kind, const char *why)
{
	int err;

	err = klua_write_head(b, s, "error");
	err = err ?: klua_buf_puts(b, "{");
	err = err ?: klua_write_field(b, "kind", kind, true);
	err = err ?: klua_write_field(b, "message", why, false);
	err = err ?: klua_buf_puts(b, "}}\n");
	return err;
}

/* A "print" line: the text as a JSON string. */
int klua_write_print(struct klua_state *s, struct klua_buf *b,
		     const char *text, size_t len)
{
	int err;

	err = klua_write_head(b, s, "print");
	err = err ?: klua_json_string(b, text, len);
	err = err ?: klua_buf_puts(b, "}\n");
	return err;
}
