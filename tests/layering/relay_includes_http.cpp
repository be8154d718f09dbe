// Compiled with relay/'s include folders: a face above relay must not be, so
// this file must fail to build (layering_upward_include_fails).
#include "http/http_context.hpp"

int layering_probe_upward() { return 0; }
