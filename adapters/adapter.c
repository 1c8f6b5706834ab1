/* adapter.c */
#include "adapters/adapter.h"
