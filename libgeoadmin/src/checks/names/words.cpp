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
        if (found[k] == nullptr)
            continue;
        if (k == kLeader) {
            check_leader(r, u, *found[k], key, out);
            continue;
        }
        emit(out, kRules[k], subject(r, f_name, key), {{"word", u32_to_utf8(*found[k])}});
    }
}

std::size_t NameChecker::Impl::generic_length(const std::u32string& u) const {
    for (std::size_t len = std::min<std::size_t>(u.size(), 8); len > 0; --len) {
        if (every_generic.count(u.substr(u.size() - len)) != 0)
            return len;
    }
    return 0;
}

// A leader's name is a dedication (NAME-LEADER, an error) when it is the whole specific
// part of a name that is not a settlement's: 毛泽东路, 邓小平广场. Inside a longer specific
// part (朱德家寺村, 朱德山村: a clan's temple, a mountain) or as the name of a settlement
// (陈云村: clan and old village names coincide with leaders') it is a coincidence to
// confirm: NAME-LEADER-CONFIRM, a warning.
void NameChecker::Impl::check_leader(const Record& r, const std::u32string& u,
                                     const std::u32string& word, std::string_view key,
                                     std::vector<Finding>& out) const {
    const std::size_t pos = u.find(word);
    const std::size_t gl = generic_length(u);
    const std::size_t specific = gl < u.size() ? u.size() - gl : u.size();
    const bool whole = pos == 0 && word.size() >= specific;
    const bool settlement = gl > 0 && settlement_generics.count(u.substr(u.size() - gl)) != 0;
    if (whole && !settlement) {
        emit(out, "NAME-LEADER", subject(r, f_name, key), {{"word", u32_to_utf8(word)}});
        return;
    }
    emit(out, "NAME-LEADER-CONFIRM", subject(r, f_name, key),
         {{"word", u32_to_utf8(word)},
          {"specific", u32_to_utf8(u.substr(0, specific))},
          term("why", whole ? "leader.settlement" : "leader.inside")});
}

}  // namespace geoadmin
