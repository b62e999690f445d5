/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest for qemu-system-aarch64 -machine virt -kernel, to prove in the
 * fresh root that the cross compiler builds and links and that QEMU runs
 * what it built, without building a kernel: it prints a line on the
 * PL011 UART of the virt board and powers off through PSCI (HVC, as the
 * board provides it to a guest started at EL1).  Linked at the start of
 * the virt board's RAM with aarch64-linux-gnu-gcc -nostdlib -static.
 */
	.globl	_start
_start:
	ldr	x1, =0x09000000		/* UART0 data register */
	adr	x2, msg
1:	ldrb	w3, [x2], #1
	cbz	w3, 2f
	strb	w3, [x1]
	b	1b
2:	ldr	x0, =0x84000008		/* PSCI SYSTEM_OFF */
	hvc	#0
3:	wfi
	b	3b
msg:	.asciz	"fresh-root: aarch64 guest ran\n"
