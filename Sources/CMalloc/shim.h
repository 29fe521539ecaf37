#ifndef DEVSKYY_CMALLOC_SHIM_H
#define DEVSKYY_CMALLOC_SHIM_H

#include <malloc.h>

/// glibc's M_ARENA_MAX is a macro Swift cannot import.
static inline int devskyy_malloc_limit_arenas(int count) { return mallopt(M_ARENA_MAX, count); }

#endif
