/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KLUA_PORT_H
#define KLUA_PORT_H

/* Seeds the key that turns pointers into identities (lua_pointer2str). */
void klua_port_init(void);

struct lua_State;
/* Bytes of kernel stack the current run has used so far (run.c). */
unsigned long klua_stack_used(struct lua_State *L);
/* The run's latched C-call limit, 0 until it reaches KLUA_STACK_SOFT. */
int *klua_ccall_limit(struct lua_State *L);

#endif /* KLUA_PORT_H */
