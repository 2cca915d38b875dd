#include "CResolv.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Large enough for any UDP answer with EDNS0 and most TCP ones; a longer answer is read up to here.
#define ANSWER_BUFFER_SIZE 65536

static void set_message(transfert_dns_answer *answer, const char *text) {
    snprintf(answer->message, sizeof answer->message, "%s", text);
}

// Reads the answer section: counts the records of `type` and copies MX rdata (preference, exchange).
static void read_records(const unsigned char *buffer, int length, transfert_dns_type type, transfert_dns_answer *answer) {
    ns_msg message;
    if (ns_initparse(buffer, length, &message) < 0) {
        answer->status = TRANSFERT_DNS_ERROR;
        set_message(answer, "the DNS server sent a malformed answer");
        return;
    }
    int records = ns_msg_count(message, ns_s_an);
    for (int index = 0; index < records; index++) {
        ns_rr record;
        if (ns_parserr(&message, ns_s_an, index, &record) < 0) {
            answer->status = TRANSFERT_DNS_ERROR;
            set_message(answer, "the DNS server sent a malformed record");
            return;
        }
        // A CNAME chain comes before the records asked for: only those count.
        if (ns_rr_type(record) != (int)type || ns_rr_class(record) != ns_c_in) continue;
        if (type == TRANSFERT_DNS_TYPE_MX && answer->count < TRANSFERT_DNS_MAX_MX) {
            const unsigned char *rdata = ns_rr_rdata(record);
            transfert_dns_mx *mx = &answer->mx[answer->count];
            if (ns_rr_rdlen(record) < 3
                || dn_expand(ns_msg_base(message), ns_msg_end(message), rdata + 2, mx->exchange, sizeof mx->exchange) < 0) {
                answer->status = TRANSFERT_DNS_ERROR;
                set_message(answer, "the DNS server sent a malformed MX record");
                return;
            }
            mx->preference = (uint16_t)((rdata[0] << 8) | rdata[1]);
        }
        answer->count++;
    }
    // Only other types (a CNAME to a name without this type): the same as NOERROR with no records.
    answer->status = answer->count > 0 ? TRANSFERT_DNS_FOUND : TRANSFERT_DNS_NODATA;
}

void transfert_dns_query(const transfert_dns_options *options, const char *name, transfert_dns_type type,
                         transfert_dns_answer *answer) {
    memset(answer, 0, sizeof *answer);
    // A private state, not the global `_res`: nothing is shared with other threads or with later calls.
    struct __res_state state;
    memset(&state, 0, sizeof state);
    if (res_ninit(&state) != 0) {
        answer->status = TRANSFERT_DNS_ERROR;
        set_message(answer, "the system resolver could not be initialised (read /etc/resolv.conf)");
        res_nclose(&state);
        return;
    }
    if (options->server != NULL) {
        // One server, the one given. glibc notices the change of nsaddr_list at the next send and uses
        // it instead of its copy of /etc/resolv.conf's servers (IPv6 ones included).
        struct sockaddr_in address;
        memset(&address, 0, sizeof address);
        address.sin_family = AF_INET;
        address.sin_port = htons(options->port);
        if (inet_pton(AF_INET, options->server, &address.sin_addr) != 1) {
            answer->status = TRANSFERT_DNS_ERROR;
            set_message(answer, "the DNS server is not an IPv4 address");
            res_nclose(&state);
            return;
        }
        state.nsaddr_list[0] = address;
        state.nscount = 1;
    }
    // Short waits: a CSV has many domains, and an operator is waiting.
    state.retrans = options->timeout_seconds;
    state.retry = options->tries;

    unsigned char *buffer = malloc(ANSWER_BUFFER_SIZE);
    if (buffer == NULL) {
        answer->status = TRANSFERT_DNS_ERROR;
        set_message(answer, "out of memory");
        res_nclose(&state);
        return;
    }
    // res_nquery says why it failed in h_errno and (for a send that got nothing back) errno.
    memset(buffer, 0, NS_HFIXEDSZ);
    errno = 0;
    int length = res_nquery(&state, name, ns_c_in, (int)type, buffer, ANSWER_BUFFER_SIZE);
    int saved_errno = errno;
    if (length >= 0) {
        read_records(buffer, length < ANSWER_BUFFER_SIZE ? length : ANSWER_BUFFER_SIZE, type, answer);
    } else {
        switch (state.res_h_errno) {
        case HOST_NOT_FOUND:
            answer->status = TRANSFERT_DNS_NXDOMAIN;
            break;
        case NO_DATA:
            answer->status = TRANSFERT_DNS_NODATA;
            break;
        case TRY_AGAIN: {
            // glibc retries a SERVFAIL or REFUSED answer like a lost packet, then only says "try again";
            // the last answer is still in the buffer (its header was zeroed before the query).
            int answered = (buffer[2] & 0x80) != 0, rcode = buffer[3] & 0x0F;
            if (answered && rcode == ns_r_servfail) {
                answer->status = TRANSFERT_DNS_SERVER_FAILURE;
            } else if (answered && (rcode == ns_r_refused || rcode == ns_r_notimpl)) {
                answer->status = TRANSFERT_DNS_REFUSED;
            } else if (saved_errno == ETIMEDOUT) {
                answer->status = TRANSFERT_DNS_TIMEOUT;
            } else if (saved_errno == ECONNREFUSED) {
                // Every try got an ICMP "port unreachable": nothing listens there.
                answer->status = TRANSFERT_DNS_ERROR;
                set_message(answer, "the DNS server refused the connection (nothing listens on that address and port)");
            } else {
                answer->status = TRANSFERT_DNS_ERROR;
                snprintf(answer->message, sizeof answer->message, "the DNS server could not be reached (%s)",
                         saved_errno != 0 ? strerror(saved_errno) : "no reason given");
            }
            break;
        }
        case NO_RECOVERY:
            answer->status = TRANSFERT_DNS_REFUSED;
            break;
        default:
            answer->status = TRANSFERT_DNS_ERROR;
            snprintf(answer->message, sizeof answer->message, "the query failed (%s)",
                     saved_errno != 0 ? strerror(saved_errno) : "resolver error");
            break;
        }
    }
    free(buffer);
    res_nclose(&state);
}

const char *transfert_dns_mx_exchange(const transfert_dns_answer *answer, int index) {
    return answer->mx[index].exchange;
}

uint16_t transfert_dns_mx_preference(const transfert_dns_answer *answer, int index) {
    return answer->mx[index].preference;
}

const char *transfert_dns_message(const transfert_dns_answer *answer) {
    return answer->message;
}
