#pragma once

#include "geoadmin/core/export.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace geoadmin {

/// True when `bytes` is well-formed UTF-8.
GEOADMIN_API bool is_valid_utf8(std::string_view bytes);

/// Converts `bytes` in `encoding` (any ICU converter name: GB18030, GBK, CP936, Big5 ...)
/// to UTF-8. nullopt when a byte sequence is invalid in that encoding.
GEOADMIN_API std::optional<std::string> to_utf8(std::string_view bytes,
                                                const std::string& encoding);

/// Converts UTF-8 `text` to `encoding` (GBK, GB18030 ...); nullopt when a character has
/// no representation there.
GEOADMIN_API std::optional<std::string> from_utf8(std::string_view text,
                                                  const std::string& encoding);

/// Guesses the encoding of a text sample: "UTF-8" (ASCII included) when it is valid
/// UTF-8, else "GB18030" when it decodes as GB18030 and holds CJK text, else "".
GEOADMIN_API std::string detect_encoding(std::string_view sample);

/// True when `name` is an encoding ICU knows.
GEOADMIN_API bool is_known_encoding(const std::string& name);

/// `bytes` with every invalid UTF-8 sequence replaced by U+FFFD, for messages.
GEOADMIN_API std::string make_valid_utf8(std::string_view bytes);
/// The longest start of UTF-8 `text` of at most `max_bytes` that ends on a character boundary.
GEOADMIN_API std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);
/// `text` as a message shows it: whole up to `max_bytes`, else its start and its length
/// ("1111... (50004 bytes)").
GEOADMIN_API std::string shortened(std::string_view text, std::size_t max_bytes);

/// Columns `text` takes in a terminal: East Asian wide and full-width characters count 2.
GEOADMIN_API std::size_t display_width(std::string_view text);

/// Removes a leading UTF-8 byte-order mark.
GEOADMIN_API std::string_view strip_bom(std::string_view text);

/// Header normalisation used for matching: Unicode NFKC case folding (full-width to
/// half-width, upper to lower), spaces, '_' and '-' removed, a trailing unit in
/// brackets dropped ("X坐标（m）" -> "x坐标").
GEOADMIN_API std::string normalize_header(std::string_view header);

}  // namespace geoadmin
