#include "geoadmin/model/categories.hpp"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/json_util.hpp"
#include "embedded_data.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/io/aliases.hpp"
#include "geoadmin/text/hanzi.hpp"
#include "geoadmin/text/text.hpp"

namespace geoadmin {

std::string_view to_string(NameScope scope) {
    switch (scope) {
        case NameScope::country:
            return "country";
        case NameScope::province:
            return "province";
        case NameScope::county:
            return "county";
        case NameScope::built_up_area:
            return "built_up_area";
        case NameScope::none:
            break;
    }
    return "none";
}

namespace {

NameScope parse_scope(const std::string& text, const std::string& origin) {
    for (NameScope s : {NameScope::country, NameScope::province, NameScope::county,
                        NameScope::built_up_area, NameScope::none}) {
        if (to_string(s) == text)
            return s;
    }
    throw ConfigError(
        origin, "unknown scope \"" + text + "\" (country, province, county, built_up_area, none)");
}

}  // namespace

// ---------------------------------------------------------------------------------------
// CategoryTable

const CategoryTable& CategoryTable::builtin() {
    static const CategoryTable table =
        from_json(detail::kCategoriesJson, "data-schemas/categories.json");
    return table;
}

CategoryTable CategoryTable::from_file(const std::string& path) {
    return from_json(detail::read_text_file(path), path);
}

CategoryTable CategoryTable::from_json(std::string_view text, const std::string& origin) {
    nlohmann::json doc = detail::parse_json(text, origin);
    CategoryTable table;
    try {
        for (const auto& c : doc.at("categories")) {
            Category cat;
            cat.id = c.at("id").get<std::string>();
            cat.zh = c.value("zh", cat.id);
            static const nlohmann::json kNone = nlohmann::json::array();
            for (const auto& a : c.contains("aliases") ? c.at("aliases") : kNone)
                cat.aliases.push_back(a.get<std::string>());
            for (const auto& g : c.contains("generics") ? c.at("generics") : kNone) {
                cat.generics.push_back(utf8_to_u32(g.get<std::string>()));
                table.m_max_generic = std::max(table.m_max_generic, cat.generics.back().size());
            }
            cat.scope = parse_scope(c.value("scope", std::string("none")), origin);
            cat.code_digits = c.value("code_digits", 0);
            cat.division = c.value("division", false);
            cat.one_word = c.value("one_word", false);
            cat.generic_optional = c.value("generic_optional", false);
            table.m_categories.push_back(std::move(cat));
        }
        for (size_t i = 0; i < table.m_categories.size(); ++i) {
            for (const auto& g : table.m_categories[i].generics) {
                table.m_generic_owner.emplace(g, i);
                if (!g.empty() && g.size() < 32)
                    table.m_generic_lengths[g.back()] |= std::uint32_t{1} << g.size();
            }
        }
        for (size_t i = 0; i < table.m_categories.size(); ++i) {
            const Category& cat = table.m_categories[i];
            table.m_by_label.emplace(normalize_header(cat.id), i);
            table.m_by_label.emplace(normalize_header(cat.zh), i);
            for (const auto& a : cat.aliases)
                table.m_by_label.emplace(normalize_header(a), i);
        }
        if (doc.contains("class_codes")) {
            for (const auto& [code, id] : doc.at("class_codes").items()) {
                const Category* cat = table.by_id(id.get<std::string>());
                if (!cat) {
                    throw ConfigError(origin, "class_codes." + code + " names unknown category \"" +
                                                  id.get<std::string>() + "\"");
                }
                table.m_by_label[code] = static_cast<size_t>(cat - table.m_categories.data());
            }
        }
        if (doc.contains("generic_spellings")) {
            for (const auto& [generic, spelled] : doc.at("generic_spellings").items())
                table.m_generic_spellings[utf8_to_u32(generic)] = spelled.get<std::string>();
        }
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError(origin, e.what());
    }
    if (table.m_categories.empty())
        throw ConfigError(origin, "no categories");
    return table;
}

const Category* CategoryTable::by_id(std::string_view id) const {
    for (const auto& c : m_categories) {
        if (c.id == id)
            return &c;
    }
    return nullptr;
}

const Category* CategoryTable::find(std::string_view label) const {
    if (const Category* c = by_id(label))
        return c;
    auto it = m_by_label.find(normalize_header(label));
    if (it == m_by_label.end())
        it = m_by_label.find(std::string(label));
    return it == m_by_label.end() ? nullptr : &m_categories[it->second];
}

size_t CategoryTable::generic_length(std::u32string_view name, const Category* category,
                                     const Category** matched, size_t shorter_than) const {
    size_t best = 0;
    const Category* owner = nullptr;
    auto consider = [&](const Category& cat) {
        for (const auto& g : cat.generics) {
            if (g.size() <= best || g.size() >= name.size() || g.size() >= shorter_than)
                continue;
            if (name.compare(name.size() - g.size(), g.size(), g) == 0) {
                best = g.size();
                owner = &cat;
            }
        }
    };
    if (category) {
        consider(*category);
    } else {
        // The longest suffix that is anyone's generic, leaving a character before it.
        thread_local std::u32string key;  // reused buffer
        auto lengths = name.empty() ? m_generic_lengths.end() : m_generic_lengths.find(name.back());
        const std::uint32_t mask = lengths == m_generic_lengths.end() ? 0 : lengths->second;
        const size_t longest = std::min(m_max_generic, shorter_than - 1);
        for (size_t len = std::min(longest, name.empty() ? 0 : name.size() - 1);
             mask != 0 && len > 0; --len) {
            if (len >= 32 || ((mask & (std::uint32_t{1} << len)) == 0U))
                continue;  // no generic of this length ends with the name's last character
            key.assign(name.substr(name.size() - len));
            auto it = m_generic_owner.find(key);
            if (it != m_generic_owner.end()) {
                best = len;
                owner = &m_categories[it->second];
                break;
            }
        }
    }
    if (matched)
        *matched = owner;
    return best;
}

const std::string* CategoryTable::generic_spelling(std::u32string_view generic) const {
    auto it = m_generic_spellings.find(std::u32string(generic));
    return it == m_generic_spellings.end() ? nullptr : &it->second;
}

}  // namespace geoadmin
