// CIVITAS_ASSERT: checks for programmer errors. On in Debug and RelWithDebInfo, off in Release
// (CIVITAS_ASSERTS=0). Bad *input* never reaches an assert: it raises civitas::input_error instead.
#pragma once

#include <cstdio>
#include <cstdlib>

#ifndef CIVITAS_ASSERTS
#define CIVITAS_ASSERTS 1
#endif

#if CIVITAS_ASSERTS
#define CIVITAS_ASSERT(cond)                                                            \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)
#else
#define CIVITAS_ASSERT(cond) ((void)0)
#endif
