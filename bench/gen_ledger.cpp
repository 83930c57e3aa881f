// gen_ledger: the data sets of bench/run (docs/performance.md).
//
//   gen_ledger ledger DIR N [YEARS]   a pm project in DIR (created) with N entries: agreements,
//                                     done/next notes, changes with decisions, risks and closes,
//                                     NPS answers: 320 in the last eight weeks up to yesterday,
//                                     the rest spread evenly over YEARS (default 5) before them
//                                     (see Span); written with Ledger::append_all and the NPS
//                                     importer in large transactions, so the hash chain is valid.
//   gen_ledger busy DIR N [WEEKS]     the same mix, but all N entries spread evenly over WEEKS
//                                     (default 156) weeks ending yesterday: a constant share of
//                                     the ledger falls in every week, so the week a report covers
//                                     grows with N (about 6,400 entries a week at 1,000,000).
//   gen_ledger nps DIR N [YEARS]      a pm project whose N entries are all NPS answers.
//   gen_ledger csv FILE N             an NPS survey export of N distinct rows.
//   gen_ledger task DIR N [YEARS]     a taskwarrior 2.x data directory with N tasks, 90% completed
//                                     and 10% pending, in taskwarrior's own file format
//                                     (pending.data, completed.data) — what `task import` of the
//                                     same tasks writes, without its hours at 1,000,000 tasks;
//                                     spread over time as `ledger` spreads its entries.
//   gen_ledger task-busy DIR N [WEEKS]  the same tasks spread as `busy` spreads its entries.
//
// Texts are shaped like a Russian agency's real notes: sentences of Russian words with some
// English terms (SEO, API, Figma...), 20 to 600 characters (most of them short, a tenth long),
// chosen by a fixed pseudo-random sequence, so a data set is the same on every run.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/storage/entry.hpp"
#include "pm/storage/ledger.hpp"
#include "pm/domain/nps.hpp"
#include "pm/domain/project.hpp"
#include "pm/time/time.hpp"

namespace {

using namespace std::chrono;

constexpr std::int64_t k_batch = 50000;  // entries per transaction

const char* const k_words[] = {"design", "launch", "texts", "catalogue", "checkout", "search",
                               "mobile", "payments", "analytics", "newsletter", "hosting", "SEO"};
const char* const k_clients[] = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Soylent"};
const char* const k_managers[] = {"Anna", "Boris", "Chloe"};

pm::Zone utc() {
  static const pm::Zone zone = pm::find_zone("UTC");
  return zone;
}

std::string word(std::int64_t i) { return k_words[static_cast<std::size_t>(i) % 12]; }

const char* const k_ru[] = {
    "согласовали", "макет", "главной", "страницы", "клиент", "просит", "перенести", "запуск",
    "тексты", "каталога", "будут", "готовы", "к", "пятнице", "по", "итогам", "встречи",
    "договорились", "что", "дизайн", "корзины", "оплаты", "мобильной", "версии", "нужно",
    "доработать", "форму", "обратной", "связи", "менеджер", "проекта", "подтвердил", "сроки",
    "сдачи", "этапа", "заказчик", "прислал", "замечания", "к", "прототипу", "исправили",
    "ошибки", "в", "поиске", "на", "сайте", "интеграция", "с", "платёжным", "шлюзом",
    "задерживается", "из-за", "ответа", "банка", "подготовить", "отчёт", "о", "посещаемости",
    "за", "неделю", "согласовать", "бюджет", "рекламной", "кампании", "и", "баннеры", "для",
    "рассылки", "хостинг", "продлён", "до", "конца", "года", "нужна", "доступы", "к",
    "серверу", "тестирование", "закончено", "без", "критических", "замечаний", "юрист",
    "проверяет", "договор", "оферты", "переводы", "на", "английский", "язык", "фотографии",
    "товаров", "загружены", "не", "полностью", "аналитика", "показывает", "рост", "конверсии"};
const char* const k_en[] = {"SEO", "API", "Figma", "CRM", "checkout", "landing page", "staging",
                            "Google Analytics", "UX", "CMS", "deadline", "backlog"};

/// A fixed pseudo-random number for (i, salt): the same data set on every run.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// UTF-8 characters in `s`.
std::size_t chars(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xC0) != 0x80;
  }
  return n;
}

/// A text of entry i: Russian sentences with some English, 20 to 600 characters (whole words),
/// six in ten short (20-120), three medium (120-300), one long (300-600); one line, no quotes.
std::string text(std::int64_t i, std::uint64_t salt = 0) {
  std::uint64_t r = mix(static_cast<std::uint64_t>(i) * 31 + salt);
  std::size_t kind = r % 10;
  std::size_t target = kind < 6 ? 20 + (r >> 8) % 101 : kind < 9 ? 120 + (r >> 8) % 181
                                                                 : 300 + (r >> 8) % 301;
  std::string out;
  bool sentence_start = true;
  for (std::uint64_t k = 1; chars(out) < target; ++k) {
    std::uint64_t w = mix(r + k);
    std::string next = w % 10 == 0 ? k_en[(w >> 8) % std::size(k_en)]
                                   : k_ru[(w >> 8) % std::size(k_ru)];
    if (sentence_start && static_cast<unsigned char>(next[0]) == 0xD0 &&
        static_cast<unsigned char>(next[1]) >= 0xB0 && static_cast<unsigned char>(next[1]) <= 0xBF) {
      next[1] = static_cast<char>(static_cast<unsigned char>(next[1]) - 0x20);  // а-п → А-П
    } else if (sentence_start && static_cast<unsigned char>(next[0]) == 0xD1 &&
               static_cast<unsigned char>(next[1]) >= 0x80 &&
               static_cast<unsigned char>(next[1]) <= 0x8F) {
      next[0] = static_cast<char>(0xD0);  // р-я → Р-Я
      next[1] = static_cast<char>(static_cast<unsigned char>(next[1]) + 0x20);
    }
    if (!out.empty()) {
      out += (w >> 20) % 9 == 0 && !sentence_start ? ", " : " ";
    }
    out += next;
    sentence_start = false;
    if ((w >> 24) % 11 == 0 && chars(out) + 10 < target) {
      out += ".";
      sentence_start = true;
    }
  }
  // At most 600 characters with the final stop: cut a longer one after its last whole word.
  if (chars(out) > 599) {
    std::size_t n = 0, at = 0;
    for (; at < out.size(); ++at) {
      if ((static_cast<unsigned char>(out[at]) & 0xC0) != 0x80 && n++ == 599) {
        break;
      }
    }
    out.resize(out.rfind(' ', at));
  }
  while (!out.empty() && (out.back() == ',' || out.back() == '.')) {
    out.pop_back();
  }
  return out + ".";
}

/// When entry i of n happened. The last eight weeks hold the same entries at every size, about
/// forty a week (the 10,000 ledger's rate over five years), so the week a benchmark reports on
/// has the same work in it whatever the size: what grows with the size is the history before
/// those weeks, which the other n - 320 entries fill evenly. A report's cost then shows what
/// history costs it, not what a busier week does (docs/performance.md).
struct Span {
  static constexpr std::int64_t k_recent = 320;
  static constexpr int k_recent_days = 56;
  pm::Instant start, recent_start, end;
  std::int64_t n = 0;
  bool busy = false;  ///< all n evenly from start to end: no recent weeks of their own
  pm::Instant at(std::int64_t i) const {
    if (busy) {
      auto length = duration_cast<seconds>(end - start).count();
      return start + seconds(length * i / std::max<std::int64_t>(n, 1));
    }
    std::int64_t older = std::max<std::int64_t>(n - k_recent, 0);
    auto spread = [](pm::Instant from, pm::Instant to, std::int64_t k, std::int64_t count) {
      auto length = duration_cast<seconds>(to - from).count();
      return from + seconds(length * k / std::max<std::int64_t>(count, 1));
    };
    return i < older ? spread(start, recent_start, i, older)
                     : spread(recent_start, end, i - older, n - older);
  }
};

Span span_for(std::int64_t n, int years) {
  auto end = time_point_cast<seconds>(floor<days>(pm::now()) - days(1));
  auto recent_start = end - days(Span::k_recent_days);
  auto start = recent_start - days(365 * years);
  return {start, recent_start, end, n, false};
}

/// `busy`: N over `weeks` weeks up to the end of yesterday (entries reach yesterday).
Span busy_span_for(std::int64_t n, int weeks) {
  auto end = time_point_cast<seconds>(floor<days>(pm::now()));
  auto start = end - days(7 * weeks);
  return {start, start, end, n, true};
}

pm::ProjectPaths create_project(const std::string& dir) {
  pm::ProjectConfig config;
  config.name = "Bench shop";
  config.client = "Acme";
  config.timezone = "UTC";
  config.manager = {"Anna Manager", "anna@example.com", "team", {}, {}};
  config.people.push_back({"Carl Client", "carl@example.com", "client", {"approver"}, {}});
  return pm::init_project(dir, config);
}

/// Appends the NPS answers of one chunk through the importer (entries and nps_answers rows).
void import_answers(pm::Ledger& ledger, const std::vector<std::pair<pm::Instant, std::int64_t>>& answers) {
  if (answers.empty()) {
    return;
  }
  std::string csv = "date,score,client,contact,manager,comment\n";
  for (const auto& [at, i] : answers) {
    csv += fmt::format("{},{},{},Contact {},{},{}\n", pm::format_date(pm::local_date(at, utc())),
                       (i * 7 + i / 13) % 11, k_clients[i % 6], i, k_managers[i % 3],
                       i % 4 == 0 ? "\"" + text(i, 3) + "\"" : std::string());
  }
  std::istringstream in(csv);
  pm::NpsWriteContext context;
  context.author = "Bench";
  context.source = "import";
  context.now = answers.back().first;
  context.zone = pm::find_zone("UTC");
  pm::import_nps_csv(ledger, in, "bench.csv", {}, context);
}

/// The mix, per 20 entries: 4 agreements, 5 done (four fulfil the previous 20's agreements), 3
/// next, a change with both sides' decisions, a risk and its close, 3 NPS answers.
int gen_ledger(const std::string& dir, std::int64_t n, const Span& span, bool nps_only) {
  auto paths = create_project(dir);
  pm::Ledger ledger(paths.ledger().string());
  std::int64_t next_id = 1;
  std::vector<pm::Entry> batch;
  std::vector<std::pair<pm::Instant, std::int64_t>> answers;
  std::int64_t agreements[4] = {0, 0, 0, 0};
  std::int64_t last_change = 0, last_risk = 0;
  auto flush = [&] {
    ledger.append_all(batch);
    batch.clear();
    import_answers(ledger, answers);
    answers.clear();
    next_id = ledger.db().execAndGet("SELECT COALESCE(max(id), 0) + 1 FROM entries").getInt64();
  };
  for (std::int64_t i = 0; i < n; ++i) {
    pm::Instant at = span.at(i);
    int slot = nps_only ? 17 : static_cast<int>(i % 20);
    if (slot >= 17) {
      answers.emplace_back(at, i);
    } else {
      pm::Entry e;
      e.recorded_at = at;
      e.effective_at = at;
      e.author = k_managers[i % 3];
      e.source = "cli";
      // Ids of this batch: the ones before it, then this batch's entries in order.
      pm::EntryId id = next_id + static_cast<pm::EntryId>(batch.size());
      if (slot < 4) {
        e.kind = "agreement";
        e.text = text(i);
        e.due = pm::format_date(pm::local_date(at + days(7 + i % 30), utc()));
        e.data["with"] = std::vector<std::string>{"Carl Client"};
        e.data["tags"] = std::vector<std::string>{word(i + 1)};
        agreements[slot] = id;
      } else if (slot < 9) {
        e.kind = "done";
        e.text = text(i);
        // Four of the five fulfil the agreements of the previous 20: a project keeps its word.
        if (slot < 8 && agreements[slot - 4] != 0) {
          e.ref = agreements[slot - 4];
        }
      } else if (slot < 12) {
        e.kind = "next";
        e.text = text(i);
      } else if (slot == 12) {
        e.kind = "change";
        e.text = text(i);
        e.data["reason"] = text(i, 1);
        e.data["days"] = static_cast<int>(i % 10);
        e.data["cost"] = i % 2 == 0 ? pm::Json("1500") : pm::Json(nullptr);
        e.data["currency"] = i % 2 == 0 ? pm::Json("EUR") : pm::Json(nullptr);
        e.data["ask"] = pm::Json(nullptr);
        last_change = id;
      } else if (slot < 15) {
        e.kind = "change-decision";
        e.ref = last_change;
        e.text = i % 3 == 0 ? text(i) : std::string();  // the reason, when one is given
        e.data["side"] = slot == 13 ? "client" : "team";
        e.data["verdict"] = i % 7 == 0 ? "reject" : "approve";
        e.data["by"] = slot == 13 ? "Carl Client" : "Anna Manager";
      } else if (slot == 15) {
        e.kind = "risk";
        e.text = text(i);
        e.data["probability"] = "medium";
        e.data["impact"] = "high";
        e.data["action"] = text(i, 2);
        e.data["owner"] = pm::Json(nullptr);
        last_risk = id;
      } else {
        e.kind = "risk-close";
        e.ref = last_risk;
        e.text = text(i);
      }
      batch.push_back(std::move(e));
    }
    if (static_cast<std::int64_t>(batch.size() + answers.size()) >= k_batch) {
      flush();
    }
  }
  flush();
  ledger.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return 0;
}

int gen_csv(const std::string& file, std::int64_t n) {
  std::ofstream out(file);
  out << "date,score,client,contact,manager,comment\n";
  for (std::int64_t i = 0; i < n; ++i) {
    out << fmt::format("2026-{:02}-{:02},{},{},Person {},{},{}\n", 1 + i % 12, 1 + i % 28,
                       (i * 7 + i / 13) % 11, k_clients[i % 6], i, k_managers[i % 3],
                       i % 4 == 0 ? "\"" + text(i, 3) + "\"" : std::string());
  }
  return out ? 0 : 1;
}

/// Taskwarrior 2.x's FF4 lines, as `task import` writes them.
int gen_task(const std::string& dir, std::int64_t n, const Span& span) {
  std::ofstream pending(dir + "/pending.data");
  std::ofstream completed(dir + "/completed.data");
  for (std::int64_t i = 0; i < n; ++i) {
    auto t = span.at(i).time_since_epoch().count();
    bool done = i % 10 != 9;
    std::string uuid = fmt::format("{:08x}-0000-4000-8000-{:012x}", i, i);
    std::string line = fmt::format(
        "[description:\"{}\" entry:\"{}\" modified:\"{}\" "
        "project:\"bench\" status:\"{}\" uuid:\"{}\"",
        text(i), t, t + 3600, done ? "completed" : "pending", uuid);
    if (done) {
      line += fmt::format(" end:\"{}\"]\n", t + 3600);
      completed << line;
    } else {
      pending << line << "]\n";
    }
  }
  return pending && completed ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: gen_ledger ledger|busy|nps|csv|task|task-busy PATH N [YEARS|WEEKS]\n");
    return 2;
  }
  std::string what = argv[1];
  std::string path = argv[2];
  std::int64_t n = std::atoll(argv[3]);
  const bool busy = what == "busy" || what == "task-busy";
  int span_arg = argc > 4 ? std::atoi(argv[4]) : busy ? 156 : 5;  // weeks for busy, else years
  Span span = busy ? busy_span_for(n, span_arg) : span_for(n, span_arg);
  try {
    if (what == "ledger" || what == "nps" || what == "busy") {
      return gen_ledger(path, n, span, what == "nps");
    }
    if (what == "csv") {
      return gen_csv(path, n);
    }
    if (what == "task" || what == "task-busy") {
      return gen_task(path, n, span);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gen_ledger: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "gen_ledger: unknown data set '%s'\n", what.c_str());
  return 2;
}
