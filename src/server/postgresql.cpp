// pm-postgresql.so: the ledger server's engine (include/pm/storage/server.hpp), on libpqxx.
// Many projects share one database: every table carries the project's key. The database keeps
// the guarantees itself, whoever connects (docs/server.md): rows are never updated or deleted
// (triggers, and a writer role with INSERT and SELECT only), each project's entries extend its
// chain one at a time (a trigger checks the id, the previous hash and the per-kind number
// against the entries before it), and writers take the project's advisory lock.
#include <pqxx/pqxx>

#include <string>
#include <vector>

#include "pm/storage/server.hpp"

namespace pm {
namespace {

/// The server's tables, step by step; the format is the number of steps. Step N takes the
/// database from format N to N+1, in one transaction under a lock (two pm at once migrate
/// once).
const std::vector<const char*>& server_steps() {
  static const std::vector<const char*> k_steps = {
      R"sql(
CREATE TABLE pm_projects (
  project    text PRIMARY KEY CHECK (project ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);
-- project.yaml as the pm working on the project last had it, for the portfolio and for a
-- second machine joining the project. Appended when it changes.
CREATE TABLE pm_configs (
  project     text NOT NULL REFERENCES pm_projects,
  seq         bigserial,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  config      text NOT NULL,
  PRIMARY KEY (project, seq)
);
-- The entries table of every project's ledger, column for column as SQLite stores it
-- (src/core/storage/schema.cpp), plus the per-kind number of the numbers table.
CREATE TABLE pm_entries (
  project      text NOT NULL REFERENCES pm_projects,
  id           bigint NOT NULL CHECK (id > 0),
  kind         text NOT NULL,
  recorded_at  text NOT NULL,
  effective_at text NOT NULL,
  author       text NOT NULL,
  source       text NOT NULL,
  text         text NOT NULL,
  ref          bigint,
  due          text,
  data         text NOT NULL,
  prev_hash    text,
  hash         text,
  number       bigint,
  kind_number  bigint,
  PRIMARY KEY (project, id),
  UNIQUE (project, kind, kind_number),
  FOREIGN KEY (project, ref) REFERENCES pm_entries (project, id)
);
CREATE TABLE pm_nps_answers (
  project     text NOT NULL REFERENCES pm_projects,
  id          bigint NOT NULL CHECK (id > 0),
  entry_id    bigint NOT NULL,
  answered_on text NOT NULL,
  score       integer NOT NULL CHECK (score BETWEEN 0 AND 10),
  client      text NOT NULL,
  contact     text NOT NULL,
  manager     text NOT NULL,
  fingerprint bigint,
  comment     text,
  at          text,
  PRIMARY KEY (project, id)
);
-- Each project's head (newest entry and answer) is read from these tables by primary key
-- (k_project_sql), not kept in a row of its own: one row updated for every entry of a long
-- transaction (a ledger moved here) would grow a chain of row versions that every later
-- update walks.
CREATE INDEX pm_nps_answers_entry ON pm_nps_answers (project, entry_id);

CREATE FUNCTION pm_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER pm_projects_append_only BEFORE UPDATE OR DELETE ON pm_projects
  FOR EACH ROW EXECUTE FUNCTION pm_append_only();
CREATE TRIGGER pm_configs_append_only BEFORE UPDATE OR DELETE ON pm_configs
  FOR EACH ROW EXECUTE FUNCTION pm_append_only();
CREATE TRIGGER pm_entries_append_only BEFORE UPDATE OR DELETE ON pm_entries
  FOR EACH ROW EXECUTE FUNCTION pm_append_only();
CREATE TRIGGER pm_nps_answers_append_only BEFORE UPDATE OR DELETE ON pm_nps_answers
  FOR EACH ROW EXECUTE FUNCTION pm_append_only();
CREATE TRIGGER pm_projects_no_truncate BEFORE TRUNCATE ON pm_projects
  FOR EACH STATEMENT EXECUTE FUNCTION pm_append_only();
CREATE TRIGGER pm_configs_no_truncate BEFORE TRUNCATE ON pm_configs
  FOR EACH STATEMENT EXECUTE FUNCTION pm_append_only();
CREATE TRIGGER pm_entries_no_truncate BEFORE TRUNCATE ON pm_entries
  FOR EACH STATEMENT EXECUTE FUNCTION pm_append_only();
CREATE TRIGGER pm_nps_answers_no_truncate BEFORE TRUNCATE ON pm_nps_answers
  FOR EACH STATEMENT EXECUTE FUNCTION pm_append_only();

-- An entry extends its project's chain: the entry before it exists (so ids run 1, 2, 3...,
-- and the primary key lets one writer have each id), it chains to that entry's hash, and it
-- carries the next number of its kind. Two writers racing for one id: the second fails on the
-- key. SECURITY DEFINER with the schema fixed (@schema@, made at migration), so a writer's
-- search_path cannot redirect it.
CREATE FUNCTION pm_entries_extend() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = @schema@, pg_temp AS $$
DECLARE
  before_hash text;
  last        bigint;
BEGIN
  IF NEW.id > 1 THEN
    SELECT COALESCE(hash, '') INTO before_hash FROM pm_entries
      WHERE project = NEW.project AND id = NEW.id - 1;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'entry % of project % does not follow its newest entry', NEW.id,
        NEW.project USING ERRCODE = 'unique_violation';
    END IF;
    IF NEW.prev_hash IS DISTINCT FROM before_hash THEN
      RAISE EXCEPTION 'entry % of project % does not chain to entry %', NEW.id, NEW.project,
        NEW.id - 1 USING ERRCODE = 'unique_violation';
    END IF;
  END IF;
  IF NEW.kind_number IS NOT NULL THEN
    SELECT max(kind_number) INTO last FROM pm_entries
      WHERE project = NEW.project AND kind = NEW.kind;
    IF NEW.kind_number <> COALESCE(last, 0) + 1 THEN
      RAISE EXCEPTION 'entry % of project % is % number %, not the next one', NEW.id,
        NEW.project, NEW.kind, NEW.kind_number USING ERRCODE = 'unique_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER pm_entries_extend BEFORE INSERT ON pm_entries
  FOR EACH ROW EXECUTE FUNCTION pm_entries_extend();

CREATE FUNCTION pm_nps_answers_extend() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = @schema@, pg_temp AS $$
BEGIN
  IF NEW.id > 1 AND NOT EXISTS (SELECT 1 FROM pm_nps_answers
                                WHERE project = NEW.project AND id = NEW.id - 1) THEN
    RAISE EXCEPTION 'answer % of project % does not follow its newest answer', NEW.id,
      NEW.project USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER pm_nps_answers_extend BEFORE INSERT ON pm_nps_answers
  FOR EACH ROW EXECUTE FUNCTION pm_nps_answers_extend();
)sql",
  };
  return k_steps;
}

/// What libpq and the server said, on one line.
std::string one_line(const std::string& what) {
  std::string out;
  for (char c : what) {
    if (c == '\n' || c == '\r') {
      if (!out.empty() && out.back() != ' ') {
        out += ' ';
      }
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out;
}

const char* null_or(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }
const char* null_if_empty(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

std::optional<std::string> text_or_null(const pqxx::field& f) {
  if (f.is_null()) {
    return std::nullopt;
  }
  return f.c_str();
}

class PostgresServer final : public Server {
 public:
  explicit PostgresServer(const std::string& url) : m_connection(url) {}

  bool open() {
    return run([&] {
      migrate();
      prepare();
    });
  }

  int format() const override { return m_format; }

  bool create_project(const std::string& key, const std::string& config) override {
    return run([&] {
      if (m_write) {
        create_in(*m_write, key, config);  // with the rows that follow, all or nothing
        return;
      }
      pqxx::work tx(m_connection);
      create_in(tx, key, config);
      tx.commit();
    });
  }

  bool project(const std::string& key, ServerProject& out, bool& found) override {
    return run([&] {
      pqxx::read_transaction tx(m_connection);
      pqxx::result r = tx.exec_params(k_project_sql + std::string(" WHERE h.project = $1"), key);
      found = !r.empty();
      if (found) {
        out = read_project(r[0]);
      }
    });
  }

  bool projects(std::vector<ServerProject>& out) override {
    return run([&] {
      pqxx::read_transaction tx(m_connection);
      out.clear();
      for (const auto& row : tx.exec(k_project_sql + std::string(" ORDER BY h.project"))) {
        out.push_back(read_project(row));
      }
    });
  }

  bool record_config(const std::string& key, const std::string& config) override {
    return run([&] {
      pqxx::work tx(m_connection);
      tx.exec_params(
          "INSERT INTO pm_configs (project, config) SELECT $1, $2 WHERE $2 IS DISTINCT FROM "
          "(SELECT config FROM pm_configs WHERE project = $1 ORDER BY seq DESC LIMIT 1)",
          key, config);
      tx.commit();
    });
  }

  bool fetch(const std::string& key, std::int64_t after_entry, std::int64_t after_answer,
             const std::function<void(StoredRow&)>& entry,
             const std::function<void(StoredAnswer&)>& answer) override {
    return run([&] {
      if (m_write) {
        read_rows(*m_write, key, after_entry, after_answer, entry, answer);
        return;
      }
      pqxx::read_transaction tx(m_connection);
      read_rows(tx, key, after_entry, after_answer, entry, answer);
    });
  }

  bool begin_write(const std::string& key) override {
    return run([&] {
      m_write.reset();
      m_write = std::make_unique<pqxx::work>(m_connection);
      m_key = key;
      // One writer a project at a time, across machines: the chain's tail is read, extended
      // and committed under this lock, held to the end of the transaction.
      m_write->exec_params("SELECT pg_advisory_xact_lock(hashtextextended('pm ' || $1, 0))",
                           key);
    });
  }

  bool insert(const StoredRow& r) override {
    return run([&] {
      const StoredEntry& e = r.entry;
      m_write->exec_prepared(
          "pm_insert_entry", m_key, e.id, e.kind, e.recorded_at, e.effective_at, e.author,
          e.source, e.text, null_if_empty(e.ref), null_if_empty(e.due), e.data,
          null_or(r.prev_hash), null_or(r.hash), null_if_empty(e.number),
          r.kind_number != 0 ? std::to_string(r.kind_number).c_str() : nullptr);
    });
  }

  bool insert(const StoredAnswer& a) override {
    return run([&] {
      std::optional<std::string> fingerprint;
      if (a.fingerprint) {
        fingerprint = std::to_string(*a.fingerprint);
      }
      m_write->exec_prepared("pm_insert_answer", m_key, a.id, a.entry_id, a.answered_on,
                             a.score, a.client, a.contact, a.manager, null_or(fingerprint),
                             null_or(a.comment), null_or(a.at));
    });
  }

  bool commit() override {
    return run([&] {
      auto write = std::move(m_write);
      write->commit();
    });
  }

  void rollback() noexcept override {
    try {
      if (m_write) {
        m_write->abort();
      }
    } catch (...) {
    }
    m_write.reset();
  }

 private:
  /// A refusal pm makes itself, with its kind.
  struct Refusal {
    ServerFailure failure;
    std::string message;
  };

  static void create_in(pqxx::work& tx, const std::string& key, const std::string& config) {
    pqxx::result taken = tx.exec_params("SELECT 1 FROM pm_projects WHERE project = $1", key);
    if (!taken.empty()) {
      throw Refusal(ServerFailure::conflict, "the server already holds a project '" + key + "'");
    }
    tx.exec_params("INSERT INTO pm_projects (project) VALUES ($1)", key);
    tx.exec_params("INSERT INTO pm_configs (project, config) VALUES ($1, $2)", key, config);
  }

  /// Every project with its head: the newest entry and answer, each one primary-key lookup.
  static constexpr const char* k_project_sql =
      "SELECT h.project, COALESCE(e.id, 0), COALESCE(e.hash, ''), COALESCE(a.id, 0), "
      "(SELECT config FROM pm_configs c WHERE c.project = h.project ORDER BY seq DESC LIMIT 1) "
      "FROM pm_projects h "
      "LEFT JOIN LATERAL (SELECT id, hash FROM pm_entries WHERE project = h.project "
      "ORDER BY id DESC LIMIT 1) e ON true "
      "LEFT JOIN LATERAL (SELECT id FROM pm_nps_answers WHERE project = h.project "
      "ORDER BY id DESC LIMIT 1) a ON true";

  static ServerProject read_project(const pqxx::row& row) {
    ServerProject p;
    p.key = row[0].c_str();
    p.head_id = row[1].as<std::int64_t>();
    p.head_hash = row[2].c_str();
    p.answers = row[3].as<std::int64_t>();
    p.config = row[4].is_null() ? "" : row[4].c_str();
    return p;
  }

  void read_rows(pqxx::transaction_base& tx, const std::string& key, std::int64_t after_entry,
                 std::int64_t after_answer, const std::function<void(StoredRow&)>& entry,
                 const std::function<void(StoredAnswer&)>& answer) {
    StoredRow row;
    for (const auto& f : tx.exec_params(
             "SELECT id, kind, recorded_at, effective_at, author, source, text, ref, due, data, "
             "prev_hash, hash, number, kind_number FROM pm_entries WHERE project = $1 AND id > "
             "$2 ORDER BY id",
             key, after_entry)) {
      StoredEntry& e = row.entry;
      e.id = f[0].as<std::int64_t>();
      e.kind = f[1].c_str();
      e.recorded_at = f[2].c_str();
      e.effective_at = f[3].c_str();
      e.author = f[4].c_str();
      e.source = f[5].c_str();
      e.text = f[6].c_str();
      e.ref = f[7].is_null() ? "" : f[7].c_str();
      e.due = f[8].is_null() ? "" : f[8].c_str();
      e.data = f[9].c_str();
      row.prev_hash = text_or_null(f[10]);
      row.hash = text_or_null(f[11]);
      e.number = f[12].is_null() ? "" : f[12].c_str();
      row.kind_number = f[13].is_null() ? 0 : f[13].as<std::int64_t>();
      entry(row);
    }
    StoredAnswer a;
    for (const auto& f : tx.exec_params(
             "SELECT id, entry_id, answered_on, score, client, contact, manager, fingerprint, "
             "comment, at FROM pm_nps_answers WHERE project = $1 AND id > $2 ORDER BY id",
             key, after_answer)) {
      a.id = f[0].as<std::int64_t>();
      a.entry_id = f[1].as<std::int64_t>();
      a.answered_on = f[2].c_str();
      a.score = f[3].as<std::int64_t>();
      a.client = f[4].c_str();
      a.contact = f[5].c_str();
      a.manager = f[6].c_str();
      a.fingerprint = f[7].is_null() ? std::nullopt
                                     : std::optional<std::int64_t>(f[7].as<std::int64_t>());
      a.comment = text_or_null(f[8]);
      a.at = text_or_null(f[9]);
      answer(a);
    }
  }

  void migrate() {
    const int target = static_cast<int>(server_steps().size());
    m_format = read_format();
    if (m_format == target) {
      return;
    }
    if (m_format > target) {
      throw Refusal(ServerFailure::format,
                    "the server's tables have format " + std::to_string(m_format) +
                        ", newer than this pm's (" + std::to_string(target) + "); upgrade pm");
    }
    try {
      pqxx::work tx(m_connection);
      tx.exec("SELECT pg_advisory_xact_lock(hashtextextended('pm schema', 0))");
      tx.exec("CREATE TABLE IF NOT EXISTS pm_format (format integer NOT NULL)");
      pqxx::result r = tx.exec("SELECT format FROM pm_format");
      int format = r.empty() ? 0 : r[0][0].as<int>();
      const std::string schema = tx.quote_name(tx.exec("SELECT current_schema()")[0][0].c_str());
      for (int step = format; step < target; ++step) {
        std::string sql = server_steps()[static_cast<std::size_t>(step)];
        for (auto at = sql.find("@schema@"); at != std::string::npos; at = sql.find("@schema@")) {
          sql.replace(at, 8, schema);
        }
        tx.exec(sql);
      }
      if (r.empty()) {
        tx.exec_params("INSERT INTO pm_format (format) VALUES ($1)", target);
      } else {
        tx.exec_params("UPDATE pm_format SET format = $1", target);
      }
      tx.commit();
    } catch (const pqxx::insufficient_privilege& e) {
      throw Refusal(ServerFailure::format,
                    "the server's database has " +
                        std::string(m_format == 0 ? "no pm tables" : "older pm tables") +
                        " and this role may not create them; connect once as the database's "
                        "owner (docs/server.md, \"Setting up the server\")");
    }
    m_format = target;
  }

  int read_format() {
    pqxx::read_transaction tx(m_connection);
    pqxx::result exists = tx.exec("SELECT to_regclass('pm_format') IS NOT NULL");
    if (!exists[0][0].as<bool>()) {
      return 0;
    }
    pqxx::result r = tx.exec("SELECT format FROM pm_format");
    return r.empty() ? 0 : r[0][0].as<int>();
  }

  void prepare() {
    m_connection.prepare(
        "pm_insert_entry",
        "INSERT INTO pm_entries (project, id, kind, recorded_at, effective_at, author, source, "
        "text, ref, due, data, prev_hash, hash, number, kind_number) VALUES ($1, $2, $3, $4, $5, "
        "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15)");
    m_connection.prepare(
        "pm_insert_answer",
        "INSERT INTO pm_nps_answers (project, id, entry_id, answered_on, score, client, contact, "
        "manager, fingerprint, comment, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        "$11)");
  }

  /// Runs `work`, turning every exception into a failure of its kind.
  template <typename Work>
  bool run(Work&& work) noexcept {
    clear_failure();
    try {
      work();
      return true;
    } catch (const Refusal& r) {
      return fail(r.failure, r.message);
    } catch (const pqxx::in_doubt_error& e) {
      m_write.reset();
      return fail(ServerFailure::in_doubt, one_line(e.what()));
    } catch (const pqxx::broken_connection& e) {
      m_write.reset();
      return fail(ServerFailure::unreachable, one_line(e.what()));
    } catch (const pqxx::insufficient_privilege& e) {
      rollback();
      return fail(ServerFailure::denied, one_line(e.what()));
    } catch (const pqxx::integrity_constraint_violation& e) {
      rollback();
      return fail(ServerFailure::conflict, one_line(e.what()));
    } catch (const std::exception& e) {
      rollback();
      // A connection lost mid-statement shows as a failure without a SQLSTATE.
      return fail(m_connection.is_open() ? ServerFailure::failed : ServerFailure::unreachable,
                  one_line(e.what()));
    } catch (...) {
      rollback();
      return fail(ServerFailure::failed, "an unknown error");
    }
  }

  pqxx::connection m_connection;
  std::unique_ptr<pqxx::work> m_write;
  std::string m_key;
  int m_format = 0;
};

}  // namespace
}  // namespace pm

extern "C" __attribute__((visibility("default"))) pm::Server* pm_server_connect(
    const char* url, pm::ServerFailure* failure, std::string* error) {
  try {
    auto server = std::make_unique<pm::PostgresServer>(url);
    if (!server->open()) {
      *failure = server->failure();
      *error = server->error();
      return nullptr;
    }
    return server.release();
  } catch (const pqxx::broken_connection& e) {
    *failure = pm::ServerFailure::unreachable;
    *error = pm::one_line(e.what());
  } catch (const std::exception& e) {
    *failure = pm::ServerFailure::failed;
    *error = pm::one_line(e.what());
  } catch (...) {
    *failure = pm::ServerFailure::failed;
    *error = "an unknown error";
  }
  return nullptr;
}

extern "C" __attribute__((visibility("default"))) int pm_server_interface() {
  return pm::k_server_interface;
}
