/* SPDX-License-Identifier: GPL-2.0-only */
/* klua: <stdio.h> for Lua in the kernel. lauxlib's luaL_loadfilex compiles against these; every open fails, so no file is ever read. */
#ifndef KLUA_SHIM_STDIO_H
#define KLUA_SHIM_STDIO_H
#include <linux/kernel.h>
typedef struct klua_file FILE;
#define stdin		((FILE *)NULL)
#define stderr		((FILE *)NULL)
#define EOF		(-1)
#define BUFSIZ		256
static inline FILE *fopen(const char *path, const char *mode) { return NULL; }
static inline FILE *freopen(const char *path, const char *mode, FILE *f) { return NULL; }
static inline int fclose(FILE *f) { return 0; }
static inline int getc(FILE *f) { return EOF; }
static inline size_t fread(void *p, size_t sz, size_t n, FILE *f) { return 0; }
static inline int feof(FILE *f) { return 1; }
static inline int ferror(FILE *f) { return 1; }
static inline const char *strerror(int e) { return "files are not available in the kernel"; }
#endif
