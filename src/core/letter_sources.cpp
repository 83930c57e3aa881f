// The ledger sources of letters: a `from: KIND` variable is filled from here.
#include <fmt/format.h>

#include "pm/error.hpp"
#include "pm/letter.hpp"
#include "pm/time.hpp"

namespace pm {

namespace {

std::string join_json(const Json& list) {
  std::string out;
  if (list.is_array()) {
    for (const auto& item : list) {
      out += (out.empty() ? "" : ", ") + item.get<std::string>();
    }
  }
  return out;
}

Entry entry_for(const LetterContext& ctx, const char* kind, std::optional<EntryId> id,
                const char* how_to_add) {
  if (ctx.ledger == nullptr) {
    throw Error(fmt::format("this letter needs the ledger for its {}", kind));
  }
  std::optional<Entry> e = id ? ctx.ledger->find(*id) : ctx.ledger->latest(kind);
  if (!e && id) {
    throw Error(fmt::format("there is no entry {} in the ledger", *id));
  }
  if (!e) {
    throw Error(fmt::format("the ledger holds no {} yet; {}", kind, how_to_add));
  }
  if (e->kind != kind) {
    throw Error(fmt::format("entry {} is a {}, not a {}", e->id, e->kind, kind));
  }
  return *e;
}

mstch::node agreement(const LetterContext& ctx, std::optional<EntryId> id,
                      std::vector<EntryId>& used) {
  Entry e = entry_for(ctx, "agreement", id, "log one with: pm log-agreement \"TEXT\"");
  used.push_back(e.id);
  Zone zone = find_zone(ctx.config.timezone);
  const std::string& lang = ctx.language.empty() ? ctx.config.language : ctx.language;
  return mstch::map{
      {"id", std::to_string(e.id)},
      {"text", e.text},
      {"meeting", long_date(local_date(e.effective_at, zone), lang)},
      {"due", e.due.empty() ? std::string() : long_date(parse_date(e.due, "due"), lang)},
      {"with", join_json(e.data.value("with", Json::array()))},
      {"tags", join_json(e.data.value("tags", Json::array()))},
      {"supersedes", e.ref ? std::to_string(*e.ref) : std::string()},
  };
}

}  // namespace

const std::vector<LetterSource>& letter_sources() {
  static const std::vector<LetterSource> k_sources = {
      {"agreement", "an agreement; the latest open one unless --set NAME=ID", agreement},
  };
  return k_sources;
}

}  // namespace pm
