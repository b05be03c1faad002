"""mp_mig_spec: a MIG .defs file into a cc_library of its spec table.

    load("//lib/spec:spec.bzl", "mp_mig_spec")

    mp_mig_spec(
        name = "my_server_spec",
        src = "my_server.defs",
        deps = ["my_types.defs"],   # .defs files it #includes
        includes = ["path/to"],     # -I dirs, relative to the workspace root
    )

The genrule runs //:mpmig on `src`; the cc_library `name` has `name.c` (the
static const tables) and `name.h`, included as "<package>/<name>.h".

Symbol naming rule: the table is `const mp_spec_subsystem_t <subsystem>_spec;`
where <subsystem> is the name in the .defs' `subsystem` statement (e.g.
`subsystem mach_exc 2405;` gives `mach_exc_spec`); pass `symbol` to choose
another name. `#include <mach/std_types.defs>` and <mach/mach_types.defs>
resolve to mpmig's bundled standard types when no -I dir has them.

From another workspace: load("@machports//lib/spec:spec.bzl", "mp_mig_spec");
the labels below are machports' own whichever workspace loads this file.
"""

MPMIG = str(Label("//lib/spec:mpmig"))
SPEC_HEADERS = str(Label("//lib/include:spec"))

def mp_mig_spec(name, src, deps = [], includes = [], symbol = None, visibility = None, testonly = False):
    flags = " ".join(["-I " + d for d in includes])
    if symbol:
        flags += " --symbol " + symbol
    native.genrule(
        name = name + "_mpmig",
        srcs = [src] + deps,
        outs = [name + ".c", name + ".h"],
        cmd = "$(location %s) %s $(location %s) -o $(location %s.c) --header $(location %s.h)" % (
            MPMIG,
            flags,
            src,
            name,
            name,
        ),
        tools = [MPMIG],
        testonly = testonly,
        visibility = ["//visibility:private"],
    )
    native.cc_library(
        name = name,
        srcs = [name + ".c"],
        hdrs = [name + ".h"],
        deps = [SPEC_HEADERS],
        testonly = testonly,
        visibility = visibility,
    )
