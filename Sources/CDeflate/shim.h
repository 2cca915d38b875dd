// libdeflate (Debian: libdeflate-dev): whole-buffer DEFLATE and CRC-32, several times faster than zlib
// at the same compression level. Transfert deflates its ~2 MiB SQL chunks with it.
#include <libdeflate.h>
