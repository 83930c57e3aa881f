#pragma once
#include <vector>

namespace pm {

/// One forward migration: step N takes a ledger from format N to N+1.
struct SchemaStep {
  const char* summary;
  const char* sql;
};

/// Every step, in order; the ledger format is the number of steps.
const std::vector<SchemaStep>& schema_steps();

}  // namespace pm
