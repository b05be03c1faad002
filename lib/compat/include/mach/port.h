/*
 * <mach/port.h> for Linux (machports' compat headers): port names, rights,
 * entry types, the receive-right status and attribute structs,
 * mach_port_options_t, the MPO_* / MPG_* flags and the Mach-port guard
 * exception codes.
 *
 * Derived from machports/wire.h: MACH_PORT_NULL/DEAD, MACH_PORT_RIGHT_*,
 * MACH_PORT_TYPE_*, MACH_PORT_QLIMIT_*, MACH_PORT_STATUS_FLAG_* (4 of them),
 * the attribute flavors and counts, MPO_* (0x01..0x4000), MPG_STRICT /
 * MPG_IMMOVABLE_RECEIVE, kGUARD_EXC_*, and the layouts of
 * mach_port_limits_t and mach_port_guard_info_t (typedefs of wire.h's
 * structs). mach_port_status_t and mach_port_info_ext_t are spelled here
 * with the SDK's field types (three are boolean_t) and their sizes are
 * asserted equal to wire.h's.
 * New facts here: the scalar typedefs, MACH_PORT_INDEX/GEN/MAKE (the SDK's
 * GEN puts the generation in the top byte, unlike wire.h's MP_PORT_GEN),
 * the other status flags, mach_port_qos_t, mach_service_port_info_t,
 * mach_port_options_t, MPO_PROVISIONAL_ID_PROT_OPTOUT (the SDK's name for
 * the bit wire.h calls MP_MPO_EXCEPTION_PORT), the MPG_FLAGS_* values.
 */
#ifndef MACHPORTS_COMPAT_MACH_PORT_H
#define MACHPORTS_COMPAT_MACH_PORT_H

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/vm_types.h>
#include "machports/wire.h"

typedef natural_t mach_port_name_t;
typedef mach_port_name_t *mach_port_name_array_t;
typedef mach_port_name_t mach_port_t;
typedef mach_port_t *mach_port_array_t;

#define MACH_PORT_NULL 0
#define MACH_PORT_DEAD ((mach_port_name_t)MP_PORT_DEAD)
#define MACH_PORT_VALID(name) (((name) != MACH_PORT_NULL) && ((name) != MACH_PORT_DEAD))

#define MACH_PORT_INDEX(name) ((name) >> 8)
#define MACH_PORT_GEN(name) (((name) & 0xff) << 24)
#define MACH_PORT_MAKE(index, gen) (((index) << 8) | (gen) >> 24)

typedef natural_t mach_port_right_t;
#define MACH_PORT_RIGHT_SEND ((mach_port_right_t)MP_PORT_RIGHT_SEND)
#define MACH_PORT_RIGHT_RECEIVE ((mach_port_right_t)MP_PORT_RIGHT_RECEIVE)
#define MACH_PORT_RIGHT_SEND_ONCE ((mach_port_right_t)MP_PORT_RIGHT_SEND_ONCE)
#define MACH_PORT_RIGHT_PORT_SET ((mach_port_right_t)MP_PORT_RIGHT_PORT_SET)
#define MACH_PORT_RIGHT_DEAD_NAME ((mach_port_right_t)MP_PORT_RIGHT_DEAD_NAME)
#define MACH_PORT_RIGHT_LABELH ((mach_port_right_t)MP_PORT_RIGHT_LABELH)
#define MACH_PORT_RIGHT_NUMBER ((mach_port_right_t)MP_PORT_RIGHT_NUMBER)

typedef natural_t mach_port_type_t;
typedef mach_port_type_t *mach_port_type_array_t;
#define MACH_PORT_TYPE(right) ((mach_port_type_t)MP_PORT_TYPE(right))
#define MACH_PORT_TYPE_NONE ((mach_port_type_t)MP_PORT_TYPE_NONE)
#define MACH_PORT_TYPE_SEND ((mach_port_type_t)MP_PORT_TYPE_SEND)
#define MACH_PORT_TYPE_RECEIVE ((mach_port_type_t)MP_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_SEND_ONCE ((mach_port_type_t)MP_PORT_TYPE_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_SET ((mach_port_type_t)MP_PORT_TYPE_PORT_SET)
#define MACH_PORT_TYPE_DEAD_NAME ((mach_port_type_t)MP_PORT_TYPE_DEAD_NAME)
#define MACH_PORT_TYPE_LABELH ((mach_port_type_t)MP_PORT_TYPE_LABELH)
#define MACH_PORT_TYPE_SEND_RECEIVE ((mach_port_type_t)MP_PORT_TYPE_SEND_RECEIVE)
#define MACH_PORT_TYPE_SEND_RIGHTS ((mach_port_type_t)MP_PORT_TYPE_SEND_RIGHTS)
#define MACH_PORT_TYPE_PORT_RIGHTS ((mach_port_type_t)MP_PORT_TYPE_PORT_RIGHTS)
#define MACH_PORT_TYPE_PORT_OR_DEAD ((mach_port_type_t)MP_PORT_TYPE_PORT_OR_DEAD)
#define MACH_PORT_TYPE_ALL_RIGHTS ((mach_port_type_t)MP_PORT_TYPE_ALL_RIGHTS)
#define MACH_PORT_TYPE_DNREQUEST MP_PORT_TYPE_DNREQUEST
#define MACH_PORT_TYPE_SPREQUEST ((int)MP_PORT_TYPE_SPREQUEST)
#define MACH_PORT_TYPE_SPREQUEST_DELAYED ((int)MP_PORT_TYPE_SPREQUEST_DELAYED)

typedef natural_t mach_port_urefs_t;
typedef integer_t mach_port_delta_t;
typedef natural_t mach_port_seqno_t;
typedef natural_t mach_port_mscount_t;
typedef natural_t mach_port_msgcount_t;
typedef natural_t mach_port_rights_t;
typedef unsigned int mach_port_srights_t;
#define MACH_PORT_SRIGHTS_NONE 0
#define MACH_PORT_SRIGHTS_PRESENT 1

/* mach_port_context_t: the SDK spells it uint64_t (x86_64) or vm_offset_t
 * (arm64); both are 8 bytes. */
typedef mach_vm_address_t mach_port_context_t;

/* wire.h's mp_port_status_t has the same layout with uint32_t for the three
 * boolean_t fields, whose signedness differs between x86_64 and arm64. */
typedef struct mach_port_status {
	mach_port_rights_t mps_pset;
	mach_port_seqno_t mps_seqno;
	mach_port_mscount_t mps_mscount;
	mach_port_msgcount_t mps_qlimit;
	mach_port_msgcount_t mps_msgcount;
	mach_port_rights_t mps_sorights;
	boolean_t mps_srights;
	boolean_t mps_pdrequest;
	boolean_t mps_nsrequest;
	natural_t mps_flags;
} mach_port_status_t;
#ifndef __cplusplus
_Static_assert(sizeof(mach_port_status_t) == sizeof(mp_port_status_t), "mach_port_status_t");
#endif

typedef mp_port_limits_t mach_port_limits_t;

typedef struct mach_port_info_ext {
	mach_port_status_t mpie_status;
	mach_port_msgcount_t mpie_boost_cnt;
	uint32_t reserved[6];
} mach_port_info_ext_t;
#ifndef __cplusplus
_Static_assert(sizeof(mach_port_info_ext_t) == sizeof(mp_port_info_ext_t), "mach_port_info_ext_t");
#endif

typedef mp_port_guard_info_t mach_port_guard_info_t;
typedef integer_t *mach_port_info_t;
typedef int mach_port_flavor_t;

#define MACH_PORT_QLIMIT_ZERO ((int)MP_PORT_QLIMIT_ZERO)
#define MACH_PORT_QLIMIT_BASIC ((int)MP_PORT_QLIMIT_BASIC)
#define MACH_PORT_QLIMIT_SMALL ((int)MP_PORT_QLIMIT_SMALL)
#define MACH_PORT_QLIMIT_LARGE ((int)MP_PORT_QLIMIT_LARGE)
#define MACH_PORT_QLIMIT_KERNEL ((int)MP_PORT_QLIMIT_KERNEL)
#define MACH_PORT_QLIMIT_MIN MACH_PORT_QLIMIT_ZERO
#define MACH_PORT_QLIMIT_DEFAULT ((int)MP_PORT_QLIMIT_DEFAULT)
#define MACH_PORT_QLIMIT_MAX ((int)MP_PORT_QLIMIT_MAX)

#define MACH_PORT_STATUS_FLAG_TEMPOWNER 0x01
#define MACH_PORT_STATUS_FLAG_GUARDED ((int)MP_PORT_STATUS_FLAG_GUARDED)
#define MACH_PORT_STATUS_FLAG_STRICT_GUARD ((int)MP_PORT_STATUS_FLAG_STRICT_GUARD)
#define MACH_PORT_STATUS_FLAG_IMP_DONATION 0x08
#define MACH_PORT_STATUS_FLAG_REVIVE 0x10
#define MACH_PORT_STATUS_FLAG_TASKPTR 0x20
#define MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE ((int)MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE)
#define MACH_PORT_STATUS_FLAG_NO_GRANT ((int)MP_PORT_STATUS_FLAG_NO_GRANT)

#define MACH_PORT_LIMITS_INFO MP_PORT_LIMITS_INFO
#define MACH_PORT_RECEIVE_STATUS MP_PORT_RECEIVE_STATUS
#define MACH_PORT_DNREQUESTS_SIZE MP_PORT_DNREQUESTS_SIZE
#define MACH_PORT_TEMPOWNER MP_PORT_TEMPOWNER
#define MACH_PORT_IMPORTANCE_RECEIVER MP_PORT_IMPORTANCE_RECEIVER
#define MACH_PORT_DENAP_RECEIVER MP_PORT_DENAP_RECEIVER
#define MACH_PORT_INFO_EXT MP_PORT_INFO_EXT
#define MACH_PORT_GUARD_INFO MP_PORT_GUARD_INFO
#define MACH_PORT_SERVICE_THROTTLED MP_PORT_SERVICE_THROTTLED
#define MACH_PORT_LIMITS_INFO_COUNT ((natural_t)MP_PORT_LIMITS_INFO_COUNT)
#define MACH_PORT_RECEIVE_STATUS_COUNT ((natural_t)MP_PORT_RECEIVE_STATUS_COUNT)
#define MACH_PORT_DNREQUESTS_SIZE_COUNT ((int)MP_PORT_DNREQUESTS_SIZE_COUNT)
#define MACH_PORT_INFO_EXT_COUNT ((natural_t)MP_PORT_INFO_EXT_COUNT)
#define MACH_PORT_GUARD_INFO_COUNT ((natural_t)MP_PORT_GUARD_INFO_COUNT)
#define MACH_PORT_SERVICE_THROTTLED_COUNT ((int)MP_PORT_SERVICE_THROTTLED_COUNT)

typedef struct mach_port_qos {
	unsigned int name : 1;
	unsigned int prealloc : 1;
	boolean_t pad1 : 30;
	natural_t len;
} mach_port_qos_t;

#define MACH_SERVICE_PORT_INFO_STRING_NAME_MAX_BUF_LEN 255
typedef struct mach_service_port_info {
	char mspi_string_name[MACH_SERVICE_PORT_INFO_STRING_NAME_MAX_BUF_LEN];
	uint8_t mspi_domain_type;
} mach_service_port_info_data_t;
typedef struct mach_service_port_info *mach_service_port_info_t;
#define MACH_SERVICE_PORT_INFO_COUNT ((char)(sizeof(mach_service_port_info_data_t) / sizeof(char)))

#define MPO_CONTEXT_AS_GUARD ((int)MP_MPO_CONTEXT_AS_GUARD)
#define MPO_QLIMIT ((int)MP_MPO_QLIMIT)
#define MPO_TEMPOWNER ((int)MP_MPO_TEMPOWNER)
#define MPO_IMPORTANCE_RECEIVER ((int)MP_MPO_IMPORTANCE_RECEIVER)
#define MPO_INSERT_SEND_RIGHT ((int)MP_MPO_INSERT_SEND_RIGHT)
#define MPO_STRICT ((int)MP_MPO_STRICT)
#define MPO_DENAP_RECEIVER ((int)MP_MPO_DENAP_RECEIVER)
#define MPO_IMMOVABLE_RECEIVE ((int)MP_MPO_IMMOVABLE_RECEIVE)
#define MPO_FILTER_MSG ((int)MP_MPO_FILTER_MSG)
#define MPO_TG_BLOCK_TRACKING ((int)MP_MPO_TG_BLOCK_TRACKING)
#define MPO_SERVICE_PORT ((int)MP_MPO_SERVICE_PORT)
#define MPO_CONNECTION_PORT ((int)MP_MPO_CONNECTION_PORT)
#define MPO_REPLY_PORT ((int)MP_MPO_REPLY_PORT)
#define MPO_ENFORCE_REPLY_PORT_SEMANTICS ((int)MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS)
#define MPO_PROVISIONAL_REPLY_PORT ((int)MP_MPO_PROVISIONAL_REPLY_PORT)
#define MPO_PROVISIONAL_ID_PROT_OPTOUT ((int)MP_MPO_EXCEPTION_PORT)

/* The anonymous union is C11. */
typedef struct mach_port_options {
	uint32_t flags;
	mach_port_limits_t mpl;
	union {
		uint64_t reserved[2];
		mach_port_name_t work_interval_port;
		mach_service_port_info_t service_port_info;
		mach_port_name_t service_port_name;
	};
} mach_port_options_t;
typedef mach_port_options_t *mach_port_options_ptr_t;

#define GUARD_TYPE_MACH_PORT ((int)MP_GUARD_TYPE_MACH_PORT)

enum mach_port_guard_exception_codes {
	kGUARD_EXC_DESTROY = MP_GUARD_EXC_DESTROY,
	kGUARD_EXC_MOD_REFS = MP_GUARD_EXC_MOD_REFS,
	kGUARD_EXC_INVALID_OPTIONS = MP_GUARD_EXC_INVALID_OPTIONS,
	kGUARD_EXC_SET_CONTEXT = MP_GUARD_EXC_SET_CONTEXT,
	kGUARD_EXC_THREAD_SET_STATE = MP_GUARD_EXC_THREAD_SET_STATE,
	kGUARD_EXC_EXCEPTION_BEHAVIOR_ENFORCE = MP_GUARD_EXC_EXCEPTION_BEHAVIOR_ENFORCE,
	kGUARD_EXC_UNGUARDED = MP_GUARD_EXC_UNGUARDED,
	kGUARD_EXC_INCORRECT_GUARD = MP_GUARD_EXC_INCORRECT_GUARD,
	kGUARD_EXC_IMMOVABLE = MP_GUARD_EXC_IMMOVABLE,
	kGUARD_EXC_STRICT_REPLY = MP_GUARD_EXC_STRICT_REPLY,
	kGUARD_EXC_MSG_FILTERED = MP_GUARD_EXC_MSG_FILTERED,
	kGUARD_EXC_INVALID_RIGHT = MP_GUARD_EXC_INVALID_RIGHT,
	kGUARD_EXC_INVALID_NAME = MP_GUARD_EXC_INVALID_NAME,
	kGUARD_EXC_INVALID_VALUE = MP_GUARD_EXC_INVALID_VALUE,
	kGUARD_EXC_INVALID_ARGUMENT = MP_GUARD_EXC_INVALID_ARGUMENT,
	kGUARD_EXC_RIGHT_EXISTS = MP_GUARD_EXC_RIGHT_EXISTS,
	kGUARD_EXC_KERN_NO_SPACE = MP_GUARD_EXC_KERN_NO_SPACE,
	kGUARD_EXC_KERN_FAILURE = MP_GUARD_EXC_KERN_FAILURE,
	kGUARD_EXC_KERN_RESOURCE = MP_GUARD_EXC_KERN_RESOURCE,
	kGUARD_EXC_SEND_INVALID_REPLY = MP_GUARD_EXC_SEND_INVALID_REPLY,
	kGUARD_EXC_SEND_INVALID_VOUCHER = MP_GUARD_EXC_SEND_INVALID_VOUCHER,
	kGUARD_EXC_SEND_INVALID_RIGHT = MP_GUARD_EXC_SEND_INVALID_RIGHT,
	kGUARD_EXC_RCV_INVALID_NAME = MP_GUARD_EXC_RCV_INVALID_NAME,
	kGUARD_EXC_RCV_GUARDED_DESC = MP_GUARD_EXC_RCV_GUARDED_DESC,
	kGUARD_EXC_MOD_REFS_NON_FATAL = MP_GUARD_EXC_MOD_REFS_NON_FATAL,
	kGUARD_EXC_IMMOVABLE_NON_FATAL = MP_GUARD_EXC_IMMOVABLE_NON_FATAL,
	kGUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS = MP_GUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS,
};
#define MAX_FATAL_kGUARD_EXC_CODE MP_GUARD_EXC_MAX_FATAL
#define MAX_OPTIONAL_kGUARD_EXC_CODE MP_GUARD_EXC_MAX_OPTIONAL

#define MPG_FLAGS_NONE (0x00ull)
#define MPG_FLAGS_STRICT_REPLY_INVALID_REPLY_DISP (0x01ull << 56)
#define MPG_FLAGS_STRICT_REPLY_INVALID_REPLY_PORT (0x02ull << 56)
#define MPG_FLAGS_STRICT_REPLY_INVALID_VOUCHER (0x04ull << 56)
#define MPG_FLAGS_STRICT_REPLY_NO_BANK_ATTR (0x08ull << 56)
#define MPG_FLAGS_STRICT_REPLY_MISMATCHED_PERSONA (0x10ull << 56)
#define MPG_FLAGS_STRICT_REPLY_MASK (0xffull << 56)
#define MPG_FLAGS_MOD_REFS_PINNED_DEALLOC (0x01ull << 56)
#define MPG_FLAGS_MOD_REFS_PINNED_DESTROY (0x02ull << 56)
#define MPG_FLAGS_MOD_REFS_PINNED_COPYIN (0x04ull << 56)
#define MPG_FLAGS_IMMOVABLE_PINNED (0x01ull << 56)
#define MPG_STRICT ((int)MP_MPG_STRICT)
#define MPG_IMMOVABLE_RECEIVE ((int)MP_MPG_IMMOVABLE_RECEIVE)

#endif
