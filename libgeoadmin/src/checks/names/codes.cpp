#include "checks/names/impl.hpp"

namespace geoadmin {

std::string NameChecker::Impl::check_code(const Record& r, const std::string& raw,
                                          const std::u32string& u, std::string_view key,
                                          std::vector<Finding>& out) {
    std::string_view t = trim_ascii(raw);
    std::string code = normalize_division_code(t);
    if (code.empty()) {
        emit(out, "NAME-CODE-FORMAT", subject(r, f_code, key), {{"code", std::string(t)}});
        return {};
    }
    codes.push_back({code_number(code), r.row, static_cast<std::uint32_t>(layer_no), 0});
    // `part` and `problem` are terms of data-schemas/rules.json.
    auto range = [&](const char* part, const std::string& v, const char* problem) {
        emit(
            out, "NAME-CODE-RANGE", subject(r, f_code, key),
            {{"code", std::string(t)}, term("part", part), {"value", v}, term("problem", problem)});
    };
    if (!valid_province(std::stoi(code.substr(0, 2)))) {
        range("code.part.province", code.substr(0, 2), "code.province_unknown");
    }
    if (code.size() == 9) {
        int t3 = std::stoi(code.substr(6, 3));
        if (t3 < 1 || t3 > 599) {
            range("code.part.township", code.substr(6, 3), "code.township_range");
        } else if (ends_with(u, U"街道") && t3 > 99) {
            range("code.part.township", code.substr(6, 3), "code.township_subdistrict");
        } else if (ends_with(u, U"镇") && (t3 < 100 || t3 > 199)) {
            range("code.part.township", code.substr(6, 3), "code.township_town");
        } else if (ends_with(u, U"乡") && (t3 < 200 || t3 > 399)) {
            range("code.part.township", code.substr(6, 3), "code.township_township");
        }
    } else if (code.size() == 12) {
        int v3 = std::stoi(code.substr(9, 3));
        bool residents =
            ends_with(u, U"社区") || ends_with(u, U"居委会") || ends_with(u, U"居民委员会");
        bool village =
            ends_with(u, U"村") || ends_with(u, U"村委会") || ends_with(u, U"村民委员会");
        if (v3 > 399) {
            range("code.part.village", code.substr(9, 3), "code.village_range");
        } else if (residents && v3 > 199) {
            range("code.part.village", code.substr(9, 3), "code.village_residents");
        } else if (village && v3 < 200) {
            range("code.part.village", code.substr(9, 3), "code.village_committee");
        }
    }
    std::string parent = division_parent(code);
    if (!parent.empty() && !divisions->contains(parent)) {
        Pending p{rules.make("NAME-CODE-PARENT-MISSING", subject(r, f_code, key),
                             {{"code", code}, {"parent", parent}}),
                  parent, layer_no, r.row};
        if (rules.enabled("NAME-CODE-PARENT-MISSING"))
            pending.push_back(std::move(p));
    }
    return code;
}

}  // namespace geoadmin
