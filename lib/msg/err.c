/* lib/msg/err.c: names, reasons and XNU return codes of mp_err_t (one table, err.h). */
#include "machports/err.h"

const char *mp_err_name(mp_err_t err)
{
	switch (err) {
#define MP_ERR_NAME_(name, value, mach, reason) \
	case name:                                  \
		return #name;
		MP_ERR_TABLE(MP_ERR_NAME_)
#undef MP_ERR_NAME_
	}
	return "MP_E_UNKNOWN";
}

const char *mp_err_str(mp_err_t err)
{
	switch (err) {
#define MP_ERR_STR_(name, value, mach, reason) \
	case name:                                 \
		return reason;
		MP_ERR_TABLE(MP_ERR_STR_)
#undef MP_ERR_STR_
	}
	return "unknown error";
}

int32_t mp_err_mach_send(mp_err_t err)
{
	switch (err) {
#define MP_ERR_MACH_(name, value, mach, reason) \
	case name:                                  \
		return mach;
		MP_ERR_TABLE(MP_ERR_MACH_)
#undef MP_ERR_MACH_
	}
	return 0;
}
