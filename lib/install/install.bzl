"""lib/install's rules.

mp_combined_objects: one archive of every object a library links, once.

Bazel makes one .a per cc_library. An installed library is one archive
(libmachports.a) holding the objects of every cc_library it depends on,
transitively, each object exactly once; `exclude` takes away what another
installed library already holds (libmachports-mach.a holds lib/compat's
runtime only and links against libmachports).

The output is named NAME.pic.lo: Bazel links a `.lo` source of a cc_binary
whole-archive, which is how the shared library gets every object too.
"""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

# Link options the installed libraries may need; the .pc files and the CMake
# package say -lpthread and nothing else, so any other option is an error here.
_KNOWN_LINKOPTS = ["-lpthread"]

def _objects(deps):
    """The PIC objects (else the plain ones) of every library under deps."""
    objects = {}
    for dep in deps:
        for linker_input in dep[CcInfo].linking_context.linker_inputs.to_list():
            for flag in linker_input.user_link_flags:
                if flag not in _KNOWN_LINKOPTS:
                    fail("%s links with %s: add it to lib/install (the .pc files, machportsConfig.cmake, _KNOWN_LINKOPTS)" %
                         (linker_input.owner, flag))
            for library in linker_input.libraries:
                for obj in (library.pic_objects or library.objects or []):
                    objects[obj.path] = obj
    return objects

def _member_name(obj):
    # lib/msg/_objs/msg/build.pic.o and lib/spec/_objs/spec/build.pic.o are both
    # build.pic.o: ar would keep one. Name members by their path instead.
    path = obj.short_path
    if path.startswith("../"):  # an external repository's object
        path = path[3:]
    return path.replace("/", "_").replace(".pic.o", ".o")

def _mp_combined_objects_impl(ctx):
    included = _objects(ctx.attr.deps)
    excluded = _objects(ctx.attr.exclude)
    objects = [included[p] for p in sorted(included) if p not in excluded]
    if not objects:
        fail("no object to archive")
    names = {}
    for obj in objects:
        name = _member_name(obj)
        if name in names:
            fail("two objects named %s" % name)
        names[name] = obj

    cc_toolchain = find_cpp_toolchain(ctx)
    out = ctx.actions.declare_file(ctx.label.name + ".pic.lo")
    args = ctx.actions.args()
    args.add(cc_toolchain.ar_executable)
    args.add(out)
    for name in sorted(names):
        args.add(names[name])
        args.add(name)

    # ar rcsD: deterministic (zero dates, uids), one member per object.
    ctx.actions.run_shell(
        inputs = depset(objects, transitive = [cc_toolchain.all_files]),
        outputs = [out],
        arguments = [args],
        command = """set -eu
ar=$1; out=$2; shift 2
case $ar in /*) ;; *) ar=$PWD/$ar ;; esac
dir=$out.d; rm -rf "$dir"; mkdir -p "$dir"
while [ $# -gt 0 ]; do cp "$1" "$dir/$2"; shift 2; done
rm -f "$out"
(cd "$dir" && "$ar" rcsD "$OLDPWD/$out" $(ls | LC_ALL=C sort))
rm -rf "$dir"
""",
        mnemonic = "MpCombineObjects",
        progress_message = "Combining %d objects into %s" % (len(objects), out.short_path),
    )
    return [DefaultInfo(files = depset([out]))]

mp_combined_objects = rule(
    implementation = _mp_combined_objects_impl,
    attrs = {
        "deps": attr.label_list(providers = [CcInfo]),
        "exclude": attr.label_list(providers = [CcInfo]),
        "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
    },
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
    incompatible_use_toolchain_transition = True,
)

def mp_exports_linkopts(script):
    """The link option applying the version script `script` (exports.sh's).

    Not in a fuzz-engine build: libFuzzer's and AFL++'s instrumentation asks
    the linker to export hidden symbols of their runtimes, which a version
    script cannot make visible (gold warns about each).
    """
    return select({
        "//fuzz:engine_afl": [],
        "//fuzz:engine_libfuzzer": [],
        "//conditions:default": ["-Wl,--version-script=$(location %s)" % script],
    })

def _mp_header_tree_impl(ctx):
    out = ctx.actions.declare_directory(ctx.label.name)
    files = {}
    for dep in ctx.attr.deps:
        for header in dep[CcInfo].compilation_context.headers.to_list():
            for prefix, dest in ctx.attr.prefixes.items():
                if header.short_path.startswith(prefix):
                    files[dest + header.short_path[len(prefix):]] = header
    if not files:
        fail("no header under %s" % ", ".join(ctx.attr.prefixes.keys()))
    args = ctx.actions.args()
    args.add(out.path)
    for dest in sorted(files):
        args.add(files[dest])
        args.add(dest)
    ctx.actions.run_shell(
        inputs = files.values(),
        outputs = [out],
        arguments = [args],
        command = """set -eu
out=$1; shift
while [ $# -gt 0 ]; do
  mkdir -p "$out/$(dirname "$2")"; cp "$1" "$out/$2"; shift 2
done
""",
        mnemonic = "MpHeaderTree",
        progress_message = "Collecting %d public headers" % len(files),
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

mp_header_tree = rule(
    implementation = _mp_header_tree_impl,
    doc = """A directory of the public headers the libraries `deps` use.

Every header the deps see (transitively) whose path starts with a key of
`prefixes` goes in, at that key replaced by its value: the installed
include/ tree, so what is installed is exactly what the cc_libraries declare.
""",
    attrs = {
        "deps": attr.label_list(providers = [CcInfo]),
        "prefixes": attr.string_dict(mandatory = True),
    },
)
