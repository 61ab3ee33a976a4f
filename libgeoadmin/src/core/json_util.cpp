#include "core/json_util.hpp"

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "geoadmin/core/error.hpp"

namespace geoadmin::detail {

std::string read_text_file(const std::string& path) {
    // Only a regular file: a FIFO would make the read wait for ever, a device never end.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw InputError(path, std::filesystem::exists(path, ec)
                                   ? "is not a regular file (a folder, pipe or device)"
                                   : "no such file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, "cannot open the file");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

namespace {

// "line L, column C" of byte `offset` of `text`.
std::string position_of(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1);
}

}  // namespace

nlohmann::json parse_json(std::string_view text, const std::string& origin) {
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& e) {
        throw ConfigError(origin,
                          "not valid JSON at " + position_of(text, e.byte) + ": " + e.what());
    } catch (const nlohmann::json::out_of_range& e) {
        // A number beyond a double (1e400): name it and where it stands.
        std::string what = e.what();
        std::string where;
        const auto open = what.find('\'');
        const auto close = what.rfind('\'');
        if (open != std::string::npos && close > open + 1) {
            const std::string token = what.substr(open + 1, close - open - 1);
            const auto at = text.find(token);
            if (at != std::string_view::npos)
                where = " at " + position_of(text, at);
            throw ConfigError(origin, "the number " + token + where +
                                          " is out of range (larger than any value a rule takes)");
        }
        throw ConfigError(origin, std::string("not valid JSON: ") + what);
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError(origin, std::string("not valid JSON: ") + e.what());
    }
}

}  // namespace geoadmin::detail
