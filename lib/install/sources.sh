# shellcheck shell=bash disable=SC2034  # sourced; the caller uses the lists
# lib/install/sources.sh: machports' library sources for builds without
# Bazel, the one list they share (sourced by bash; paths relative to the
# machports checkout). fuzz/oss-fuzz/build.sh and the OSS-Fuzz template for
# a project vendoring machports (fuzz/oss-fuzz/template/build.sh) compile
# from it; scripts/install builds with Bazel. //lib/install:sources_test
# holds each list equal to the sources of its Bazel targets (genquery).
#
#   MP_SRC_MACHPORTS    libmachports: lib/msg, lib/port (lib/kern, the
#                       machportd client), lib/spec and its generator
#   MP_SRC_MACH         libmachports-mach: Apple's Mach API (lib/compat)
#   MP_SRC_SERVER_FUZZ  libmachports-server-fuzz: the server-fuzz harness
#   MP_SRC_MPMIG        mpmig, the spec compiler (a host tool), with
#   MP_STD_DEFS         the standard .defs it embeds: generate
#                       lib/spec/defs/std_files.c with
#                       lib/spec/defs/std_to_c.sh OUT.c "${MP_STD_DEFS[@]}"
#   MP_INCLUDES         the -I flags every source compiles with (-std=c11,
#                       no other define: each source asks for what it needs)
MP_SRC_MACHPORTS=(
  lib/wire/names.c lib/wire/wire_darwin_check.c lib/wire/wire_layout_check.c
  lib/msg/build.c lib/msg/dump.c lib/msg/err.c lib/msg/parse.c
  lib/kern/check.c lib/kern/entry.c lib/kern/guard.c lib/kern/kern.c lib/kern/kmsg.c
  lib/kern/mach_msg.c lib/kern/mach_port.c lib/kern/msg_recv.c lib/kern/msg_send.c
  lib/kern/notify.c lib/kern/port_object.c lib/kern/pset.c lib/kern/registry.c
  lib/kern/right.c lib/kern/space.c lib/kern/vm.c
  lib/machportd/client.c lib/machportd/endpoint.c lib/machportd/proto.c
  lib/port/darwin_backend.c lib/port/kern_backend.c lib/port/machportd_backend.c lib/port/port.c
  lib/spec/access.c lib/spec/build.c lib/spec/check.c lib/spec/names.c lib/spec/print.c
  lib/spec/validate.c lib/spec/gen.c
)
MP_SRC_MACH=(
  lib/compat/src/bootstrap.c lib/compat/src/mig_runtime.c lib/compat/src/misc.c
  lib/compat/src/msg.c lib/compat/src/port.c lib/compat/src/task.c lib/compat/src/vm.c
)
MP_SRC_SERVER_FUZZ=(lib/server_fuzz/inputs.c lib/server_fuzz/oracle.c lib/server_fuzz/server_fuzz.c)
MP_SRC_MPMIG=(
  lib/spec/mpmig.c lib/spec/defs/defs.c lib/spec/defs/emit.c lib/spec/defs/layout.c
  lib/spec/defs/parse.c lib/spec/defs/pp.c
)
MP_STD_DEFS=(
  lib/spec/defs/std/mach/clock_types.defs lib/spec/defs/std/mach/mach_types.defs
  lib/spec/defs/std/mach/machine/machine_types.defs lib/spec/defs/std/mach/std_types.defs
  lib/spec/defs/std/mach_debug/mach_debug_types.defs
)
MP_INCLUDES=(-I. -Ilib/include -Ilib/compat/include)
