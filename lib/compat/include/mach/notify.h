/*
 * <mach/notify.h> for Linux (machports' compat headers): the notification
 * message ids and the layouts of the kernel's notification messages as a
 * receiver sees them (with the format-0 trailer).
 * Derived from machports/wire.h: the MACH_NOTIFY_* ids. New facts: the
 * notify_port_t typedef and the six message structs with their trailers
 * (wire.h has the trailer-less 36-byte no-senders and dead-name bodies).
 */
#ifndef MACHPORTS_COMPAT_MACH_NOTIFY_H
#define MACHPORTS_COMPAT_MACH_NOTIFY_H

#include <mach/port.h>
#include <mach/message.h>
#include <mach/ndr.h>

#define MACH_NOTIFY_FIRST MP_MACH_NOTIFY_FIRST
#define MACH_NOTIFY_PORT_DELETED MP_MACH_NOTIFY_PORT_DELETED
#define MACH_NOTIFY_SEND_POSSIBLE MP_MACH_NOTIFY_SEND_POSSIBLE
#define MACH_NOTIFY_PORT_DESTROYED MP_MACH_NOTIFY_PORT_DESTROYED
#define MACH_NOTIFY_NO_SENDERS MP_MACH_NOTIFY_NO_SENDERS
#define MACH_NOTIFY_SEND_ONCE MP_MACH_NOTIFY_SEND_ONCE
#define MACH_NOTIFY_DEAD_NAME MP_MACH_NOTIFY_DEAD_NAME
#define MACH_NOTIFY_LAST MP_MACH_NOTIFY_LAST

typedef mach_port_t notify_port_t;

typedef struct {
	mach_msg_header_t not_header;
	NDR_record_t NDR;
	mach_port_name_t not_port;
	mach_msg_format_0_trailer_t trailer;
} mach_port_deleted_notification_t;

typedef struct {
	mach_msg_header_t not_header;
	NDR_record_t NDR;
	mach_port_name_t not_port;
	mach_msg_format_0_trailer_t trailer;
} mach_send_possible_notification_t;

typedef struct {
	mach_msg_header_t not_header;
	mach_msg_body_t not_body;
	mach_msg_port_descriptor_t not_port;
	mach_msg_format_0_trailer_t trailer;
} mach_port_destroyed_notification_t;

typedef struct {
	mach_msg_header_t not_header;
	NDR_record_t NDR;
	mach_msg_type_number_t not_count;
	mach_msg_format_0_trailer_t trailer;
} mach_no_senders_notification_t;

typedef struct {
	mach_msg_header_t not_header;
	mach_msg_format_0_trailer_t trailer;
} mach_send_once_notification_t;

typedef struct {
	mach_msg_header_t not_header;
	NDR_record_t NDR;
	mach_port_name_t not_port;
	mach_msg_format_0_trailer_t trailer;
} mach_dead_name_notification_t;

#endif
