// Delimited text that GDAL's CSV reader would read wrongly without a word: a NUL byte ends
// its line there, a record over its line limit stops the whole file, a byte-order mark at a
// line start is dropped, a quote that never closes swallows every record after it. The
// reader finds such damage while it scans the text (TextDamage), then reads a repaired copy
// made here, with a finding for each repair naming the row and field, so that every record
// is read and every loss is told.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "geoadmin/core/finding.hpp"
#include "geoadmin/core/rules.hpp"

namespace geoadmin::detail {

/// A record longer than this is cut down (GDAL's CSV reader gives up on a line of about
/// 10 MB, and with it on the rest of the file).
constexpr std::uint64_t kMaxRecordBytes = 8U << 20;
/// In a record too long, fields longer than this are cut to kKeptFieldBytes.
constexpr std::uint64_t kMaxFieldBytes = 1U << 20;
constexpr std::uint64_t kKeptFieldBytes = 256;
/// A quoted value running over more line breaks than this is taken for a stray quote.
constexpr std::uint64_t kMaxQuotedLines = 100;

/// What a scan of a delimited text found that GDAL would lose.
struct TextDamage {
    bool nul = false;
    bool long_record = false;
    bool bom_inside = false;
    /// Offsets (in the text scanned, after a leading byte-order mark) of quotes that open a
    /// value never closed, or one running over a line break from the middle of a field.
    std::vector<std::uint64_t> stray_quotes;
    bool any() const { return nul || long_record || bom_inside || !stray_quotes.empty(); }
};

/// The text with its damage repaired: stray quotes (offsets of `stray_quotes`, sorted)
/// dropped, NUL bytes read as U+FFFD, byte-order marks at a line start dropped, in records
/// longer than kMaxRecordBytes the fields beyond the header dropped and fields longer than
/// kMaxFieldBytes cut. Each repair becomes a finding of `path` with its row and field.
std::string repair_delimited_text(std::string_view text, char delim,
                                  const std::vector<std::uint64_t>& stray_quotes,
                                  const RuleSet& rules, const std::string& path,
                                  std::vector<Finding>& findings);

}  // namespace geoadmin::detail
