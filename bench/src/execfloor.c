/* execfloor: the cheapest possible exec-based shim, for reference.
 *
 *   execfloor /ABS/PROG [ARG ...]   execv() PROG with the arguments, nothing else
 *   execfloor [WORD ...]            exit 0 at once (a static no-op)
 *
 * Timing `execfloor /bin/true` against `/bin/true` gives the price of one
 * extra exec of a static binary on this machine, which any exec-based shim
 * pays. As a no-op it is the "real docker" that lets wait4's ru_maxrss show
 * the shim's own peak RSS rather than that of /bin/true. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] != '/')
        return 0;
    execv(argv[1], argv + 1);
    perror("execfloor");
    return 127;
}
