#pragma once
// Text into HTML: what the ledger holds is never markup. Every string a page shows goes
// through here, as element text or as a quoted attribute value.
#include <string>
#include <string_view>

namespace pm {

/// Appends `text` escaped for HTML element text and for a double- or single-quoted attribute:
/// & < > " ' as character references, invalid UTF-8 as U+FFFD, and C0/C1 controls and DEL
/// (other than LF and TAB) as the visible escapes printable_text writes.
void append_html(std::string& out, std::string_view text);
/// The same, as a new string.
std::string html_escaped(std::string_view text);

}  // namespace pm
