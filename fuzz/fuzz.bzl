"""mp_fuzz_test: one fuzz target, wired the way rules_fuzzing names things.

For a target T (fuzz/T.c, exposing LLVMFuzzerTestOneInput only):
  T_bin  the engine binary. The engine is chosen at link time by the config:
         --config=asan-libfuzzer / msan-libfuzzer / libfuzzer -> libFuzzer,
         --config=afl -> AFL++ (libAFLDriver.a, persistent mode, shared memory),
         no config -> the replay driver (any compiler).
  T      a test that replays every file of corpus/T/ through T_bin:
         `bazel test //...` is a regression run over the whole corpus.
  T_run  a campaign launcher: bazel run --config=asan-libfuzzer //fuzz:T_run --
         [--timeout_secs=N] [--clean] [--fuzzing_output_root=DIR] [--regression]

  T_afl_mutator.so  (mutator targets only) the structure-aware mutator as an
         AFL++ custom mutator library, with T's sources linked in: its
         afl_custom_init calls T's LLVMFuzzerInitialize, so the specs T
         registers there reach AFL++ as they reach libFuzzer
         (fuzz/support/afl_mutator.c).

Tags: T carries "fuzz-target", and "fuzz-mutator" when it links the
structure-aware mutator (//fuzz/support:custom_mutator in deps). The scripts
ask Bazel for them (scripts/lib.sh: mp_fuzz_targets) instead of keeping a
list:  bazel query 'attr(tags, "[\\[ ]fuzz-mutator[,\\]]", tests(//fuzz:all))'
T also carries the macro's extra `tags`, e.g. "fuzz-bazel-only": its
sources need Bazel-generated code (a spec from a .defs), so
fuzz/oss-fuzz/build.sh, which compiles without Bazel, leaves it out.
T also carries "fuzz-max-len=N": max_len, the largest input the engines
make (libFuzzer -max_len, OSS-Fuzz's T.options), declared once by the
max_len argument in fuzz/BUILD (default 4096) and read by the scripts
(scripts/lib.sh: mp_fuzz_max_len). AFL++ has no such limit (1 MB inputs).

rules_fuzzing itself cannot be fetched offline; these names match it so a
later move to it changes nothing for users.

Every label below is machports' own, written through Label() so it names
@machports//... when another workspace loads this file (fuzz/server_fuzz.bzl,
mp_server_fuzz_test, makes the same targets for a user's server).
"""

def _label(label):
    """LABEL in machports' repository, whichever workspace loads this file."""
    return str(Label(label))

# As fuzz/BUILD writes it in deps (a user's target does not link it).
MUTATOR = "//fuzz/support:custom_mutator"
AFL_MUTATOR = _label("//fuzz/support:afl_mutator")
ENGINE_LIBFUZZER = _label("//fuzz:engine_libfuzzer")
ENGINE_AFL = _label("//fuzz:engine_afl")

# Bazel hands link flags to afl-cc in a params file it does not read, so
# -fsanitize=fuzzer would not become AFL++'s driver: link it by path.
AFL_DRIVER = "/usr/lib/afl/libAFLDriver.a"

def mp_fuzz_binary(name, srcs, deps = []):
    """A LLVMFuzzerTestOneInput binary linked to the configured engine."""
    native.cc_binary(
        name = name,
        srcs = srcs,
        deps = deps + select({
            ENGINE_LIBFUZZER: [],
            ENGINE_AFL: [],
            "//conditions:default": [_label("//fuzz/support:replay_main")],
        }),
        linkopts = select({
            ENGINE_LIBFUZZER: ["-fsanitize=fuzzer"],
            ENGINE_AFL: [AFL_DRIVER],
            "//conditions:default": [],
        }),
        tags = ["fuzz"],
    )

def mp_fuzz_test(name, srcs, deps = [], dict = None, max_len = 4096, tags = []):
    mp_fuzz_targets(
        name,
        srcs,
        deps,
        corpus = "//corpus:" + name,
        corpus_dir = "corpus/" + name,
        dict = dict,
        max_len = max_len,
        tags = ["fuzz-target"] + tags,
    )

def mp_fuzz_targets(name, srcs, deps, corpus, corpus_dir, dict = None, max_len = 4096, tags = []):
    """NAME, NAME_bin and NAME_run over the corpus `corpus` (a label).

    corpus_dir is the corpus's directory as the runfiles name it (relative
    to the test's working directory). mp_fuzz_test adds the "fuzz-target"
    tag the scripts look for; mp_server_fuzz_test (a user's server) does not.
    """
    mp_fuzz_binary(name + "_bin", srcs, deps)
    tags = ["fuzz", "fuzz-regression", "fuzz-max-len=%d" % max_len] + tags
    if MUTATOR in deps:
        tags.append("fuzz-mutator")
        mp_afl_mutator_library(name, srcs, deps)
    replayer = _label("//fuzz/support:regression_test.sh")
    native.sh_test(
        name = name,
        size = "small",
        srcs = [replayer],
        args = ["$(location :%s_bin)" % name, corpus_dir],
        data = [":" + name + "_bin", corpus],
        tags = tags,
    )
    run_data = [":" + name + "_bin", corpus, replayer]
    run_args = [
        "--target=" + name,
        "--binary=$(location :%s_bin)" % name,
        "--replayer=$(rootpath %s)" % replayer,
        "--corpus=" + corpus_dir,
        "--max_len=%d" % max_len,
    ]
    if dict:
        run_data.append(dict)
        run_args.append("--dict=$(location %s)" % dict)
    run_args = run_args + select({
        ENGINE_LIBFUZZER: ["--engine=libfuzzer"],
        ENGINE_AFL: ["--engine=afl"],
        "//conditions:default": ["--engine=replay"],
    })
    native.sh_binary(
        name = name + "_run",
        srcs = [_label("//fuzz/support:run.sh")],
        args = run_args,
        data = run_data,
        tags = ["fuzz"],
    )

def mp_afl_mutator_library(name, srcs, deps):
    """T_afl_mutator.so: the AFL++ custom mutator with T's sources (its LLVMFuzzerInitialize)."""
    native.cc_binary(
        name = name + "_afl_mutator.so",
        srcs = srcs,
        deps = [d for d in deps if d != MUTATOR] + [AFL_MUTATOR],
        linkshared = True,
        tags = ["fuzz"],
    )
