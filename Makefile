# pyframes — the single entry point.
#   make          the native CLI build/pyframes
#   make test     installs what is missing, builds, runs every test with node --test
#   make asan     the golden corpus under AddressSanitizer + LeakSanitizer (build-asan/)
#   make bench    pyframes vs CPython timings (bench/run.mjs; not part of make test)
#   make serve    builds the CLI, the wasm engine and the site; serves dist/ on :8000
#   make wasm / make site   the pieces of make serve (see below)
#   make clean
ifeq ($(origin CC),default)
CC := gcc
endif
WARN := -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS ?= -O2 -g
LDLIBS := -lm

# core/wasm.c is the Emscripten glue and core/wasm_libc.c its libc stand-ins: they only
# go into the wasm build.
SRC := $(filter-out core/wasm.c core/wasm_libc.c,$(wildcard core/*.c))
HDR := $(wildcard core/*.h core/*.def)
# BUILD=DIR puts the native objects and binaries elsewhere (parallel work on one tree).
BUILD ?= build
OBJ := $(SRC:core/%.c=$(BUILD)/obj/%.o)

all: $(BUILD)/pyframes

$(BUILD)/pyframes: $(OBJ)
	$(CC) $(WARN) $(CFLAGS) -o $@ $(OBJ) $(LDLIBS)

# tests/native/multi_run.c: pf_new → pf_run → pf_free several times in one process, as
# the browser engine does (tests/multi-run.test.js).
LIB_OBJ = $(filter-out $(BUILD)/obj/main.o,$(OBJ))
$(BUILD)/multi-run: tests/native/multi_run.c $(LIB_OBJ)
	$(CC) $(WARN) $(CFLAGS) -Icore -o $@ $< $(LIB_OBJ) $(LDLIBS)

$(BUILD)/obj/%.o: core/%.c $(HDR) | $(BUILD)/obj
	$(CC) $(WARN) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj build-asan/obj:
	mkdir -p $@

# ---- tests ---------------------------------------------------------------------------
# Every *.test.js / *.test.mjs under tests/ and web/ (corpus, budget, the JS unit tests
# beside web/model, and what later stages add).
TEST_FILES = $(shell find $(wildcard tests web) -name node_modules -prune -o \( -name '*.test.js' -o -name '*.test.mjs' \) -print | sort)
NODE_TEST := node --test --test-reporter=tap

# deps: everything make test needs (adds Debian's Chromium for the browser tests);
# build-deps: what building the CLI, the engine and the site needs (make site/serve, and
# the Pages workflow, whose runner is not root and has no /usr/bin/chromium).
deps:
	@tools/install-deps.sh test

build-deps:
	@tools/install-deps.sh build

node_modules/.installed: package.json $(wildcard package-lock.json) | build-deps
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	mkdir -p node_modules && touch $@

# The sanitizer run (issue #3's stress test) comes first; the full suite runs last, so
# its summary is the one the run ends with.
test: deps
	$(MAKE) --no-print-directory build/pyframes build/multi-run node_modules/.installed $(if $(shell command -v $(EMCC)),wasm)
	$(MAKE) --no-print-directory asan
	$(NODE_TEST) $(TEST_FILES)

# ---- AddressSanitizer + LeakSanitizer ------------------------------------------------
ASAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_OBJ := $(SRC:core/%.c=build-asan/obj/%.o)

build-asan/pyframes: $(ASAN_OBJ)
	$(CC) $(WARN) $(ASAN_CFLAGS) -o $@ $(ASAN_OBJ) $(LDLIBS)

build-asan/multi-run: tests/native/multi_run.c $(filter-out build-asan/obj/main.o,$(ASAN_OBJ))
	$(CC) $(WARN) $(ASAN_CFLAGS) -Icore -o $@ $< $(filter-out build-asan/obj/main.o,$(ASAN_OBJ)) $(LDLIBS)

build-asan/obj/%.o: core/%.c $(HDR) | build-asan/obj
	$(CC) $(WARN) $(ASAN_CFLAGS) -c -o $@ $<

asan: deps build-asan/pyframes build-asan/multi-run
	ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	PYFRAMES_BIN=build-asan/pyframes PYFRAMES_MULTI_RUN_BIN=build-asan/multi-run \
	PYFRAMES_TIMEOUT_MS=60000 PYFRAMES_SLOW=4 \
	$(NODE_TEST) tests/corpus.test.js tests/budget.test.js tests/multi-run.test.js

# ---- benchmarks (not part of make test) ----------------------------------------------
bench: build/pyframes
	node bench/run.mjs

# ---- the WebAssembly engine (helper F) -------------------------------------------------
# `make wasm` builds the same core/ sources (minus the CLI's main.c) with Debian's
# Emscripten into web/engine/pyframes-engine.{mjs,wasm}, loaded by web/engine/worker.js.
# Debian's emcc needs NODE_PATH for its own tools. The glue is an ES module factory;
# callers pass `wasmBinary` (Node 20 cannot fetch file paths); `print` and `printErr`
# are accepted and unused.
#
# Size budget (issue #4): the .wasm plus the glue at most 150 KB under gzip -9
# (tests/wasm-size.test.js; `node bench/wasm-size.mjs` prints the numbers). Hence:
#   - -DPF_NO_SNAPSHOTS leaves out the snapshot writer (only the CLI's --snapshots,
#     for the tests, uses it);
#   - the -D renames swap in the smaller libc stand-ins of core/wasm_libc.c (printf
#     without floats, strtod/strtol, qsort, strchr/strcpy/strcat, no stdio) and send
#     13 libm functions to JavaScript's Math (WASM_JS_MATH; see wasm_libc.c for which
#     and why);
#   - after emcc, wasm-opt runs -Oz again to a fixed point (WASM_OPT_FLAGS), and tools/wasm-finish.mjs
#     reorders the functions so that similar ones compress together, joins the ~300
#     data segments that wasm-opt's memory packing splits out into one (the headers
#     cost more gzip than the zeros between them), and replaces the Emscripten glue
#     with a small one (it keeps Emscripten's when it meets an import it does not know);
#   - -mnontrapping-fptoint and -msign-ext (every current browser and Node has them)
#     drop MVP's guarded float-to-int conversions and sign-extension shifts (~650 B).
#     The C code never converts an out-of-range float (that is undefined behaviour;
#     core/wasm.c clamps the numbers in the run options).
# Speed (issue #4): -Oz keeps even one-line helpers out of line, so the hottest paths
# inline theirs by hand (ALWAYS_INLINE, FAST_DECREF); wasm-opt's -aimfs 4 inlines the
# tiniest functions everywhere (a few nodes: smaller than their calls) and
# --low-memory-unused (Emscripten leaves the first 1 KB unused) folds constant offsets
# into loads and stores. The cycle collector alone (WASM_FAST_SRC) is compiled -O2: its
# scans are the inner loop of programs that build many objects, and -Oz's out-of-line
# helpers cost linked_list and cycles_* 9-13% there, for 400 B of gzip. It is compiled
# to LTO bitcode on its own (WASM_BUILD) and linked with the rest, whose functions keep
# -Oz's size attributes. -fno-inline-functions leaves inlining to what gc.c marks
# ALWAYS_INLINE (the visitors, the list moves): the rest of what -O2 inlined was 1.5 KB
# of code and no measurable speed. EMFLAGS_EXTRA adds flags (e.g. --profiling-funcs).
EMCC ?= emcc
WASM_OPT ?= wasm-opt
WASM_SRC := $(filter-out core/main.c,$(wildcard core/*.c))
WASM_FAST_SRC := core/gc.c
WASM_OUT := web/engine/pyframes-engine.mjs
WASM_BUILD ?= build/wasm
WASM_FAST_OBJ := $(WASM_FAST_SRC:core/%.c=$(WASM_BUILD)/%.o)
WASM_OPT_FLAGS := -Oz -aimfs 4 --low-memory-unused --converge --enable-nontrapping-float-to-int --enable-sign-ext
WASM_JS_MATH := sin cos tan asin acos atan atan2 sinh cosh tanh expm1 log1p log10 fmod
EMCFLAGS := -std=c11 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-flto -mnontrapping-fptoint -msign-ext \
	-Dsnprintf=pf_snprintf -Dvsnprintf=pf_vsnprintf -Dstrtod=pf_strtod \
	-Dstrtol=pf_strtol -Dstrtoll=pf_strtoll -Dstrtoul=pf_strtoul -Dqsort=pf_qsort \
	-DPF_NO_SNAPSHOTS -Dgetenv=pf_getenv -Dfwrite=pf_fwrite -Dstrchr=pf_strchr -Dstrcpy=pf_strcpy -Dstrcat=pf_strcat $(foreach f,$(WASM_JS_MATH),-D$(f)=pf_$(f)) \
	$(EMFLAGS_EXTRA)
EMFLAGS := $(EMCFLAGS) -Oz -sMALLOC=none \
	-sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createEngine -sENVIRONMENT=web,worker \
	-sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16MB -sFILESYSTEM=0 -sSTRICT=0 \
	'-sINCOMING_MODULE_JS_API=[wasmBinary,print,printErr]' \
	-sEXPORTED_FUNCTIONS=_pf_wasm_run,_pf_wasm_resume,_pf_wasm_discard,_pf_wasm_buffer,_pf_wasm_buffer_len,_pf_wasm_release,_malloc,_free

wasm: $(WASM_OUT)

$(WASM_BUILD)/%.o: core/%.c $(HDR)
	@mkdir -p $(dir $@)
	NODE_PATH=/usr/share/nodejs $(EMCC) $(EMCFLAGS) -O2 -fno-inline-functions -Icore -c -o $@ $<

$(WASM_OUT): $(WASM_SRC) $(WASM_FAST_OBJ) $(HDR) tools/wasm-finish.mjs
	@mkdir -p $(dir $@)
	NODE_PATH=/usr/share/nodejs $(EMCC) $(EMFLAGS) -Icore -o $@ $(filter-out $(WASM_FAST_SRC),$(WASM_SRC)) $(WASM_FAST_OBJ)
	$(WASM_OPT) $(WASM_OPT_FLAGS) $(@:.mjs=.wasm) -o $(@:.mjs=.wasm)
	node tools/wasm-finish.mjs $@

# ---- web (the lesson site: helper G) ---------------------------------------------------
# `make site` renders lessons/ and bundles web/ into dist/ (tools/build-site.mjs). It
# copies the wasm engine when `make wasm` has built it; without it, each example gets
# a trace precomputed with build/pyframes (the no-wasm fallback). The browser tests
# (tests/browser/*.test.js, run by `make test`) build their own copies.
site: build/pyframes node_modules/.installed
	node tools/build-site.mjs

# `make serve` builds the CLI, the wasm engine (skipped with a note when Emscripten is
# missing) and the site, and serves dist/ on http://127.0.0.1:8000.
serve: build-deps
	$(MAKE) --no-print-directory build/pyframes node_modules/.installed
	@$(MAKE) --no-print-directory wasm || echo "serve: no wasm engine (make wasm failed); examples use precomputed traces"
	$(MAKE) --no-print-directory site
	node tools/serve.mjs --root dist --host 127.0.0.1 --port 8000

clean:
	rm -rf build build-asan dist test-results
	rm -f web/engine/pyframes-engine.mjs web/engine/pyframes-engine.wasm

.PHONY: all deps build-deps test asan bench serve clean wasm site
