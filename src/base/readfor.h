/* Reading an fd into a caller's buffer until a deadline: the one loop for
 * a child's output, a report pipe or a short HTTP answer. */
#ifndef LAZYDIND_READFOR_H
#define LAZYDIND_READFOR_H

#include <stddef.h>
#include <stdint.h>

/* What ended an lz_read_for. */
enum lz_read_end {
    LZ_READ_EOF,      /* the writer closed its end (read returned 0) */
    LZ_READ_NEWLINE,  /* LZ_READ_LINE was asked and a '\n' arrived */
    LZ_READ_FULL,     /* the buffer holds cap - 1 bytes */
    LZ_READ_DEADLINE, /* deadline_ms came before any of those */
    LZ_READ_ERROR,    /* poll(2) or read(2) failed (not EINTR); errno says why */
};

/* lz_read_for's flags: stop once a read brings a '\n' (the bytes of that
 * read after it are kept too). */
#define LZ_READ_LINE 1

/* Polls and reads fd into buf until one of enum lz_read_end happens and
 * returns which. deadline_ms is absolute, on lz_now_ms()'s clock; a deadline
 * already past reads nothing. EINTR (of poll or read) is retried until the
 * deadline. On every return buf[*len] is '\0' and *len (< cap) counts the
 * bytes read, also after a DEADLINE or an ERROR. cap must be at least 1; fd
 * is left open, blocking or not as it was. */
enum lz_read_end lz_read_for(int fd, char *buf, size_t cap, int64_t deadline_ms,
                             int flags, size_t *len);

#endif
