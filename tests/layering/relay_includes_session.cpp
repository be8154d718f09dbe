// Compiled with relay/'s include folders: a layer below relay must be visible.
#include "session/session_store.hpp"

int layering_probe_downward() { return 0; }
