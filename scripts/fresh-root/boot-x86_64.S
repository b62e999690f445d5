/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest for qemu-system-x86_64 -kernel, to prove in the fresh root that
 * QEMU starts with the firmware kunit.py gives it (-bios qboot.rom, which
 * loads this through linuxboot_dma.bin) without building a kernel.  It
 * has a Linux boot protocol header, so the firmware enters its setup code
 * in real mode; that prints a line on COM1 and leaves through QEMU's
 * isa-debug-exit device.  Assembled with gcc -c, then objcopy -O binary.
 */
	.code16
	.text
	.org	0x1f1
	.byte	1			/* setup_sects: one sector after this one */
	.org	0x1fe
	.word	0xaa55
	.org	0x200
entry:	jmp	start			/* entered at CS:0, CS = setup segment + 0x20 */
	.ascii	"HdrS"
	.word	0x0206			/* boot protocol 2.06 */
	.org	0x211
	.byte	0x01			/* loadflags: LOADED_HIGH */
	.org	0x270
start:
	mov	$0x3f8, %dx		/* COM1 */
	mov	$(msg - entry), %si
1:	cs lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b
2:	mov	$0xf4, %dx		/* isa-debug-exit: QEMU exits with 2 * 0x10 + 1 */
	mov	$0x10, %al
	out	%al, %dx
3:	hlt
	jmp	3b
msg:	.asciz	"fresh-root: x86_64 guest ran\n"
	.org	0x400
	.fill	512, 1, 0		/* the protected-mode part, never run */
