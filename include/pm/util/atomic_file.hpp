#pragma once
// Writing files safely: every file pm writes goes through here (docs/reliability.md).
//
// A regular file (or a new one) is written to a temporary file with an unpredictable name in
// the same directory, created with O_EXCL|O_NOFOLLOW (a link planted there is never followed),
// fsync'd and renamed over the target, and the directory is fsync'd: readers see the old file
// or the new one, never half of one, and a crash loses at most this write. A target that
// exists and is not a regular file (/dev/null, a FIFO, a terminal) is written into directly,
// never replaced. A symbolic link as the target is followed only to something that is not a
// regular file (/dev/stdout when it is a pipe or a terminal); a link to a regular file is
// refused, as a link planted at an output path in a shared directory would overwrite its
// target.
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

namespace pm {

/// Mode of the files pm creates: owner only. Existing files keep theirs.
constexpr unsigned k_private_file_mode = 0600;

/// One output being written: a file as described above, or stdout for "" and "-". Opening
/// checks everything that can be checked before the content exists (the directory, links,
/// permissions), so a command can refuse before it records anything. Destroyed without
/// commit(), it leaves the target as it was.
class OutputFile {
 public:
  /// Opens the way to `target`; `new_mode` is the exact mode (umask aside) of a file that
  /// does not exist yet. Throws pm::Error naming the file when it cannot be written.
  explicit OutputFile(const std::filesystem::path& target,
                      unsigned new_mode = k_private_file_mode);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  /// Where the content goes (buffered; errors are reported by commit()).
  std::ostream& stream();
  /// Flushes, syncs and renames into place; throws pm::Error when any of it failed (the
  /// target is then unchanged, unless it is written directly: a device, a FIFO, stdout).
  void commit();
  /// True when the output is standard output ("" or "-").
  bool is_stdout() const;

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

/// Writes `content` to `file` as OutputFile does (never "-": this is for pm's own files).
void write_file_atomic(const std::filesystem::path& file, const std::string& content,
                       unsigned new_mode = k_private_file_mode);
/// The same, streaming: `write` fills the file (large exports never sit in memory).
void write_file_atomic(const std::filesystem::path& file,
                       const std::function<void(std::ostream&)>& write,
                       unsigned new_mode = k_private_file_mode);

/// Creates directory `dir` (its parent must exist) with the permissions of its parent
/// (a shared, setgid .pm/ gives shared subdirectories); nothing when it exists already.
void create_directory_like_parent(const std::filesystem::path& dir);

}  // namespace pm
