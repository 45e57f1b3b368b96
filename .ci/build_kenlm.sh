#!/usr/bin/env bash
# Builds KenLM's `lmplz` and `build_binary` from the PyPI kenlm 0.3.0 source package into a bin folder
# (default .venv/bin). PyPI's kenlm gives only the query module; Debian packages no kenlm. Idempotent:
# does nothing when both binaries are already there. Needs g++, cmake, and the Boost/Eigen/zlib/bz2/lzma
# headers, which it apt-installs when missing and when it runs as root (see ../shared/STACK.md).
set -euo pipefail
BIN_DIR="${1:-.venv/bin}"
PIP="${PIP:-$BIN_DIR/pip}"
KENLM_VERSION="0.3.0"
if [[ -x "$BIN_DIR/lmplz" && -x "$BIN_DIR/build_binary" ]]; then
    exit 0
fi
PACKAGES=(libboost-program-options-dev libboost-system-dev libboost-thread-dev libboost-test-dev
          libeigen3-dev zlib1g-dev libbz2-dev liblzma-dev cmake g++)
missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if (( ${#missing[@]} )); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "build_kenlm: missing packages: ${missing[*]} (run as root, or: sudo apt-get install -y ${missing[*]})" >&2
        exit 1
    fi
    echo "build_kenlm: apt-get install ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# --no-binary kenlm, not :all:, so that its build dependencies (cmake...) come as wheels instead of compiling.
"$PIP" download --quiet --no-binary kenlm --no-deps --dest "$WORK" "kenlm==$KENLM_VERSION"
tar -xzf "$WORK"/kenlm-"$KENLM_VERSION".tar.gz -C "$WORK"
mkdir -p "$WORK/build"
if ! { cmake -S "$WORK/kenlm-$KENLM_VERSION" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release &&
        make -C "$WORK/build" -j"$(nproc)" lmplz build_binary; } >"$WORK/build.log" 2>&1; then
    tail -n 40 "$WORK/build.log" >&2
    echo "build_kenlm: building lmplz failed (log above)" >&2
    exit 1
fi
install -m 0755 "$WORK/build/bin/lmplz" "$WORK/build/bin/build_binary" "$BIN_DIR/"
echo "build_kenlm: installed lmplz and build_binary into $BIN_DIR"
