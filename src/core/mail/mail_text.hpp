#pragma once
// Text from mail made safe for pm (internal to src/core/mail, used by mail_reader.cpp): one
// clean line from a header value, a clean body text, and header values prepared for GMime.
#include <cstddef>
#include <string>
#include <string_view>

namespace pm::mail_text {

/// One line of valid UTF-8 from a decoded header value: line breaks before white space
/// (folding) dropped, other breaks, C0 and C1 controls and DEL as spaces, trimmed. Bytes that
/// are not UTF-8 become U+FFFD. nullptr gives "".
std::string clean_line(const char* text);

/// A body text: valid UTF-8, CRLF and CR as '\n', controls but LF and TAB as spaces, at most
/// `limit` bytes, cut between characters.
std::string clean_text(std::string_view text, std::size_t limit);

/// `text` cut to at most `limit` bytes, between two UTF-8 characters.
std::string cut_utf8(std::string text, std::size_t limit);

/// A raw header value as GMime 3.2.13 decodes it right: each "B" encoded-word rewritten as the
/// same bytes "Q"-encoded (GMime joins adjacent encoded-words of one charset before decoding,
/// which keeps a character split between two words, but its base64 decoder stops at the first
/// word's '=' padding and drops the rest: gmime issue #133), and C0 controls but TAB, CR and
/// LF as spaces (one makes GMime's address parser give up on the whole header).
std::string prepared_header(std::string_view raw);

}  // namespace pm::mail_text
