// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: Lua's core and libraries compiled as one unit, as Lua's own
 * onelua.c does. The compiler inlines across Lua's files, and objtool (which
 * on 6.1 checks one object at a time) sees where each error path ends.
 */
#include "lprefix.h"

/* core */
#include "lzio.c"
#include "lctype.c"
#include "lopcodes.c"
#include "lmem.c"
#include "lundump.c"
#include "ldump.c"
#include "lstate.c"
#include "lgc.c"
#include "llex.c"
#include "lcode.c"
#include "lparser.c"
#include "ldebug.c"
#include "lfunc.c"
#include "lobject.c"
#include "ltm.c"
#include "lstring.c"
#include "ltable.c"
#include "ldo.c"
#include "lvm.c"
#include "lapi.c"

/* libraries */
#include "lauxlib.c"
#include "lbaselib.c"
#include "lcorolib.c"
#include "lstrlib.c"
#include "ltablib.c"
#include "lutf8lib.c"

/* klua's number semantics and formatting (named by luaconf.h) */
#include "port.c"
