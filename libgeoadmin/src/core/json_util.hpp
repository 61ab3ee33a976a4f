// Internal: reading the JSON tables and configuration files (rules, categories, readings).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace geoadmin::detail {

/// The whole file; throws InputError naming `path` when it cannot be opened.
std::string read_text_file(const std::string& path);
/// Parses JSON text; throws ConfigError naming `origin` when it is not valid JSON.
nlohmann::json parse_json(std::string_view text, const std::string& origin);

}  // namespace geoadmin::detail
