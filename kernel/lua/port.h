/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KLUA_PORT_H
#define KLUA_PORT_H

/* Seeds the key that turns pointers into identities (lua_pointer2str). */
void klua_port_init(void);

#endif /* KLUA_PORT_H */
