#ifndef TRANSFERT_CCURLSHIM_H
#define TRANSFERT_CCURLSHIM_H

// Typed, non-variadic entry points into libcurl for Swift (which cannot call C variadic functions),
// plus the few macro values Swift does not import. Each wrapper only forwards its arguments.
#include <curl/curl.h>

/// curl_global_init(CURL_GLOBAL_DEFAULT).
CURLcode transfert_curl_global_init(void);

CURLcode transfert_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode transfert_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLcode transfert_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode transfert_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode transfert_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);

typedef size_t (*transfert_curl_read_callback)(char *buffer, size_t size, size_t count, void *userdata);
CURLcode transfert_curl_setopt_read_function(CURL *handle, transfert_curl_read_callback callback);

typedef int (*transfert_curl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);
CURLcode transfert_curl_setopt_debug_function(CURL *handle, transfert_curl_debug_callback callback);

CURLcode transfert_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

/// CURL_ERROR_SIZE: the size CURLOPT_ERRORBUFFER must have.
size_t transfert_curl_error_size(void);

#endif
