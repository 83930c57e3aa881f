// The mail reader (pm/mail/mail_reader.hpp): whatever bytes a mailbox holds, a message is either
// refused with pm::Error or handed out as its contract says: every string valid UTF-8, one-line
// fields without control characters, `text` with only '\n' and '\t', the body within its limit.
#include <string>

#include "fuzz.hpp"
#include "pm/mail/mail_reader.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"

namespace {

using pm::fuzz::check;

bool clean_line(const std::string& s) {
  if (pm::invalid_utf8_at(s) != std::string::npos) {
    return false;
  }
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) {
      return false;
    }
  }
  return true;
}

bool clean_text(const std::string& s) {
  if (pm::invalid_utf8_at(s) != std::string::npos) {
    return false;
  }
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, unsigned long size) {
  const std::string raw(pm::fuzz::text_of(data, size));
  pm::MailMessage m;
  try {
    m = pm::parse_mail_message(raw, "fuzz.eml");
  } catch (const pm::Error&) {
    return 0;
  }
  check(clean_line(m.message_id), "message_id is not one clean line");
  check(clean_line(m.subject), "subject is not one clean line");
  check(clean_line(m.from.name) && clean_line(m.from.address), "From is not clean");
  check(!m.from.address.empty(), "a message without a From address was handed out");
  for (const auto* list : {&m.to, &m.cc}) {
    for (const auto& box : *list) {
      check(clean_line(box.name) && clean_line(box.address), "To or Cc is not clean");
    }
  }
  for (const auto* ids : {&m.in_reply_to, &m.references}) {
    for (const auto& id : *ids) {
      check(clean_line(id), "a referenced id is not one clean line");
    }
  }
  for (const auto& [name, value] : m.pm_headers) {
    check(clean_line(name) && clean_line(value), "an X-PM- header is not clean");
  }
  check(clean_text(m.text), "the text holds controls or bad UTF-8");
  check(m.text.size() <= 64 * 1024, "the text is over its 64 KiB limit");
  return 0;
}
