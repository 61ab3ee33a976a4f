#include "geoadmin/model/markers.hpp"

namespace geoadmin {

std::optional<MarkerType> parse_marker_type(std::string_view text) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (text == "单立" || text == "single" || text == "Q")
        return MarkerType::single;
    if (text == "同号双立" || text == "双立" || text == "pair")
        return MarkerType::pair;
    if (text == "同号三立" || text == "三立" || text == "triple")
        return MarkerType::triple;
    return std::nullopt;
}

MarkerType marker_type_of_letter(char letter) {
    switch (letter) {
        case 'Q':
            return MarkerType::single;
        case 'A':
        case 'B':
            return MarkerType::pair;
        case 'C':
        case 'D':
        case 'E':
            return MarkerType::triple;
        default:
            return MarkerType::unknown;
    }
}

std::string MarkerRegister::column(const std::string& canonical) const {
    auto it = columns.find(canonical);
    return it == columns.end() ? canonical : it->second;
}

}  // namespace geoadmin
