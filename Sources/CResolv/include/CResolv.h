#ifndef TRANSFERT_CRESOLV_H
#define TRANSFERT_CRESOLV_H

// One DNS question through the C library's stub resolver (glibc's libresolv), for Swift: the resolver
// state, its macros (res_ninit is a macro) and the wire-format parsing stay on this side; Swift gets a
// plain struct. Each call uses a private resolver state, opened and closed inside the call, so calls
// are independent and safe from any thread.

#include <stdint.h>

/// The record types the mail-domain check asks for (their RFC 1035 / RFC 3596 numbers).
typedef enum {
    TRANSFERT_DNS_TYPE_A = 1,
    TRANSFERT_DNS_TYPE_MX = 15,
    TRANSFERT_DNS_TYPE_AAAA = 28,
} transfert_dns_type;

/// How a question ended.
typedef enum {
    /// At least one record of the asked type is in the answer.
    TRANSFERT_DNS_FOUND = 0,
    /// The name exists but has no record of that type (NOERROR with no such record: "NODATA").
    TRANSFERT_DNS_NODATA = 1,
    /// The name does not exist (NXDOMAIN).
    TRANSFERT_DNS_NXDOMAIN = 2,
    /// No answer within the timeout, after every try.
    TRANSFERT_DNS_TIMEOUT = 3,
    /// The server answered SERVFAIL: it could not resolve the name (often the domain's own servers).
    TRANSFERT_DNS_SERVER_FAILURE = 4,
    /// The server refused the question or could not understand it (REFUSED, FORMERR, NOTIMP).
    TRANSFERT_DNS_REFUSED = 5,
    /// Anything else (no resolver configuration, unreachable server, malformed answer): see `message`.
    TRANSFERT_DNS_ERROR = 6,
} transfert_dns_status;

/// The MX records kept from one answer; more are counted but not copied (a domain rarely has more).
#define TRANSFERT_DNS_MAX_MX 16

typedef struct {
    uint16_t preference;
    /// The exchange host, as dn_expand writes it: "." (or "") for the root, i.e. a null MX (RFC 7505).
    char exchange[1025];
} transfert_dns_mx;

typedef struct {
    transfert_dns_status status;
    /// Records of the asked type in the answer section (CNAMEs and others are not counted).
    int count;
    /// For MX questions: the first min(count, TRANSFERT_DNS_MAX_MX) records.
    transfert_dns_mx mx[TRANSFERT_DNS_MAX_MX];
    /// For TRANSFERT_DNS_ERROR (and as a detail for the others): what happened, in words.
    char message[256];
} transfert_dns_answer;

/// Which server to ask and how long to wait.
typedef struct {
    /// An IPv4 address ("192.0.2.53"), or NULL for the servers of /etc/resolv.conf.
    const char *server;
    /// The server's UDP/TCP port (53 normally); ignored when `server` is NULL.
    uint16_t port;
    /// Seconds to wait for an answer from one server, at each try (`retrans`).
    int timeout_seconds;
    /// How many times to send the question to each server.
    int tries;
} transfert_dns_options;

/// Asks `name` (ASCII, IDNA-encoded already) for records of `type`, and fills `answer`.
void transfert_dns_query(const transfert_dns_options *options, const char *name, transfert_dns_type type,
                         transfert_dns_answer *answer);

// Accessors, because Swift sees C character arrays as long tuples.

/// The exchange of MX record `index` (< min(count, TRANSFERT_DNS_MAX_MX)), NUL-terminated.
const char *transfert_dns_mx_exchange(const transfert_dns_answer *answer, int index);
/// The preference of MX record `index`.
uint16_t transfert_dns_mx_preference(const transfert_dns_answer *answer, int index);
/// The answer's message, NUL-terminated (empty when there is nothing to add).
const char *transfert_dns_message(const transfert_dns_answer *answer);

#endif
