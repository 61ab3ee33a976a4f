#include "checks/names/impl.hpp"

namespace geoadmin {

std::string NameChecker::Impl::generics_list(const Category& c) {
    std::string s;
    for (size_t i = 0; i < c.generics.size() && i < 8; ++i)
        s += (s.empty() ? "" : "/") + u32_to_utf8(c.generics[i]);
    if (c.generics.size() > 8)
        s += "/…";
    return s;
}

void NameChecker::Impl::check_generic(const Record& r, const std::u32string& u, const Category* cat,
                                      std::string_view key, std::vector<Finding>& out) const {
    // A name that is a generic and nothing else.
    for (const auto& c : categories.all()) {
        if (u.size() > 6 || (every_generic.count(u) == 0U))
            break;  // not any category's generic
        if (cat && &c != cat)
            continue;
        for (const auto& g : c.generics) {
            if (g == u) {
                emit(out, "NAME-SPECIFIC-MISSING", subject(r, f_name, key),
                     {{"name", u32_to_utf8(u)}});
                return;
            }
        }
    }
    if (!cat)
        return;
    size_t gl = categories.generic_length(u, cat);
    if (gl == 0) {
        const Category* other = nullptr;
        size_t ol = categories.generic_length(u, nullptr, &other);
        if (ol > 0 && other && other != cat) {
            emit(out, "NAME-GENERIC-MISMATCH", subject(r, f_name, key),
                 {{"generic", u32_to_utf8(u.substr(u.size() - ol))},
                  {"other", other->zh},
                  {"other_en", other->id},
                  {"category", cat->zh},
                  {"category_en", cat->id}});
        } else if (!cat->generic_optional && !cat->generics.empty()) {
            emit(out, "NAME-GENERIC-MISSING", subject(r, f_name, key),
                 {{"category", cat->zh},
                  {"category_en", cat->id},
                  {"generics", generics_list(*cat)}});
        }
        return;
    }
    // Stacked: the same generic twice (城关镇镇), or a listed pair (…乡镇).
    std::u32string_view generic(u.data() + u.size() - gl, gl);
    std::u32string_view specific(u.data(), u.size() - gl);
    bool stacked = specific.size() > generic.size() && ends_with(specific, generic);
    std::u32string both;
    if (stacked) {
        both = std::u32string(generic) + std::u32string(generic);
    } else {
        for (const auto& pair : stacked_pairs) {
            if (u.size() > pair.size() && ends_with(u, pair) && generic.size() < pair.size()) {
                stacked = true;
                both = pair;
                break;
            }
        }
    }
    if (stacked) {
        emit(out, "NAME-GENERIC-STACKED", subject(r, f_name, key),
             {{"generics", u32_to_utf8(both)}});
    }
}

}  // namespace geoadmin
