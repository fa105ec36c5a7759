/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klua: error unwinding for Lua in the kernel (LUAI_TRY/LUAI_THROW in
 * luaconf.h). klua_setjmp saves the callee-saved registers, the stack
 * pointer and its return address; klua_longjmp restores them and returns 1
 * from that klua_setjmp with a real RET, so that objtool and the return
 * thunks see an ordinary function return.
 *
 * struct klua_jmpbuf: rbx, rbp, r12, r13, r14, r15, rsp, return address.
 */
#include <linux/linkage.h>
#include <asm/unwind_hints.h>

/* int klua_setjmp(struct klua_jmpbuf *b) */
SYM_FUNC_START(klua_setjmp)
	movq	%rbx, 0x00(%rdi)
	movq	%rbp, 0x08(%rdi)
	movq	%r12, 0x10(%rdi)
	movq	%r13, 0x18(%rdi)
	movq	%r14, 0x20(%rdi)
	movq	%r15, 0x28(%rdi)
	leaq	8(%rsp), %rdx		/* the caller's stack pointer */
	movq	%rdx, 0x30(%rdi)
	movq	(%rsp), %rdx		/* the return address */
	movq	%rdx, 0x38(%rdi)
	xorl	%eax, %eax
	RET
SYM_FUNC_END(klua_setjmp)

/* void klua_longjmp(struct klua_jmpbuf *b): klua_setjmp returns 1 */
SYM_FUNC_START(klua_longjmp)
#ifdef CONFIG_KASAN_STACK
	/*
	 * The frames that the jump drops never unpoison their stack redzones:
	 * clear the shadow of the stack from here up to the target.
	 */
	movq	%rdi, %rbx
	movq	%rsp, %rdi
	movq	0x30(%rbx), %rsi
	call	__asan_allocas_unpoison
	movq	%rbx, %rdi
#endif
	movq	0x00(%rdi), %rbx
	movq	0x08(%rdi), %rbp
	movq	0x10(%rdi), %r12
	movq	0x18(%rdi), %r13
	movq	0x20(%rdi), %r14
	movq	0x28(%rdi), %r15
	movq	0x38(%rdi), %rdx
	movq	0x30(%rdi), %rsp
	pushq	%rdx			/* as on entry to klua_setjmp */
	UNWIND_HINT_FUNC
	movl	$1, %eax
	RET
SYM_FUNC_END(klua_longjmp)
