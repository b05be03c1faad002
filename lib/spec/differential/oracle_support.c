/*
 * lib/spec/differential/oracle_support.c: what a MIG-generated server needs
 * from libsystem, as tiny Linux definitions (no Apple header): the NDR record
 * and the mig_* / vm helpers the stubs may call. None of them sets
 * mp_diff_reached: only a server routine does (the stubs the script writes).
 * Arguments follow the x86_64 C ABI; MIG's ports are 32-bit names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* NDR_record_t: mig_vers 0, if_vers 0, reserved1 0, mig_encoding 0,
 * int_rep 1 (little endian), char_rep 0, float_rep 0, reserved2 0. */
const uint8_t NDR_record[8] = {0, 0, 0, 0, 1, 0, 0, 0};

/* mach_task_self() is a macro over this variable. */
uint32_t mach_task_self_ = 0x103;

/* mig_strncpy: copies at most len bytes, always terminated; returns the length
 * copied including the NUL (libsyscall mig_strncpy.c semantics). */
int mig_strncpy(char *dest, const char *src, int len)
{
	int i;

	if (len <= 0)
		return 0;
	for (i = 1; i < len; i++)
		if ((*dest++ = *src++) == '\0')
			return i;
	*dest = '\0';
	return i;
}

/* mig_strncpy_zerofill: as mig_strncpy, the rest of dest zeroed. */
int mig_strncpy_zerofill(char *dest, const char *src, int len)
{
	int n = mig_strncpy(dest, src, len);

	if (n < len)
		memset(dest + n, 0, (size_t)(len - n));
	return n;
}

void mig_allocate(uintptr_t *addr, uintptr_t size)
{
	*addr = (uintptr_t)calloc(1, size ? size : 1);
}

void mig_deallocate(uintptr_t addr, uintptr_t size)
{
	(void)addr;
	(void)size;
}

int vm_deallocate(uint32_t task, uintptr_t addr, uintptr_t size)
{
	(void)task;
	(void)addr;
	(void)size;
	return 0;
}

int mach_vm_deallocate(uint32_t task, uint64_t addr, uint64_t size)
{
	(void)task;
	(void)addr;
	(void)size;
	return 0;
}

uint32_t mig_get_reply_port(void)
{
	return 0x207;
}

void mig_put_reply_port(uint32_t port)
{
	(void)port;
}

void mig_dealloc_reply_port(uint32_t port)
{
	(void)port;
}
