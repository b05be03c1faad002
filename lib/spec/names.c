/*
 * lib/spec/names.c: names of MIG's codes, trailer elements, field kinds and
 * descriptor types, for diagnoses and dumps.
 */
#include "lib/spec/spec_internal.h"

const char *mp_mig_code_name(int32_t code)
{
	switch (code) {
	case MP_MIG_SUCCESS:
		return "KERN_SUCCESS";
	case MP_MIG_TYPE_ERROR:
		return "MIG_TYPE_ERROR";
	case MP_MIG_REPLY_MISMATCH:
		return "MIG_REPLY_MISMATCH";
	case MP_MIG_REMOTE_ERROR:
		return "MIG_REMOTE_ERROR";
	case MP_MIG_BAD_ID:
		return "MIG_BAD_ID";
	case MP_MIG_BAD_ARGUMENTS:
		return "MIG_BAD_ARGUMENTS";
	case MP_MIG_NO_REPLY:
		return "MIG_NO_REPLY";
	case MP_MIG_EXCEPTION:
		return "MIG_EXCEPTION";
	case MP_MIG_ARRAY_TOO_LARGE:
		return "MIG_ARRAY_TOO_LARGE";
	case MP_MIG_SERVER_DIED:
		return "MIG_SERVER_DIED";
	case MP_MIG_TRAILER_ERROR:
		return "MIG_TRAILER_ERROR";
	default:
		return "unknown";
	}
}

const char *mp_spec_trailer_elem_name(unsigned elem)
{
	switch (elem) {
	case MP_SPEC_TRAILER_SEQNO:
		return "msgh_seqno";
	case MP_SPEC_TRAILER_SENDER:
		return "msgh_sender";
	case MP_SPEC_TRAILER_AUDIT:
		return "msgh_audit";
	case MP_SPEC_TRAILER_CONTEXT:
		return "msgh_context";
	default:
		return "unknown";
	}
}

const char *mp_spec_field_kind_name(unsigned kind)
{
	switch (kind) {
	case MP_SPEC_SCALAR:
		return "scalar";
	case MP_SPEC_COUNT:
		return "count";
	case MP_SPEC_VAR_ARRAY:
		return "var_array";
	case MP_SPEC_STRING:
		return "string";
	case MP_SPEC_VAR_STRING:
		return "var_string";
	case MP_SPEC_STRING_OFFSET:
		return "string_offset";
	case MP_SPEC_RETCODE:
		return "retcode";
	default:
		return "unknown";
	}
}

const char *mp_spec_desc_type_name(unsigned type)
{
	switch (type) {
	case MP_MSG_PORT_DESCRIPTOR:
		return "port";
	case MP_MSG_OOL_DESCRIPTOR:
		return "ool";
	case MP_MSG_OOL_PORTS_DESCRIPTOR:
		return "ool_ports";
	case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
		return "ool_volatile";
	case MP_MSG_GUARDED_PORT_DESCRIPTOR:
		return "guarded_port";
	default:
		return "unknown";
	}
}
