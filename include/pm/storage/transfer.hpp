#pragma once
// The whole ledger out and back in: export writes every entry with its hash; import reads an
// export into an empty project, so export -> import -> export is byte-identical.
#include <istream>
#include <ostream>
#include <string>

#include "pm/storage/ledger.hpp"

namespace pm {

enum class ExportFormat { jsonl, csv };
ExportFormat parse_export_format(const std::string& name);

/// Writes every entry, oldest first. jsonl: a header line, then one JSON object per entry;
/// csv: a header row, then one row per entry (data as JSON text). Both end with a final record
/// of the count and the last hash ({"pm":"end",...}; csv: end,N,HASH,...), so an export cut at
/// a line boundary is refused on import. Returns the entry count.
std::int64_t export_ledger(Ledger& ledger, ExportFormat format, std::ostream& out);

/// Reads an export (either format, told apart by its first byte) into `ledger`, which must
/// hold no entries, in one transaction. Each entry must come back with its id and its hash:
/// an edited export is refused, naming the line, and so is one without its final record or
/// whose final record disagrees with the entries before it. Returns the entry count.
std::int64_t import_ledger(Ledger& ledger, std::istream& in, const std::string& name);

}  // namespace pm
