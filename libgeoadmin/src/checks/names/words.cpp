#include "checks/names/impl.hpp"

namespace geoadmin {

void NameChecker::Impl::check_words(const Record& r, const std::u32string& u,
                                    std::string_view admin, std::string_view key,
                                    std::vector<Finding>& out) const {
    const std::u32string* found[kWordLists];
    words.find(u, found);
    if (!found[kRestricted] && admin.size() >= 2 && !province_restricted.empty()) {
        auto it = province_restricted.find(std::string(admin.substr(0, 2)));
        if (it != province_restricted.end()) {
            const std::u32string* local[kWordLists];
            it->second.find(u, local);
            found[kRestricted] = local[kRestricted];
        }
    }
    static const char* const kRules[kWordLists] = {"NAME-RESTRICTED-WORD", "NAME-FOREIGN",
                                                   "NAME-ENTERPRISE", "NAME-LEADER"};
    for (int k = 0; k < kWordLists; ++k) {
        if (found[k])
            emit(out, kRules[k], subject(r, f_name, key), {{"word", u32_to_utf8(*found[k])}});
    }
}

}  // namespace geoadmin
