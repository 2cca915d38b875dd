// zlib (Debian: zlib1g-dev): streaming raw inflate for the ZIP reader, which must know how many
// compressed bytes each piece of output took (libdeflate only inflates whole buffers).
#include <zlib.h>
// Named CZlibInflate: ZIPFoundation (still used by the writers) already has a module called CZlib.
