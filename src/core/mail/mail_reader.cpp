// Reading mail with GMime 3 (loaded at run time, gmime_api.hpp): what a path is (Maildir,
// directory of .eml files, mbox, one message) and its messages in order; what pm takes from
// each message is mail_parse.cpp's.
#include "pm/mail/mail_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include "gmime_api.hpp"
#include "mail_parse.hpp"
#include "mail_text.hpp"
#include "pm/util/error.hpp"
#include "pm/util/sha256.hpp"
#include "pm/util/text.hpp"

namespace fs = std::filesystem;

namespace pm {
namespace {

using gmime::Api;
using gmime::Ref;
using mail_parse::k_not_mail;
using mail_parse::k_too_large;
using mail_parse::parser_options;
using mail_text::clean_line;

// A path for messages: valid UTF-8 on one line, whatever bytes the file name holds.
std::string display(const fs::path& path) { return clean_line(path.c_str()); }

using OnMessage = std::function<void(MailMessage&&)>;
using OnProblem = std::function<void(MailProblem&&)>;

// Reads the message file `file`; returns why it cannot be used or "" (after on_message).
std::string read_message_file(const fs::path& file, const OnMessage& on_message) {
  std::error_code error;
  std::uintmax_t size = fs::file_size(file, error);
  if (error) {
    return "cannot be read: " + error.message();
  }
  if (size > k_mail_message_limit) {
    return std::string(k_too_large);
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return std::string("cannot be read: ") + std::strerror(errno);
  }
  // One byte more than the size: a file that grew since is still bounded by parse_into.
  std::string raw(static_cast<std::size_t>(size) + 1, '\0');
  in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
  if (in.bad()) {
    return "cannot be read";
  }
  raw.resize(static_cast<std::size_t>(in.gcount()));
  MailMessage message;
  message.source = display(file);
  std::string why = mail_parse::parse_into(raw, message);
  if (why.empty()) {
    on_message(std::move(message));
  }
  return why;
}

// The regular files of `dir` whose names do not start with '.' and pass `wanted`.
template <typename Wanted>
void list_files(const fs::path& dir, std::vector<fs::path>& files, Wanted wanted) {
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    std::string name = it->path().filename().string();
    std::error_code type_error;
    if (!name.empty() && name[0] != '.' && it->is_regular_file(type_error) && wanted(name)) {
      files.push_back(it->path());
    }
  }
  if (error) {
    throw Error(display(dir) + ": cannot be listed: " + error.message());
  }
}

void read_files(std::vector<fs::path> files, const OnMessage& on_message,
                const OnProblem& on_problem) {
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return std::pair(a.filename(), a) < std::pair(b.filename(), b);
  });
  for (const fs::path& file : files) {
    if (std::string why = read_message_file(file, on_message); !why.empty()) {
      on_problem(MailProblem{display(file), std::move(why)});
    }
  }
}

// An mbox read with GMime's mbox format: a "From " line starts each message.
void read_mbox(const fs::path& path, const OnMessage& on_message, const OnProblem& on_problem) {
  const Api& g = gmime::api();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  std::ifstream raw_in(path, std::ios::binary);
  if (fd < 0 || !raw_in) {
    int code = errno;
    if (fd >= 0) {
      ::close(fd);
    }
    throw Error(display(path) + ": cannot be read: " + std::strerror(code));
  }
  Ref<GMimeStream> stream(g.g_mime_stream_fs_new(fd));  // owns fd from here
  Ref<GMimeParser> parser(g.g_mime_parser_new_with_stream(stream.get()));
  g.g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MBOX);
  for (int number = 1; !g.g_mime_parser_eos(parser.get()); ++number) {
    std::string source = display(path) + ", message " + std::to_string(number);
    Ref<GMimeMessage> message(g.g_mime_parser_construct_message(parser.get(), parser_options(g)));
    if (!message) {
      if (!g.g_mime_parser_eos(parser.get())) {
        on_problem(MailProblem{source, "not parseable: the rest of the mbox is not read"});
      }
      break;
    }
    gint64 begin = g.g_mime_parser_get_headers_begin(parser.get());
    gint64 end = g.g_mime_parser_tell(parser.get());
    if (begin < 0 || end < begin) {
      on_problem(MailProblem{source, "not parseable"});
      continue;
    }
    auto size = static_cast<std::size_t>(end - begin);
    if (size > k_mail_message_limit) {
      on_problem(MailProblem{source, std::string(k_too_large)});
      continue;
    }
    std::string raw(size, '\0');
    raw_in.seekg(begin);
    raw_in.read(raw.data(), static_cast<std::streamsize>(size));
    raw.resize(static_cast<std::size_t>(std::max<std::streamsize>(raw_in.gcount(), 0)));
    raw_in.clear();
    if (raw.size() >= 2 && raw.ends_with("\n\n")) {
      raw.pop_back();  // the blank line before the next "From " belongs to the mbox
    }
    MailMessage out;
    out.source = source;
    out.digest = sha256_hex(raw);
    if (std::string why = mail_parse::extract(g, parser_options(g), message.get(), out); !why.empty()) {
      on_problem(MailProblem{std::move(source), std::move(why)});
    } else {
      on_message(std::move(out));
    }
  }
}

bool starts_with_from_line(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[5] = {};
  in.read(head, sizeof head);
  return in.gcount() == 5 && std::string_view(head, 5) == "From ";
}

}  // namespace

void read_mail(const fs::path& path, const OnMessage& on_message, const OnProblem& on_problem) {
  std::error_code error;
  fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) {
    throw Error(display(path) + ": no such file or directory");
  }
  if (error) {
    throw Error(display(path) + ": cannot be read: " + error.message());
  }
  std::string shapes = "not a Maildir (cur/ and new/), an mbox, a directory of .eml files "
                       "or a mail message";
  if (fs::is_directory(status)) {
    std::vector<fs::path> files;
    if (fs::is_directory(path / "cur", error) && fs::is_directory(path / "new", error)) {
      gmime::api();  // a missing GMime is an error, also for an empty Maildir
      list_files(path / "cur", files, [](const std::string&) { return true; });
      list_files(path / "new", files, [](const std::string&) { return true; });
    } else {
      list_files(path, files, [](const std::string& name) {
        return name.size() > 4 && ascii_lower(name.substr(name.size() - 4)) == ".eml";
      });
      if (files.empty()) {
        throw Error(display(path) + ": " + shapes);
      }
    }
    read_files(std::move(files), on_message, on_problem);
  } else if (!fs::is_regular_file(status)) {
    throw Error(display(path) + ": " + shapes);
  } else if (starts_with_from_line(path)) {
    read_mbox(path, on_message, on_problem);
  } else {
    std::string why = read_message_file(path, on_message);
    if (why == k_not_mail) {
      throw Error(display(path) + ": " + shapes);
    }
    if (!why.empty()) {
      on_problem(MailProblem{display(path), std::move(why)});
    }
  }
}

}  // namespace pm
