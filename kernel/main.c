// SPDX-License-Identifier: GPL-2.0-only
/*
 * klua: Lua 5.4 in the kernel, with named states driven over generic
 * netlink. Module parameters, per-namespace state tables, init and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netlink.h>

#include "klua.h"
#include "events.h"
#include "exec.h"
#include "netlink.h"
#include "lua/port.h"

unsigned long klua_default_memory = 1UL << 20;
module_param_named(default_memory, klua_default_memory, ulong, 0644);
MODULE_PARM_DESC(default_memory, "memory limit of a new state, in bytes (1 MiB)");

unsigned long klua_max_memory = 64UL << 20;
module_param_named(max_memory, klua_max_memory, ulong, 0644);
MODULE_PARM_DESC(max_memory, "largest memory limit a state may ask for (64 MiB)");

unsigned long klua_default_instructions = 1000000;
module_param_named(default_instructions, klua_default_instructions, ulong, 0644);
MODULE_PARM_DESC(default_instructions, "instruction budget of each run of a new state (1000000)");

unsigned long klua_max_instructions = 100000000;
module_param_named(max_instructions, klua_max_instructions, ulong, 0644);
MODULE_PARM_DESC(max_instructions, "largest instruction budget a state may ask for (100000000)");

unsigned long klua_callback_instructions = 1000000;
module_param_named(callback_instructions, klua_callback_instructions, ulong, 0644);
MODULE_PARM_DESC(callback_instructions,
		 "most instructions a timer callback may run: it runs in softirq (1000000)");

unsigned int klua_default_time_ms = 10000;
module_param_named(default_time, klua_default_time_ms, uint, 0644);
MODULE_PARM_DESC(default_time, "wall-clock time limit of each run of a new state, in ms (10000)");

unsigned int klua_max_time_ms = 60000;
module_param_named(max_time, klua_max_time_ms, uint, 0644);
MODULE_PARM_DESC(max_time, "largest time limit a state may ask for, in ms (60000)");

unsigned int klua_callback_time_us = 50000;
module_param_named(callback_time, klua_callback_time_us, uint, 0644);
MODULE_PARM_DESC(callback_time,
		 "most wall-clock time a timer callback may run, in us: it runs in softirq (50000)");

unsigned long klua_total_memory = 1UL << 30;
module_param_named(total_memory, klua_total_memory, ulong, 0644);
MODULE_PARM_DESC(total_memory, "most Lua heap of all states together, in bytes (1 GiB)");
atomic_long_t klua_mem_total = ATOMIC_LONG_INIT(0);

unsigned int klua_max_states = 256;
module_param_named(max_states, klua_max_states, uint, 0644);
MODULE_PARM_DESC(max_states, "most states in one network namespace (256)");

unsigned long klua_max_output = 4UL << 20;
module_param_named(max_output, klua_max_output, ulong, 0644);
MODULE_PARM_DESC(max_output, "most bytes of output of one exec (4 MiB)");

unsigned int klua_max_chunk = 64000;
module_param_named(max_chunk, klua_max_chunk, uint, 0644);
MODULE_PARM_DESC(max_chunk, "largest chunk of Lua source, in bytes (64000)");

unsigned int klua_event_buffer = 64 << 10;
module_param_named(event_buffer, klua_event_buffer, uint, 0644);
MODULE_PARM_DESC(event_buffer, "bytes of events a state buffers for its subscribers (64 KiB)");

bool klua_unloading;

/* A closed generic netlink socket drops its subscriptions. */
static int klua_netlink_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		klua_events_release(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block klua_netlink_notifier = {
	.notifier_call = klua_netlink_event,
};

static int __init klua_init(void)
{
	int err;

	klua_port_init();
	err = klua_exec_init();
	if (err)
		return err;
	err = register_pernet_subsys(&klua_net_ops);
	if (err)
		goto err_exec;
	err = netlink_register_notifier(&klua_netlink_notifier);
	if (err)
		goto err_pernet;
	err = klua_netlink_init();
	if (err)
		goto err_notifier;
	pr_info("Lua 5.4 ready; family \"%s\" version %d\n",
		KLUA_GENL_NAME, KLUA_GENL_VERSION);
	return 0;

err_notifier:
	netlink_unregister_notifier(&klua_netlink_notifier);
err_pernet:
	unregister_pernet_subsys(&klua_net_ops);
err_exec:
	klua_exec_exit();
	return err;
}

static void __exit klua_exit(void)
{
	klua_unloading = true;
	klua_netlink_exit();
	netlink_unregister_notifier(&klua_netlink_notifier);
	unregister_pernet_subsys(&klua_net_ops);
	klua_exec_exit();
	klua_events_exit();
}

module_init(klua_init);
module_exit(klua_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klua: Lua 5.4 scripting in the kernel");
