#include <stdint.h>

uint32_t fastmix_string(const char *s);
