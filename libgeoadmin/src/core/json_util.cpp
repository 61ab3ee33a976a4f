#include "core/json_util.hpp"

#include <fstream>
#include <sstream>

#include "geoadmin/core/error.hpp"

namespace geoadmin::detail {

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, "cannot open the file");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

nlohmann::json parse_json(std::string_view text, const std::string& origin) {
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError(origin, std::string("not valid JSON: ") + e.what());
    }
}

}  // namespace geoadmin::detail
