"""mp_server_fuzz_test: fuzz your own MIG server with machports' harness.

In your workspace (WORKSPACE: see fuzz/servers/example_workspace/):

    load("@machports//lib/spec:spec.bzl", "mp_mig_spec")
    load("@machports//fuzz:server_fuzz.bzl", "mp_server_fuzz_test")

    mp_mig_spec(name = "my_spec", src = "my.defs")   # my_spec.h: my_spec

    cc_library(name = "my_server", srcs = [...], deps = ["@machports//lib/compat:mach"])

    mp_server_fuzz_test(
        name = "my_server_fuzz",
        srcs = ["my_server_fuzz.c"],   # LLVMFuzzerInitialize: mp_server_fuzz_init;
                                       # LLVMFuzzerTestOneInput: mp_server_fuzz_one
        deps = [":my_server", ":my_spec"],
        corpus = "corpus",             # a directory of seed inputs in this package
    )

makes, with rules_fuzzing's names (fuzz/fuzz.bzl makes them; the same
wiring as machports' own targets):

  NAME      a test replaying every file of the corpus: `bazel test //...`
            is a regression run of the server over its corpus.
  NAME_bin  the engine binary: --config=asan-libfuzzer (libFuzzer + ASan),
            --config=afl (AFL++), no config: the replay driver.
  NAME_run  the campaign launcher: bazel run --config=asan-libfuzzer
            //pkg:NAME_run -- --timeout_secs=60 (findings in
            /tmp/fuzzing/NAME/artifacts; the flags of fuzz/support/run.sh).

The configs are the user's .bazelrc's: copy the few lines of
fuzz/servers/example_workspace/.bazelrc.

Arguments:
  srcs, deps  the fuzz target's source(s) and what it links: your server's
              library and its mp_mig_spec target; machports' harness
              (@machports//lib/server_fuzz) is added.
  corpus      the seed directory, relative to the calling package; it must
              hold at least one file (an empty file is a fine first seed).
  dict        an optional libFuzzer/AFL++ dictionary (a label).
  max_len     the largest input the engines make (the harness draws
              several requests from one input).
  tags        added to NAME's tags.
"""

load(":fuzz.bzl", "mp_fuzz_targets")

SERVER_FUZZ = str(Label("//lib/server_fuzz"))

def _corpus_dir(corpus):
    """The corpus directory as the test's runfiles name it."""
    repo = native.repository_name()  # "@" in the main workspace
    prefix = "" if repo == "@" else "../%s/" % repo[1:]
    package = native.package_name()
    return prefix + (package + "/" if package else "") + corpus

def mp_server_fuzz_test(name, srcs, deps = [], corpus = "corpus", dict = None, max_len = 4096, tags = []):
    if corpus.startswith(("/", ":", "@")) or ".." in corpus.split("/"):
        fail("corpus: a directory relative to this package, not %s" % corpus)
    corpus = corpus.rstrip("/")
    files = native.glob([corpus + "/**"], exclude_directories = 1)
    if not files:
        fail("corpus %s: no seed file (an empty file is a fine first seed)" % corpus)
    native.filegroup(
        name = name + "_corpus",
        srcs = files,
    )
    if SERVER_FUZZ not in deps:
        deps = deps + [SERVER_FUZZ]
    mp_fuzz_targets(
        name,
        srcs,
        deps,
        corpus = ":" + name + "_corpus",
        corpus_dir = _corpus_dir(corpus),
        dict = dict,
        max_len = max_len,
        tags = tags,
    )
