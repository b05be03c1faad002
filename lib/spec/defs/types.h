/*
 * lib/spec/defs/types.h: the reader's model of MIG types and arguments
 * (migcom type.h ipc_type_t, routine.h argument_t), private to parse.c and
 * layout.c.
 */
#ifndef MACHPORTS_SPEC_DEFS_TYPES_H
#define MACHPORTS_SPEC_DEFS_TYPES_H

#include <stdint.h>

#include "lib/spec/defs/defs_internal.h"

/* MACH_MSG_TYPE_* as migcom's type.h and mach/message.h number them (facts). */
#define DT_UNSTRUCTURED 0u
#define DT_BIT 0u
#define DT_BOOLEAN 0u
#define DT_INTEGER_16 1u
#define DT_INTEGER_32 2u
#define DT_INTEGER_64 3u
#define DT_CHAR 8u
#define DT_BYTE 9u
#define DT_INTEGER_8 9u
#define DT_REAL_32 10u
#define DT_REAL_64 11u
#define DT_STRING_C 12u
#define DT_PORT_NAME 15u
#define DT_MOVE_RECEIVE 16u
#define DT_MOVE_SEND 17u
#define DT_MOVE_SEND_ONCE 18u
#define DT_COPY_SEND 19u
#define DT_MAKE_SEND 20u
#define DT_MAKE_SEND_ONCE 21u
#define DT_PORT_RECEIVE DT_MOVE_RECEIVE
#define DT_PORT_SEND DT_MOVE_SEND
#define DT_PORT_SEND_ONCE DT_MOVE_SEND_ONCE
#define DT_POLYMORPHIC 0xffffffffu
#define DT_PORT_ANY(x) ((x) >= DT_MOVE_RECEIVE && (x) <= DT_MAKE_SEND_ONCE)
#define DT_PORT_BITS 32u /* PortSize: sizeof(mach_port_t) * 8 */

/* ipc_type_t, the fields that decide the layout */
typedef struct dtype {
	const char *name;
	uint32_t in_name, out_name; /* itInName, itOutName */
	uint32_t size;              /* itSize, bits of one element */
	uint32_t number;            /* itNumber */
	uint32_t kpd_number;        /* itKPD_Number */
	int in_line;                /* itInLine */
	int mig_in_line;            /* itMigInLine */
	int port_type;              /* itPortType */
	int is_struct, is_string, var_array;
	const struct dtype *element; /* itElement */
	uint32_t ool_number;         /* itOOL_Number */
	uint32_t type_size, pad_size, min_type_size;
} dtype_t;

#define IS_VARIABLE_SIZED_UNTYPED(t) ((t)->var_array && (t)->in_line && !(t)->port_type)
#define IS_KERN_PROC_DATA(t) (!(t)->in_line || (t)->port_type)
#define IS_MULTIPLE_KPD(t) ((t)->kpd_number > 1)

/* argument kinds: migcom routine.h ake* / akb* (same values) */
#define AKE_NONE 0u
#define AKE_NORMAL 1u
#define AKE_REQUEST_PORT 2u
#define AKE_WAIT_TIME 3u
#define AKE_REPLY_PORT 4u
#define AKE_MSG_OPTION 5u
#define AKE_MSG_SEQNO 6u
#define AKE_RET_CODE 7u
#define AKE_NDR_CODE 8u
#define AKE_COUNT 9u
#define AKE_POLY 10u
#define AKE_DEALLOC 11u
#define AKE_COUNT_IN_OUT 12u
#define AKE_SAME_COUNT 13u
#define AKE_SUB_COUNT 14u
#define AKE_IMPLICIT 15u
#define AKE_SEC_TOKEN 16u
#define AKE_AUDIT_TOKEN 17u
#define AKE_CONTEXT_TOKEN 18u
#define AKE_SEND_TIME 19u
#define AKE_BITS 0x3fu

#define AKB_REQUEST 0x00000040u
#define AKB_REPLY 0x00000080u
#define AKB_USER_ARG 0x00000100u
#define AKB_SERVER_ARG 0x00000200u
#define AKB_SEND 0x00000400u
#define AKB_SEND_BODY 0x00000800u
#define AKB_SEND_SND 0x00001000u
#define AKB_SEND_RCV 0x00002000u
#define AKB_RETURN 0x00004000u
#define AKB_RETURN_BODY 0x00008000u
#define AKB_RETURN_SND 0x00010000u
#define AKB_RETURN_RCV 0x00020000u
#define AKB_VARIABLE 0x01000000u
#define AKB_SEND_KPD 0x08000000u
#define AKB_RETURN_KPD 0x10000000u
#define AKB_USER_IMPLICIT 0x20000000u
#define AKB_SERVER_IMPLICIT 0x40000000u

#define AKB_SEND_BITS (AKB_SEND | AKB_SEND_BODY | AKB_SEND_SND | AKB_SEND_RCV)
#define AKB_RETURN_BITS (AKB_RETURN | AKB_RETURN_BODY | AKB_RETURN_SND | AKB_RETURN_RCV)

#define AK_IN (AKE_NORMAL | AKB_USER_ARG | AKB_SERVER_ARG | AKB_REQUEST | AKB_SEND_BITS)
#define AK_OUT (AKE_NORMAL | AKB_USER_ARG | AKB_SERVER_ARG | AKB_REPLY | AKB_RETURN_BITS)
#define AK_INOUT \
	(AKE_NORMAL | AKB_USER_ARG | AKB_SERVER_ARG | AKB_REQUEST | AKB_REPLY | AKB_SEND_BITS | \
	 AKB_RETURN_BITS)
#define AK_SERVER_IMPL (AKB_SERVER_ARG | AKB_SERVER_IMPLICIT | AKB_SEND | AKB_SEND_RCV)
#define AK_USER_IMPL (AKB_USER_ARG | AKB_USER_IMPLICIT | AKB_RETURN | AKB_RETURN_RCV)
#define AK_REQUEST_PORT \
	(AKE_REQUEST_PORT | AKB_USER_ARG | AKB_SERVER_ARG | AKB_SEND | AKB_SEND_SND | AKB_SEND_RCV)
#define AK_REPLY_PORT \
	(AKE_REPLY_PORT | AKB_USER_ARG | AKB_SERVER_ARG | AKB_SEND | AKB_SEND_SND | AKB_SEND_RCV)
#define AK_UREPLY_PORT (AKE_REPLY_PORT | AKB_USER_ARG | AKB_SEND | AKB_SEND_SND | AKB_SEND_RCV)
#define AK_SREPLY_PORT (AKE_REPLY_PORT | AKB_SERVER_ARG | AKB_SEND | AKB_SEND_SND | AKB_SEND_RCV)
#define AK_RET_CODE (AKE_RET_CODE | AKB_REPLY | AKB_RETURN_BODY)
#define AK_COUNT_IN_OUT (AKE_COUNT_IN_OUT | AKB_REQUEST | AKB_SEND_BITS)

#define AK_IDENT(k) ((k)&AKE_BITS)
#define AK_CHECK(k, b) (((k) & (b)) != 0)
#define AK_CHECK_ALL(k, b) (((k) & (b)) == (b))

/* IPC flags (migcom type.h fl*) */
#define FL_PHYSICAL_COPY 0x01u
#define FL_OVERWRITE 0x02u
#define FL_DEALLOC 0x04u
#define FL_NOT_DEALLOC 0x08u
#define FL_MAYBE_DEALLOC 0x10u
#define FL_SAME_COUNT 0x20u
#define FL_COUNT_IN_OUT 0x40u
#define FL_RET_CODE 0x80u
#define FL_AUTO 0x100u
#define FL_CONST 0x200u
#define FL_SERVER_COPY 0x400u

typedef struct darg {
	const char *name;
	uint32_t kind;
	const dtype_t *type;
	uint32_t flags;
	struct darg *next;
	struct darg *parent; /* of a count / poly arg */
	struct darg *count;  /* argCount */
	struct darg *same_count; /* argSameCount: the array whose count this one shares */
	struct darg *poly;   /* argPoly */
	int kpd_type;        /* MP_MSG_*_DESCRIPTOR, or -1 */
	int dealloc_yes;     /* argDeallocate == d_YES */
	uint32_t multiplier; /* argMultiplier of a count */
	int implicit;        /* added by the reader (count, poly, NDR, RetCode, ...) */
	const char *file;
	int line;
	/* layout */
	int req_field, rep_field; /* index of the (data) field in the request / reply, or -1 */
} darg_t;

typedef struct droutine {
	const char *name;
	int simple; /* simpleroutine */
	darg_t *args;
	darg_t *request_port, *reply_port, *ret_c_arg, *ret_code, *ndr;
	int simple_request, simple_reply;
	const char *file;
	int line;
} droutine_t;

/* layout.c: a descriptor's size in a received LP64 message (12 or 16). */
uint32_t defs_desc_size(uint8_t type);

/* layout.c: builds a routine's spec from its checked argument list. */
void defs_layout_routine(defs_ctx_t *ctx, droutine_t *rt, mp_spec_routine_t *out);

#endif /* MACHPORTS_SPEC_DEFS_TYPES_H */
