/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright 2024 Sample Hash Authors. */

#include <stdint.h>
#include "fastmix.h"

/* A small multiplicative string hash: good enough for a sample. */
uint32_t fastmix_string(const char *s) {
    uint32_t h = 2166136261u;
    while (*s) {
        h ^= (uint8_t)*s++;
        h *= 16777619u;
    }
    return h ^ (h >> 15);
}
