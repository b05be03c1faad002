/* lib/msg/msg_internal.h (private): shared between the parser, builder and dump. */
#ifndef MP_MSG_INTERNAL_H
#define MP_MSG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/msg/cursor.h"
#include "machports/msg.h"

/*
 * mp_desc_read decodes the descriptor at the read position of `c` (whose
 * window ends at the end of the message) without moving it. It returns false
 * if fewer than 12 bytes are left, or if the descriptor's size (12 for a
 * port, 16 for every other type byte, §2.2) does not fit. It does not judge
 * the type: callers reject types above MACH_MSG_DESCRIPTOR_MAX. Inline, so
 * the bounds checks of the fixed-offset reads fold into the two size checks.
 */
static inline bool mp_desc_read(const mp_cur_t *c, mp_desc_t *d)
{
	uint32_t w0 = 0, w1 = 0, w2 = 0, w3 = 0, type, size;

	if (mp_cur_left(c) < MP_USER_DESC_SIZE_MIN)
		return false;
	(void)mp_cur_peek_u32(c, 8, &w2); /* the word holding the type byte (offset 11) */
	type = w2 >> 24;
	size = type == MP_MSG_PORT_DESCRIPTOR ? MP_PORT_DESC_SIZE : MP_WIDE_DESC_SIZE;
	if (mp_cur_left(c) < size)
		return false;
	(void)mp_cur_peek_u32(c, 0, &w0);
	(void)mp_cur_peek_u32(c, 4, &w1);
	if (size == MP_WIDE_DESC_SIZE)
		(void)mp_cur_peek_u32(c, 12, &w3);

	d->type = type;
	d->offset = (uint32_t)mp_cur_pos(c);
	d->size = size;
	d->name = 0;
	d->disposition = (w2 >> 16) & 0xff;
	d->address = 0;
	d->context = 0;
	d->length = 0;
	d->copy = 0;
	d->deallocate = 0;
	d->flags = 0;
	switch (type) {
	case MP_MSG_PORT_DESCRIPTOR: /* name, pad1, {pad2:16, disposition:8, type:8} */
		d->name = w0;
		break;
	case MP_MSG_OOL_DESCRIPTOR: /* address, {deallocate, copy, pad1, type}, size */
	case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
		d->address = (uint64_t)w0 | ((uint64_t)w1 << 32);
		d->deallocate = w2 & 0xff;
		d->copy = (w2 >> 8) & 0xff;
		d->disposition = 0;
		d->length = w3;
		break;
	case MP_MSG_OOL_PORTS_DESCRIPTOR: /* address, {deallocate, copy, disposition, type}, count */
		d->address = (uint64_t)w0 | ((uint64_t)w1 << 32);
		d->deallocate = w2 & 0xff;
		d->copy = (w2 >> 8) & 0xff;
		d->length = w3;
		break;
	case MP_MSG_GUARDED_PORT_DESCRIPTOR: /* context, {flags:16, disposition, type}, name */
		d->context = (uint64_t)w0 | ((uint64_t)w1 << 32);
		d->flags = w2 & 0xffff;
		d->name = w3;
		break;
	default:
		d->disposition = 0;
		break;
	}
	return true;
}

#endif /* MP_MSG_INTERNAL_H */
