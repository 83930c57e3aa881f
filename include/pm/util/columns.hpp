#pragma once
// Text in terminal columns: how wide a cell is, cutting it with "…", and narrowing a table to
// the terminal. Kept apart from what makes cell text safe to print (escaping), which the
// table printer applies first.
#include <string>
#include <string_view>
#include <vector>

namespace pm {

/// Columns `text` takes on a terminal: 2 for wide (CJK, emoji) characters, none for combining
/// marks, zero-width characters and colour sequences ("\033[2m"), 1 for the rest (a byte that
/// is not UTF-8 too).
std::size_t display_width(std::string_view text);

/// `text` if it fits in `width` columns; else as much of it as fits in `width` - 1, then "…".
/// Never cuts inside a UTF-8 character or a colour sequence; a cut text that used colour ends
/// with a reset ("\033[0m") so the colour does not run on.
std::string cut_to_width(std::string_view text, std::size_t width);

/// Narrows `widths` (a table's columns, `gap` spaces between them) until the table fits in
/// `limit` columns, taking from the widest column first and leaving none narrower than
/// `narrowest` (nor than it was). A `limit` of 0 means no limit. Returns the new widths; the
/// table may still be wider than `limit` when every column is at its narrowest.
std::vector<std::size_t> fit_widths(std::vector<std::size_t> widths, std::size_t gap,
                                    std::size_t limit, std::size_t narrowest = 8);

}  // namespace pm
