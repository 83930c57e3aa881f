#pragma once
#include <vector>

namespace SQLite {
class Database;
}

namespace pm {

/// One forward migration: step N takes a ledger from format N to N+1.
struct SchemaStep {
  const char* summary;
  const char* sql;
  void (*after)(SQLite::Database&) = nullptr;  ///< work SQL alone cannot do (backfills)
};

/// Every step, in order; the ledger format is the number of steps.
const std::vector<SchemaStep>& schema_steps();

}  // namespace pm
