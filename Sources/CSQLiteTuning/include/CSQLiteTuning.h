#ifndef TRANSFERT_CSQLITETUNING_H
#define TRANSFERT_CSQLITETUNING_H

// Process-wide SQLite settings that only sqlite3_config can make. sqlite3_config is variadic, which Swift
// cannot call: this shim calls it with fixed arguments. It must run before SQLite is first used (before
// any connection opens); later, SQLite refuses it and nothing changes.

/// Turns off SQLite's memory-allocation statistics (SQLITE_CONFIG_MEMSTATUS): with them on, every malloc
/// and free SQLite makes takes a global mutex to keep counts Transfert never reads
/// (sqlite3_memory_used, sqlite3_soft_heap_limit64). Returns SQLite's result code (0: SQLITE_OK).
int transfert_sqlite_turn_off_memory_statistics(void);

#endif
