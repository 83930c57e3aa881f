#include "pm/mail/mail_import.hpp"

#include <algorithm>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/domain/communication.hpp"
#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace pm {

namespace {

/// How much of a request's body the ledger keeps (its excerpt): enough to recall the ask.
constexpr std::size_t k_excerpt_bytes = 600;

/// The person of the project whose address is `address` (the manager included), or null.
const Person* person_by_address(const ProjectConfig& config, const std::string& address) {
  const std::string a = ascii_lower(address);
  if (!config.manager.email.empty() && ascii_lower(config.manager.email) == a) {
    return &config.manager;
  }
  for (const auto& p : config.people) {
    if (!p.email.empty() && ascii_lower(p.email) == a) {
      return &p;
    }
  }
  return nullptr;
}

/// The message's key in the ledger: its Message-ID, or its digest when it has none.
std::string message_key(const MailMessage& m) {
  return m.message_id.empty() ? "sha256:" + m.digest : m.message_id;
}

std::string header(const MailMessage& m, std::string_view name) {
  for (const auto& [key, value] : m.pm_headers) {
    if (ascii_lower(key) == ascii_lower(std::string(name))) {
      return value;
    }
  }
  return {};
}

/// The first lines of the body that are the sender's own (not quoted, before the signature),
/// cut between characters.
std::string excerpt(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size() && out.size() < k_excerpt_bytes) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    if (line == "-- " || line == "--") {
      break;
    }
    if (line.starts_with('>')) {
      continue;
    }
    std::string t = trimmed(line);
    if (t.empty()) {
      continue;
    }
    out += out.empty() ? "" : " ";
    out += t;
  }
  if (out.size() > k_excerpt_bytes) {
    std::size_t cut = k_excerpt_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out = out.substr(0, cut) + "…";
  }
  return out;
}

/// The ledger's side of an import: lookups by Message-ID and thread, and the writes.
class Importer {
 public:
  Importer(Ledger& ledger, const ProjectConfig& config, Instant now)
      : m_ledger(ledger), m_config(config), m_now(now) {}

  /// The entry that holds message `id`, or 0.
  EntryId entry_of(const std::string& id) {
    SQLite::Statement q(m_ledger.db(), "SELECT entry_id FROM messages WHERE message_id = ?");
    q.bind(1, id);
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
  }

  /// Whether the ledger holds the message already (pm's own report letters included).
  bool holds(const MailMessage& m) {
    if (entry_of(message_key(m)) != 0) {
      return true;
    }
    // A weekly report produced with --format eml is recorded before its Message-ID exists;
    // its X-PM-Ledger names that letter entry itself ("N:HASH").
    const std::string head = header(m, "X-PM-Ledger");
    if (!head.empty() && !header(m, "X-PM-Template").empty()) {
      try {
        const EntryId n = std::stoll(head.substr(0, head.find(':')));
        auto e = m_ledger.find(n);
        return e && e->kind == "letter" && e->text == m.subject &&
               !e->data.contains("message_id");
      } catch (const std::exception&) {
        return false;
      }
    }
    return false;
  }

  /// The thread a message belongs to, and whether the ledger knew it before.
  std::pair<std::string, bool> thread_of(const MailMessage& m) {
    std::vector<std::string> ids = m.in_reply_to;
    ids.insert(ids.end(), m.references.rbegin(), m.references.rend());
    for (const auto& id : ids) {
      if (EntryId e = entry_of(id); e != 0) {
        if (auto entry = m_ledger.find(e)) {
          return {entry->data.value("thread", thread_key(m.subject)), true};
        }
      }
    }
    std::string key = thread_key(m.subject);
    if (key.empty()) {
      return {key, false};
    }
    SQLite::Statement q(m_ledger.db(),
                        "SELECT 1 FROM entries WHERE kind IN ('request', 'letter') "
                        "AND json_extract(data, '$.thread') = ? LIMIT 1");
    q.bind(1, key);
    return {key, q.executeStep()};
  }

  /// The request `m` names in In-Reply-To that still waits for its reply at m's Date, or 0:
  /// answered even when its thread has no key (a letter without a subject).
  EntryId named_request(const MailMessage& m) {
    for (const auto& id : m.in_reply_to) {
      const EntryId e = entry_of(id);
      if (e == 0) {
        continue;
      }
      auto entry = m_ledger.find(e);
      if (!entry || entry->kind != "request" || entry->effective_at > m.date) {
        continue;
      }
      SQLite::Statement q(m_ledger.db(), "SELECT 1 FROM entries INDEXED BY entries_ref "
                                         "WHERE ref = ? AND kind = 'reply'");
      q.bind(1, e);
      if (!q.executeStep()) {
        return e;
      }
    }
    return 0;
  }

  EntryId add_request(const MailMessage& m, const Person* who, const std::string& thread,
                      bool known) {
    Entry e;
    e.kind = "request";
    e.source = "mail";
    e.text = m.subject.empty() ? "(no subject)" : m.subject;
    e.recorded_at = m_now;
    e.effective_at = m.date;
    e.author = who != nullptr ? who->name : (m.from.name.empty() ? m.from.address : m.from.name);
    e.data["from"] = m.from.address;
    e.data["from_name"] = who != nullptr ? who->name : m.from.name;
    e.data["via"] = "mail";
    e.data["message_id"] = message_key(m);
    e.data["thread"] = thread;
    if (known) {
      e.data["in_thread"] = true;
    }
    if (std::string ex = excerpt(m.text); !ex.empty()) {
      e.data["excerpt"] = ex;
    }
    return m_ledger.append_in_transaction(e);
  }

  /// Records a team letter and the replies it makes; returns how many requests it answered.
  /// `extra`'s fields are added to the letter's data; `answers`, when not 0, is a request
  /// it answers whatever its thread.
  int add_letter(const MailMessage& m, const Person* who, const std::string& thread,
                 const Json& extra = Json::object(), EntryId answers = 0,
                 std::vector<EntryId>* answered = nullptr, const char* source = "mail") {
    Entry e;
    e.kind = "letter";
    e.source = source;
    e.text = m.subject;
    e.recorded_at = m_now;
    e.effective_at = m.date;
    e.author = who != nullptr ? who->name : (m.from.name.empty() ? m.from.address : m.from.name);
    e.data["template"] = header(m, "X-PM-Template");
    e.data["message_id"] = message_key(m);
    e.data["thread"] = thread;
    for (const char* field : {"to", "cc"}) {
      Json list = Json::array();
      for (const auto& box : std::string(field) == "to" ? m.to : m.cc) {
        list.push_back(box.address);
      }
      e.data[field] = list;
    }
    for (const auto& [key, value] : extra.items()) {
      e.data[key] = value;
    }
    const EntryId letter = m_ledger.append_in_transaction(e);
    std::vector<EntryId> waiting;
    if (answers != 0) {
      waiting.push_back(answers);
    }
    if (thread.empty()) {
      return reply_to(waiting, m, e, letter, answered);
    }
    // Every request of the thread still waiting when the letter went is answered by it.
    SQLite::Statement q(m_ledger.db(),
                        "SELECT e.id FROM entries e WHERE e.kind = 'request' "
                        "AND json_extract(e.data, '$.thread') = ? AND e.effective_at <= ? "
                        "AND NOT EXISTS (SELECT 1 FROM entries r INDEXED BY entries_ref "
                        "WHERE r.ref = e.id AND r.kind = 'reply') ORDER BY e.id");
    q.bind(1, thread);
    q.bind(2, format_utc(m.date));
    while (q.executeStep()) {
      if (q.getColumn(0).getInt64() != answers) {
        waiting.push_back(q.getColumn(0).getInt64());
      }
    }
    q.reset();
    return reply_to(waiting, m, e, letter, answered);
  }

  /// Replies to each of `requests` by `letter`.
  int reply_to(const std::vector<EntryId>& requests, const MailMessage& m, const Entry& sent,
               EntryId letter, std::vector<EntryId>* answered) {
    for (EntryId request : requests) {
      Entry r;
      r.kind = "reply";
      r.source = sent.source;
      r.text = m.subject;
      r.recorded_at = m_now;
      r.effective_at = m.date;
      r.author = sent.author;
      r.ref = request;
      r.data["via"] = "mail";
      r.data["letter"] = letter;
      m_ledger.append_in_transaction(r);
      if (answered != nullptr) {
        answered->push_back(request);
      }
    }
    return static_cast<int>(requests.size());
  }

  /// Whether any To or Cc address is a client-side person's.
  bool to_client(const MailMessage& m) const {
    auto client = [&](const Mailbox& box) {
      const Person* p = person_by_address(m_config, box.address);
      return p != nullptr && p->side == "client";
    };
    return std::any_of(m.to.begin(), m.to.end(), client) ||
           std::any_of(m.cc.begin(), m.cc.end(), client);
  }

  /// Whether the message has recipients and every one is the team's own (the manager or a
  /// team member): a letter inside the team (a forward to a colleague) answers no client.
  bool to_team_only(const MailMessage& m) const {
    auto team = [&](const Mailbox& box) {
      const Person* p = person_by_address(m_config, box.address);
      return p != nullptr && p->side != "client";
    };
    return !(m.to.empty() && m.cc.empty()) && std::all_of(m.to.begin(), m.to.end(), team) &&
           std::all_of(m.cc.begin(), m.cc.end(), team);
  }

  void take(const MailMessage& m, MailImportResult& result) {
    if (holds(m)) {
      ++result.duplicates;
      return;
    }
    const Person* who = person_by_address(m_config, m.from.address);
    auto [thread, known] = thread_of(m);
    if (who != nullptr && who->side == "client") {
      add_request(m, who, thread, known);
      ++result.requests;
    } else if (who != nullptr) {  // the manager or a team member
      if ((!to_client(m) && !known) || to_team_only(m)) {
        ++result.unrelated;
        return;
      }
      result.replies += add_letter(m, who, thread, Json::object(), named_request(m));
      ++result.letters;
    } else if (known) {
      add_request(m, nullptr, thread, known);
      ++result.requests;
      result.notes.push_back(fmt::format(
          "{}: {} is not in project.yaml; recorded as the client's request because it answers "
          "a thread of the project (add them with pm people add)",
          m.source, m.from.address));
    } else {
      ++result.unrelated;
    }
  }

 private:
  Ledger& m_ledger;
  const ProjectConfig& m_config;
  Instant m_now;
};

}  // namespace

MailImportResult import_mail(Ledger& ledger, const ProjectConfig& config,
                             const std::vector<std::filesystem::path>& paths, Instant now,
                             bool dry_run) {
  MailImportResult result;
  std::vector<MailMessage> messages;
  for (const auto& path : paths) {
    read_mail(
        path,
        [&](MailMessage&& m) {
          m.text = excerpt(m.text);  // all the import keeps of a body
          messages.push_back(std::move(m));
        },
        [&](MailProblem&& p) { result.problems.push_back(std::move(p)); });
  }
  // Oldest first: a request is recorded before the letter that answers it, whichever folder
  // each came from.
  std::stable_sort(messages.begin(), messages.end(),
                   [](const MailMessage& a, const MailMessage& b) { return a.date < b.date; });
  result.read = static_cast<int>(messages.size());
  WriteTransaction tx(ledger);
  Importer importer(ledger, config, now);
  for (const auto& m : messages) {
    importer.take(m, result);
  }
  if (!dry_run) {
    tx.commit();
  }
  return result;
}

EntryId record_letter_message(Ledger& ledger, const ProjectConfig& config,
                              const MailMessage& message, Instant now) {
  WriteTransaction tx(ledger);
  Importer importer(ledger, config, now);
  if (importer.holds(message)) {
    return 0;
  }
  const Person* who = person_by_address(config, message.from.address);
  auto [thread, known] = importer.thread_of(message);
  (void)known;
  importer.add_letter(message, who, thread, Json::object(), importer.named_request(message));
  const EntryId id = importer.entry_of(message_key(message));
  tx.commit();
  return id;
}

SentLetter record_sent_letter(Ledger& ledger, const ProjectConfig& config,
                              const MailMessage& message, const Json& extra,
                              std::int64_t answers, Instant now) {
  Importer importer(ledger, config, now);
  EntryId request = 0;
  std::string thread;
  if (answers != 0) {
    auto r = ledger.find_numbered("request", answers);
    if (!r) {
      throw Error(fmt::format("--answers I{}: there is no such request (pm sla lists them)",
                              answers),
                  Exit::usage);
    }
    SQLite::Statement q(ledger.db(), "SELECT 1 FROM entries INDEXED BY entries_ref "
                                     "WHERE ref = ? AND kind = 'reply'");
    q.bind(1, r->id);
    if (q.executeStep()) {
      throw Error(fmt::format("--answers I{}: that request has its reply already (pm sla shows "
                              "it)",
                              answers));
    }
    request = r->id;
    thread = r->data.value("thread", std::string());
  }
  if (thread.empty()) {
    thread = importer.thread_of(message).first;
  }
  const Person* who = person_by_address(config, message.from.address);
  std::vector<EntryId> answered;
  importer.add_letter(message, who, thread, extra, request, &answered, "cli");
  SentLetter result;
  result.letter = importer.entry_of(message_key(message));
  for (EntryId id : answered) {
    if (auto r = ledger.find(id)) {
      result.answered.push_back(r->number);
    }
  }
  return result;
}

}  // namespace pm
