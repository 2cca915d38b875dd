#ifndef TRANSFERT_CCURL_SHIM_H
#define TRANSFERT_CCURL_SHIM_H
#include <curl/curl.h>
#endif
