#pragma once
// What pm reads from git: commits, their trailers, and where hooks live.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pm/time/time.hpp"

namespace pm {

struct Trailer {
  std::string key;    ///< as written: "Agreed", "Решение", ...
  std::string value;  ///< continuation lines joined with a space
};

/// Git's trailers: "Key: value" lines of the message's last paragraph (not the subject),
/// continuation lines indented.
std::vector<Trailer> parse_trailers(const std::string& message);

struct Commit {
  std::string id;  ///< full hash
  std::string author;
  Instant date{};  ///< the author date
  std::string subject;
  std::string message;
};

/// Reads commit `rev` of the repository at `repo`; throws pm::Error when git cannot.
Commit read_commit(const std::filesystem::path& repo, const std::string& rev);

/// HEAD's commit, as read_commit(repo, "HEAD") gives it, read from its loose object without
/// starting git; std::nullopt when git is needed to know it (a packed ref or object, an
/// `encoding` header, anything unusual). The git hook reads every commit this way first.
std::optional<Commit> read_head_commit(const std::filesystem::path& repo);
/// The same for the commit `id` (a full hash), as after an amend or a rebase.
std::optional<Commit> read_loose_commit(const std::filesystem::path& repo, const std::string& id);
/// HEAD's raw commit message (read_head_commit's, without git log's final newline).
std::optional<std::string> read_head_message(const std::filesystem::path& repo);

/// The reflog subject of HEAD ("commit (amend): ...", "rebase (pick): ..."), or empty: the last
/// line of the HEAD reflog, or git's answer when that file cannot say.
std::string head_reflog_subject(const std::filesystem::path& repo);

/// The directory git runs hooks from (core.hooksPath respected), absolute.
std::filesystem::path hooks_dir(const std::filesystem::path& repo);

}  // namespace pm
