// Helpers the end-to-end tests share: JSON Lines output and the example county's files.
#pragma once

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "test_config.hpp"

namespace geoadmin::test {

/// One JSON value per line of `text` (the `--format json` output of the checks).
inline std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        out.push_back(nlohmann::json::parse(line));
    return out;
}

/// A file of examples/anji/.
inline std::string example(const std::string& name) {
    return std::string(GEOADMIN_SOURCE_DIR) + "/examples/anji/" + name;
}

}  // namespace geoadmin::test
