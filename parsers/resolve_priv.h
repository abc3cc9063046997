/*
 * Private to parsers/resolve*.c and parsers/sha256.c.
 */
#ifndef RR_PARSERS_RESOLVE_PRIV_H
#define RR_PARSERS_RESOLVE_PRIV_H

#include "parsers/parsers.h"

void parse_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
