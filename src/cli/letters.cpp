#include "cli/letters.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "pm/util/check.hpp"
#include "pm/util/text.hpp"
#include "pm/util/error.hpp"
#include "pm/domain/project_calendar.hpp"
#include "pm/mail/letter.hpp"
#include "pm/mail/submit.hpp"
#include "pm/domain/user_config.hpp"
#include "pm/util/atomic_file.hpp"

namespace pm::cli {

std::pair<std::string, std::string> split_assignment(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw Error(fmt::format("--set '{}': write it as key=value", text));
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

bool wants_html_part(const Session& session, const LetterRequest& request, bool sent) {
  const std::string& format = sent ? std::string("eml") : request.format;
  if (request.html && format != "eml") {
    throw Error(fmt::format("--{} chooses whether an email message has an HTML part: use it with "
                            "--format eml (--format html prints the HTML alone)",
                            *request.html ? "html" : "no-html"),
                Exit::usage);
  }
  return format == "eml" && request.html.value_or(session.config.html);
}

namespace {

/// The letter and its text, as render_letter_text renders them.
std::pair<Letter, std::string> render_request(const Session& session, Ledger& ledger,
                                              const LetterRequest& request) {
  LetterFormat format = parse_letter_format(request.format);
  TemplateLibrary library = TemplateLibrary::for_project(session.paths.templates());
  std::string language = request.language.empty() ? session.config.language : request.language;
  LetterTemplate tmpl = library.load(request.name, language);
  LetterInput input;
  input.sets = request.sets;
  input.to = request.to;
  input.cc = request.cc;
  const bool html_part = wants_html_part(session, request);
  input.markdown = html_part || format == LetterFormat::html;
  if (!request.data_file.empty()) {
    try {
      std::string content = read_file_limited(request.data_file, k_file_limit, "--data " +
                                              request.data_file);
      check_file_text(request.data_file, content);
      input.data = YAML::Load(content);
    } catch (const YAML::Exception& e) {
      throw Error(fmt::format("{}:{}: malformed YAML or JSON: {}", request.data_file,
                              e.mark.line + 1, e.msg));
    }
    if (input.data && !input.data.IsNull() && !input.data.IsMap()) {
      throw Error(fmt::format("{}: expected a map of variable: value", request.data_file));
    }
  }
  const Calendar calendar = project_calendar(session.config, session.paths.dir());
  LetterContext context{session.config, &ledger, session.now, language, request.period, &calendar};
  Letter letter = render_letter(tmpl, context, input);
  // Printed safely: a ledger's bad bytes and controls are shown, never passed on raw.
  std::string text =
      printable_text(format_letter(letter, format, session.now, session.zone, html_part));
  return {std::move(letter), std::move(text)};
}

}  // namespace

std::string render_letter_text(const Session& session, Ledger& ledger,
                               const LetterRequest& request) {
  return render_request(session, ledger, request).second;
}

SentLetter sent_in_transaction(Ledger& ledger, const std::function<SentLetter()>& send) {
  std::optional<WriteTransaction> tx;
  SentLetter sent;
  try {
    tx.emplace(ledger);
    sent = send();
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger.path(), "write to");
  }
  try {
    tx->commit();
  } catch (const std::exception& e) {
    // Rare (a full disk at the very end), and worth saying exactly: the client has the letter.
    throw Error(fmt::format("the letter was sent, but ledger {} could not record it ({}): record "
                            "the copy in your Sent folder with pm letter record FILE.eml",
                            ledger.path(), e.what()));
  }
  return sent;
}

SentLetter send_letter(const Session& session, Ledger& ledger, const LetterRequest& request,
                       std::int64_t answers, const Json& extra, bool dry_run) {
  LetterRequest eml = request;
  eml.format = "eml";
  Letter letter = render_request(session, ledger, eml).first;
  if (answers != 0) {
    if (auto asked = ledger.find_numbered("request", answers)) {
      const std::string id = asked->data.value("message_id", std::string());
      if (!id.empty() && id.rfind("sha256:", 0) != 0) {
        letter.in_reply_to = id;  // its mail client shows the answer in the client's thread
      }
    }
  }
  letter.message_id = new_message_id(letter, session.now);
  const std::string message = format_letter(letter, LetterFormat::eml, session.now, session.zone,
                                            wants_html_part(session, request, true));
  Json data = extra;
  data["format"] = "eml";
  Json about = Json::array();
  for (EntryId id : letter.entries) {
    about.push_back(id);
  }
  if (request.entry != 0 && std::find(letter.entries.begin(), letter.entries.end(),
                                      request.entry) == letter.entries.end()) {
    about.push_back(request.entry);
  }
  data["entries"] = about;
  if (request.period) {
    data["period"] = {{"first", format_date(request.period->first)},
                      {"last", format_date(request.period->last)}};
  }
  data["sent"] = true;
  SentLetter sent = record_sent_letter(ledger, session.config, sent_message(letter, session.now),
                                       data, answers, session.now);
  if (dry_run) {
    std::fputs(printable_text(message).c_str(), stdout);
  } else {
    submit_message(mail_command(session.config, load_user_config(user_config_path())), message);
  }
  return sent;
}

std::string sent_note(Ledger& ledger, const SentLetter& sent) {
  auto e = ledger.find(sent.letter);
  if (!e) {
    return "sent";
  }
  std::vector<std::string> to;
  for (const char* field : {"to", "cc"}) {
    for (const auto& a : e->data.value(field, Json::array())) {
      to.push_back(a.get<std::string>());
    }
  }
  std::string out = fmt::format("sent '{}' to {} (Message-ID <{}>)", printable_line(e->text),
                                join(to), e->data.value("message_id", std::string()));
  if (!sent.answered.empty()) {
    std::vector<std::string> numbers;
    for (auto n : sent.answered) {
      numbers.push_back(fmt::format("I{}", n));
    }
    out += fmt::format("; it replies to {}", join(numbers));
  }
  return out;
}

void print_recorded_letter(const Session& session, Ledger& ledger, const LetterRequest& request) {
  if (request.send) {
    const SentLetter sent = sent_in_transaction(ledger, [&] {
      return send_letter(session, ledger, request, 0, Json::object());
    });
    std::fprintf(stderr, "%s\n", sent_note(ledger, sent).c_str());
    return;
  }
  // Rendered once for its recipients and subject, recorded, then rendered again by
  // record_with_letter, so that its "Ledger: N:HASH" is its own record. The same letter
  // produced again at the same moment (PM_NOW) is not recorded twice, so it comes out byte for
  // byte the same.
  auto record = [&] {
    const Letter first = render_request(session, ledger, request).first;
    Entry e;
    e.kind = "letter";
    e.text = first.subject;
    e.recorded_at = e.effective_at = session.now;
    e.author = session.config.manager.name;
    e.data["template"] = first.template_name;
    e.data["format"] = request.format;
    if (request.period) {
      e.data["period"] = {{"first", format_date(request.period->first)},
                          {"last", format_date(request.period->last)}};
    }
    for (const char* field : {"to", "cc"}) {
      Json list = Json::array();
      for (const auto& m : std::string(field) == "to" ? first.to : first.cc) {
        list.push_back(m.address);
      }
      e.data[field] = list;
    }
    Json about = Json::array();
    for (EntryId id : first.entries) {
      about.push_back(id);
    }
    e.data["entries"] = about;
    EntryQuery newest;
    newest.newest_first = true;
    newest.limit = 1;
    const std::vector<Entry> last = ledger.list(newest);
    const bool again = !last.empty() && last.front().kind == "letter" &&
                       last.front().effective_at == e.effective_at &&
                       last.front().text == e.text && last.front().data == e.data;
    LetterRequest recorded = request;
    recorded.entry = again ? last.front().id : ledger.append(e);
    return recorded;
  };
  record_with_letter(session, ledger, request.output, record, false);
}

void print_letter(const Session& session, Ledger& ledger, const LetterRequest& request) {
  // Opened first: a target that cannot be written is refused before the work of rendering.
  OutputFile out(request.output, project_file_mode(session.config));
  out.stream() << render_letter_text(session, ledger, request);
  out.commit();
}

EntryId record_with_letter(const Session& session, Ledger& ledger, const std::string& output,
                           const std::function<LetterRequest()>& record, bool announce,
                           bool send) {
  if (send) {
    if (!output.empty()) {
      throw Error("-o writes the letter to a file and --send sends it: give one of them",
                  Exit::usage);
    }
    LetterRequest request;
    const SentLetter sent = sent_in_transaction(ledger, [&] {
      request = record();
      return send_letter(session, ledger, request, 0, Json::object());
    });
    std::int64_t number = 0;
    if (auto recorded = ledger.find(request.entry)) {
      number = recorded->number;
    }
    if (announce) {
      std::fprintf(stderr, "%lld\n",
                   static_cast<long long>(number != 0 ? number : request.entry));
    }
    std::fprintf(stderr, "%s\n", sent_note(ledger, sent).c_str());
    return request.entry;
  }
  // 1. The output, before anything is recorded: a directory that does not exist, a link, a
  //    file pm may not write refuse the command while the ledger is unchanged.
  OutputFile out(output, project_file_mode(session.config));
  // 2. The entry and its letter in one write transaction: a letter that cannot be rendered
  //    (a missing address, a template error) rolls the entry back.
  LetterRequest request;
  std::string text;
  try {
    WriteTransaction tx(ledger);
    request = record();
    text = render_letter_text(session, ledger, request);
    tx.commit();
  } catch (const std::exception& e) {
    rethrow_sqlite(e, ledger.path(), "write to");
  }
  EntryId id = request.entry;
  // What the user refers to it by: its number (an agreement's, a change's), else its entry id.
  std::int64_t number = 0;
  if (auto recorded = ledger.find(id)) {
    number = recorded->number;
  }
  if (announce) {
    std::fprintf(stderr, "%lld\n", static_cast<long long>(number != 0 ? number : id));
  }
  // 3. Only the final write is left; when it fails the entry stands, and the exit code says
  //    so, so a script does not record it twice.
  try {
    out.stream() << text;
    out.commit();
  } catch (const Error& e) {
    std::string again = fmt::format("pm render {} --format {}", request.name, request.format);
    for (const auto& [key, value] : request.sets) {
      again += fmt::format(" --set {}={}", key, value);
    }
    throw Error(fmt::format("entry {} was recorded, but its letter was not written ({}); do not "
                            "record it again: write the letter with {} -o FILE",
                            id, e.what(), again),
                Exit::letter_not_written);
  }
  return id;
}

}  // namespace pm::cli
