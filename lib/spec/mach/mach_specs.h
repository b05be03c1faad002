/*
 * lib/spec/mach/mach_specs.h: the spec tables of the standard Mach
 * subsystems, emitted by //:mpmig from the macOS SDK's .defs (facts:
 * routine names, ids, layouts). Regenerate: scripts/mig-regen-specs SDK_DIR.
 */
#ifndef MACHPORTS_SPEC_MACH_SPECS_H
#define MACHPORTS_SPEC_MACH_SPECS_H

#include "machports/spec.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const mp_spec_subsystem_t exc_spec;         /* mach/exc.defs, base 2401 */
extern const mp_spec_subsystem_t mach_exc_spec;    /* mach/mach_exc.defs, base 2405 */
extern const mp_spec_subsystem_t notify_spec;      /* mach/notify.defs, base 64 */
extern const mp_spec_subsystem_t mach_port_spec;   /* mach/mach_port.defs, base 3200 */
extern const mp_spec_subsystem_t clock_reply_spec; /* mach/clock_reply.defs, base 3125107 */
extern const mp_spec_subsystem_t task_access_spec; /* mach/task_access.defs, base 27000 */

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_SPEC_MACH_SPECS_H */
