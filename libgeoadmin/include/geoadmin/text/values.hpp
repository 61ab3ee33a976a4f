// Values as users write them in registers and tables: numbers with full-width digits,
// angles in decimal degrees or degrees-minutes-seconds, surrounding blanks.
#pragma once

#include "geoadmin/core/export.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace geoadmin {

/// Parses a longitude or latitude: decimal degrees or DMS (116°23′45.6″, 116 23 45.6,
/// 116d23m45.6s, with optional E/W/N/S). nullopt when malformed or minutes/seconds >= 60.
GEOADMIN_API std::optional<double> parse_angle(std::string_view text);
/// Parses a plain number (surrounding spaces allowed, full-width digits folded);
/// nullopt when not a finite number.
GEOADMIN_API std::optional<double> parse_number(std::string_view text);
/// Unicode NFKC normalisation: full-width forms (１２３．－) folded to half-width.
GEOADMIN_API std::string fold_width(std::string_view text);
/// `s` without leading and trailing ASCII blanks.
GEOADMIN_API std::string_view trim(std::string_view s);

}  // namespace geoadmin
