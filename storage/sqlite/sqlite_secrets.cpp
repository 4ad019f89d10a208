// SqliteStore::KeepSecret: server-wide secrets created once (0009_server_secrets.sql).
#include <SQLiteCpp/SQLiteCpp.h>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/sqlite_store.h"

namespace lessonbook::sqlite {

Result<std::string> SqliteStore::KeepSecret(std::string_view name, std::string_view candidate) {
  return Guarded("keeping a server secret", [&]() -> Result<std::string> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), SQLite::TransactionBehavior::IMMEDIATE);
    CachedStatement insert(writer.conn(),
                           "INSERT INTO server_secrets (name, value) VALUES (?, ?) "
                           "ON CONFLICT (name) DO NOTHING");
    insert->bind(1, std::string(name));
    insert->bind(2, std::string(candidate));
    insert->exec();
    CachedStatement read(writer.conn(), "SELECT value FROM server_secrets WHERE name = ?");
    read->bind(1, std::string(name));
    if (!read->executeStep()) return Status::Internal("the secret was not kept");
    std::string value = read->getColumn(0).getString();
    tx.commit();
    return value;
  });
}

}  // namespace lessonbook::sqlite
