/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KLUA_NETLINK_H
#define KLUA_NETLINK_H

#include <net/genetlink.h>

extern struct genl_family klua_family;

int klua_netlink_init(void);
void klua_netlink_exit(void);

#endif /* KLUA_NETLINK_H */
