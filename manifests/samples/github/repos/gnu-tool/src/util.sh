#!/bin/sh
# Build the tool and run it on its own sources.
set -eu
cc -O2 -o gnu-tool src/main.c vendor/fastmix.c
./gnu-tool src/*.c
