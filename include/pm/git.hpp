#pragma once
// What pm reads from git: commits, their trailers, and where hooks live.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pm/time.hpp"

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

/// HEAD's commit message read from its loose object, without starting git; std::nullopt when
/// git is needed to know it (a packed ref or object, an `encoding` header, anything unusual).
/// The git hook uses it to return at once from commits without trailers.
std::optional<std::string> read_head_message(const std::filesystem::path& repo);

/// The reflog subject of HEAD ("commit (amend): ...", "rebase (pick): ..."), or empty.
std::string head_reflog_subject(const std::filesystem::path& repo);

/// The directory git runs hooks from (core.hooksPath respected), absolute.
std::filesystem::path hooks_dir(const std::filesystem::path& repo);

}  // namespace pm
