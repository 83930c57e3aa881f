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

/// The SQL that creates nps_answers' unique fingerprint index, exactly as the schema step does
/// (an import that drops it while it writes creates it again with this text).
const char* nps_fingerprint_index_sql();

}  // namespace pm
