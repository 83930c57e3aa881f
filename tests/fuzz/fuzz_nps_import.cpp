// The NPS CSV import (pm/domain/nps.hpp, import_nps_csv) into an empty ledger: a file is
// recorded whole or not at all, and importing it again adds nothing.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "fuzz.hpp"
#include "pm/domain/nps.hpp"
#include "pm/storage/chain.hpp"
#include "pm/storage/integrity.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/util/error.hpp"

namespace {

using pm::fuzz::check;

namespace fs = std::filesystem;

std::int64_t count(pm::Ledger& ledger, const char* sql) {
  return ledger.db().execAndGet(sql).getInt64();
}

/// A directory of this process's own, removed at exit (never freed: the exit handler uses it).
const fs::path& scratch() {
  static const fs::path* k_dir = [] {
    std::string pattern =
        ((fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path()) /
         "pm-fuzz-nps-XXXXXX")
            .string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::abort();
    }
    auto* dir = new fs::path(pattern);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(*k_dir, ec);
    });
    return dir;
  }();
  return *k_dir;
}

/// A fresh, empty ledger for each input: a copy of one made once. (A new ":memory:" ledger
/// runs every schema step, 150 ms an input under the sanitizers; a copy takes a millisecond.)
fs::path fresh_ledger() {
  static const fs::path k_empty = [] {
    fs::path file = scratch() / "empty.db";
    { pm::Ledger ledger(file.string(), pm::Ledger::Mode::create); }
    return file;
  }();
  fs::path file = scratch() / "ledger.db";
  for (const char* suffix : {"-wal", "-shm"}) {
    fs::remove(file.string() + suffix);
  }
  fs::copy_file(k_empty, file, fs::copy_options::overwrite_existing);
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  static const pm::NpsWriteContext k_context{"fuzz", "import",
                                             pm::parse_instant("2026-11-20T10:00:00+03:00", "fuzz"),
                                             pm::find_zone("Europe/Moscow")};
  static const pm::NpsDefaults k_defaults{"ACME Corp", "Anna Petrova"};
  // Few rows counted in memory, so the temporary table behind them is fuzzed too.
  constexpr std::size_t k_rows_in_memory = 4;
  std::string text(pm::fuzz::text_of(data, size));
  pm::Ledger ledger(fresh_ledger().string());
  pm::NpsImportResult first;
  try {
    std::istringstream in(text);
    first = pm::import_nps_csv(ledger, in, "fuzz.csv", k_defaults, k_context, k_rows_in_memory);
  } catch (const pm::Error&) {
    // Refused: nothing of the file may be recorded.
    check(count(ledger, "SELECT count(*) FROM entries") == 0, "a refused import left entries");
    check(count(ledger, "SELECT count(*) FROM nps_answers") == 0, "a refused import left rows");
    return 0;
  }
  check(first.rows >= 0 && first.added == first.rows && first.skipped == 0,
        "a first import into an empty ledger skipped rows");
  check(count(ledger, "SELECT count(*) FROM entries") == (first.added > 0 ? 1 : 0) &&
            count(ledger, "SELECT count(*) FROM entries WHERE kind = 'nps-import'") ==
                (first.added > 0 ? 1 : 0),
        "an import wrote other than one nps-import entry");
  check(pm::check_nps_imports(ledger.db()).empty() && pm::verify_chain(ledger.db()).ok,
        "an import's answers do not verify against its digest");
  check(count(ledger, "SELECT count(*) FROM nps_answers") == first.added,
        "nps_answers rows differ from the answers added");
  check(count(ledger, "SELECT count(*) FROM nps_answers WHERE score NOT BETWEEN 0 AND 10") == 0,
        "a score outside 0-10 was recorded");
  // The same file again: every row is known by its fingerprint.
  std::istringstream again_in(text);
  pm::NpsImportResult again =
      pm::import_nps_csv(ledger, again_in, "fuzz.csv", k_defaults, k_context, k_rows_in_memory);
  check(again.rows == first.rows && again.added == 0 && again.skipped == first.rows,
        "importing the same file twice added answers");
  return 0;
}
