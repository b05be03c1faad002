"""compat_test: one test binary of lib/compat, run on both backends.

For a name T it makes
  T            the cc_test, on the embedded kernel (MACHPORTS_BACKEND unset);
  T_machportd  the same binary with MACHPORTS_BACKEND=machportd, against a
               daemon of its own whose shutdown check must pass too
               (//lib/machportd:tests/with_machportd.sh).
"""

def compat_test(name, srcs, deps = [], linkopts = []):
    native.cc_test(
        name = name,
        size = "small",
        srcs = srcs,
        linkopts = linkopts,
        deps = deps,
    )
    native.sh_test(
        name = name + "_machportd",
        size = "medium",
        srcs = ["//lib/machportd:tests/with_machportd.sh"],
        args = [
            "$(location //lib/machportd:machportd)",
            "$(location :%s)" % name,
        ],
        data = [
            ":" + name,
            "//lib/machportd:machportd",
        ],
        env = {"MACHPORTS_BACKEND": "machportd"},
    )
