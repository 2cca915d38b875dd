// MariaDB Connector/C (Debian: libmariadb-dev): the client library behind the MariaDB backend.
#include <mariadb/mysql.h>
#include <mariadb/errmsg.h>
#include <mariadb/mysqld_error.h>
