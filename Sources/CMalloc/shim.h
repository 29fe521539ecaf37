#ifndef DEVSKYY_CMALLOC_SHIM_H
#define DEVSKYY_CMALLOC_SHIM_H

#include <malloc.h>
#include <sys/mman.h>

/// glibc's M_* option names are macros Swift cannot import.
static inline int devskyy_malloc_limit_arenas(int count) { return mallopt(M_ARENA_MAX, count); }
static inline int devskyy_malloc_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
static inline int devskyy_malloc_trim_threshold(int bytes) { return mallopt(M_TRIM_THRESHOLD, bytes); }

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
/// Asks the kernel to reclaim the range's pages now (Linux 5.4+); file-backed ones are read back on use.
static inline int devskyy_page_out(void *start, size_t length) { return madvise(start, length, MADV_PAGEOUT); }

#endif
