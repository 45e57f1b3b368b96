#include <stdio.h>
#include "fastmix.h"

/* Print the mixed hash of every argument. */
int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        printf("%s %08x\n", argv[i], fastmix_string(argv[i]));
    }
    return 0;
}
