/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KLUA_TEST_LINUX_STRING_H
#define KLUA_TEST_LINUX_STRING_H
#include <string.h>
#endif
