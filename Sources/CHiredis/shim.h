#ifndef DEVSKYY_CHIREDIS_SHIM_H
#define DEVSKYY_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>

// redisContext's error string is a fixed char array, awkward from Swift.
static inline const char *devskyy_redis_errstr(const redisContext *c) { return c->errstr; }
static inline int devskyy_redis_err(const redisContext *c) { return c->err; }
static inline redisReply *devskyy_redis_element(const redisReply *r, size_t i) { return r->element[i]; }

#endif
