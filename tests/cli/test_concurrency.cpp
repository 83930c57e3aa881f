// Many writers at once: a cron job, hooks and a person may all append at the same moment.
#include <catch2/catch.hpp>
#include <future>

#include "harness.hpp"

using namespace pm::test;

TEST_CASE("8 processes x 500 appends at once: 4,000 entries, all exit 0, chain intact",
          "[concurrency]") {
  Project p;
  const std::string pm = PM_BINARY;
  const int each = stress(500);  // 100 under the sanitizers
  const std::string total = std::to_string(8 * each);
  std::vector<std::future<Result>> writers;
  for (int w = 1; w <= 8; ++w) {
    std::string script = "i=1; while [ $i -le " + std::to_string(each) + " ]; do '" + pm +
                         "' -q log-agreement \"writer " +
                         std::to_string(w) + " item $i\" >/dev/null || exit 1; i=$((i+1)); done";
    writers.push_back(std::async(std::launch::async, [&p, script] {
      return sh(script, p.root() / "work", p.env);
    }));
  }
  for (auto& w : writers) {
    Result r = w.get();
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
  }
  CHECK(p.entry_count() == 8 * each);
  Result verify = p.pm({"verify"});
  CHECK(verify.code == 0);
  CHECK(verify.out.starts_with("ok: " + total + " entries, the hash chain, derived tables, "
                               "triggers and indexes are intact\nhead: " + total + ":"));
  // Each writer rewrote .pm/head under the write lock: the last one names the last entry.
  CHECK(read(p.root() / "work/.pm/head").starts_with(total + ":"));
}
