// A project's ledger on a server, and this machine's replica of it (replica.hpp).
#include "pm/storage/replica.hpp"

#include <fstream>
#include <random>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "pm/storage/chain.hpp"
#include "pm/util/error.hpp"

namespace pm {

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

bool is_server_url(const std::string& text) {
  return starts_with(text, "postgresql://") || starts_with(text, "postgres://");
}

bool is_project_key(const std::string& key) {
  if (key.empty() || key.size() > 63 || key.front() == '-') {
    return false;
  }
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

std::string new_project_key(const std::string& name) {
  std::string slug;
  for (char c : name) {
    char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) {
      slug += lower;
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
    if (slug.size() >= 40) {
      break;
    }
  }
  while (!slug.empty() && slug.back() == '-') {
    slug.pop_back();
  }
  if (slug.empty()) {
    slug = "project";
  }
  std::random_device random;
  return fmt::format("{}-{:06x}", slug, random() & 0xffffffu);
}

void check_server_url(const std::string& url, const std::string& what) {
  if (!is_server_url(url)) {
    throw Error(fmt::format("{} '{}' is not a server URL; write postgresql://HOST/DATABASE", what,
                            url));
  }
  for (unsigned char c : url) {
    if (c < 0x20 || c == 0x7f || c == ' ') {
      throw Error(fmt::format("{} holds a space or a control character; a URL has none", what));
    }
  }
  if (url.find('#') != std::string::npos) {
    throw Error(fmt::format("{} '{}' names a project (#KEY); give the server's URL only", what,
                            url));
  }
  const std::size_t authority = url.find("://") + 3;
  const std::size_t end = url.find_first_of("/?", authority);
  const std::string userinfo_host = url.substr(authority, end - authority);
  const std::size_t at = userinfo_host.rfind('@');
  const bool password_in_userinfo =
      at != std::string::npos && userinfo_host.substr(0, at).find(':') != std::string::npos;
  if (password_in_userinfo || url.find("password=") != std::string::npos) {
    throw Error(fmt::format("{} holds a password; put it in ~/.pgpass (or the file PGPASSFILE "
                            "names) instead, so no project file carries it (docs/server.md)",
                            what));
  }
}

ServerLocation parse_server_location(const std::string& text, const std::string& what) {
  const std::size_t hash = text.rfind('#');
  if (hash == std::string::npos) {
    throw Error(fmt::format("{} '{}' names no project: write postgresql://HOST/DATABASE#KEY", what,
                            text));
  }
  ServerLocation at{text.substr(0, hash), text.substr(hash + 1)};
  check_server_url(at.url, what);
  if (!is_project_key(at.key)) {
    throw Error(fmt::format("{}: '{}' is not a project key (1 to 63 of a-z, 0-9 and '-')", what,
                            at.key));
  }
  return at;
}

std::string ServerLocation::where() const {
  std::string out = url;
  if (auto query = out.find('?'); query != std::string::npos) {
    out.erase(query);
  }
  const std::size_t authority = out.find("://") + 3;
  if (auto at = out.find('@', authority);
      at != std::string::npos && at < out.find('/', authority)) {
    out.erase(authority, at + 1 - authority);
  }
  return out + "#" + key;
}

namespace {

[[noreturn]] void not_continued(const ServerLocation& at, std::int64_t id, const char* what) {
  throw Error(fmt::format("the server's ledger of project {} is not this replica's continued: "
                          "entry {} {}; run 'pm verify' and, if the server is right, move "
                          ".pm/ledger.db aside (the next command copies the server's afresh)",
                          at.where(), id, what),
              Exit::integrity);
}

/// Pulls inside the open write transaction: what the server holds after the replica's head.
SyncResult pull_in_transaction(Ledger& replica, Server& server, const ServerLocation& at) {
  LedgerHead head = replica.head();
  SyncResult result;
  std::string expected_hash = head.hash;
  std::int64_t expected_id = head.id + 1;
  bool ok = server.fetch(
      at.key, head.id, head.answer_id,
      [&](StoredRow& row) {
        if (row.entry.id != expected_id) {
          not_continued(at, row.entry.id, "is out of order");
        }
        if (expected_id > 1 && row.prev_hash.value_or("") != expected_hash) {
          not_continued(at, row.entry.id, "does not chain to the one before it");
        }
        const std::string hash = entry_hash(row.prev_hash.value_or(""), row.entry);
        if (row.hash.value_or("") != hash) {
          not_continued(at, row.entry.id, "does not match its hash");
        }
        replica.append_stored(row);
        expected_hash = hash;
        ++expected_id;
        ++result.entries;
      },
      [&](StoredAnswer& answer) {
        replica.append_stored(answer);
        ++result.answers;
      });
  if (!ok) {
    throw_server_error(server, at.where(), "read the ledger from");
  }
  return result;
}

class ServerRemote final : public LedgerRemote {
 public:
  ServerRemote(std::unique_ptr<Server> server, ServerLocation at)
      : m_server(std::move(server)), m_at(std::move(at)) {}

  void begin_write(Ledger& ledger) override {
    if (!m_server->begin_write(m_at.key)) {
      throw_server_error(*m_server, m_at.where(), "write to");
    }
    pull_in_transaction(ledger, *m_server, m_at);
    m_base = ledger.head();
  }

  void commit_write(Ledger& ledger) override {
    bool ok = true;
    ledger.each_stored(
        m_base.id, m_base.answer_id,
        [&](const StoredRow& row) { ok = ok && m_server->insert(row); },
        [&](const StoredAnswer& answer) { ok = ok && m_server->insert(answer); });
    if (!ok || !m_server->commit()) {
      throw_server_error(*m_server, m_at.where(), "write to");
    }
  }

  void abort_write() noexcept override { m_server->rollback(); }

 private:
  std::unique_ptr<Server> m_server;
  ServerLocation m_at;
  LedgerHead m_base;  ///< the replica's head when the write began: what follows is pushed
};

}  // namespace

SyncResult pull(Ledger& replica, Server& server, const ServerLocation& at) {
  try {
    SQLite::Transaction tx(replica.db(), SQLite::TransactionBehavior::IMMEDIATE);
    SyncResult result = pull_in_transaction(replica, server, at);
    tx.commit();
    return result;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_sqlite(e, replica.path(), "update the replica");
  }
}

void attach_server(Ledger& replica, std::unique_ptr<Server> server, const ServerLocation& at) {
  replica.set_remote(std::make_unique<ServerRemote>(std::move(server), at));
}

void copy_from_server(Server& server, const ServerLocation& at, Ledger& into) {
  SQLite::Transaction tx(into.db());
  bool ok = server.fetch(
      at.key, 0, 0, [&](StoredRow& row) { into.append_stored(row); },
      [&](StoredAnswer& answer) { into.append_stored(answer); });
  if (!ok) {
    throw_server_error(server, at.where(), "read the ledger from");
  }
  tx.commit();
}

void push_all(Ledger& ledger, Server& server, const ServerLocation& at, const std::string& config) {
  if (!server.begin_write(at.key)) {
    throw_server_error(server, at.where(), "write to");
  }
  if (!server.create_project(at.key, config)) {
    server.rollback();
    throw_server_error(server, at.where(), "create the project on");
  }
  bool ok = true;
  ledger.each_stored(
      0, 0, [&](const StoredRow& row) { ok = ok && server.insert(row); },
      [&](const StoredAnswer& answer) { ok = ok && server.insert(answer); });
  if (!ok || !server.commit()) {
    server.rollback();
    throw_server_error(server, at.where(), "copy the ledger to");
  }
}

}  // namespace pm
