#include "geoadmin/io/aliases.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <nlohmann/json.hpp>

#include "embedded_data.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/text/text.hpp"

namespace geoadmin {

namespace {
constexpr std::pair<RecordKind, std::string_view> kKindNames[] = {
    {RecordKind::place_name, "place_name"},
    {RecordKind::marker, "marker"},
    {RecordKind::unit, "unit"},
    {RecordKind::line, "line"},
    {RecordKind::catalogue, "catalogue"},
    {RecordKind::observation, "observation"},
};
}  // namespace

std::string_view to_string(RecordKind kind) {
    for (const auto& [k, name] : kKindNames) {
        if (k == kind)
            return name;
    }
    return "place_name";
}

std::optional<RecordKind> parse_record_kind(std::string_view text) {
    for (const auto& [k, name] : kKindNames) {
        if (name == text)
            return k;
    }
    return std::nullopt;
}

const std::vector<RecordKind>& all_record_kinds() {
    static const std::vector<RecordKind> kinds = {RecordKind::place_name, RecordKind::marker,
                                                  RecordKind::unit,       RecordKind::line,
                                                  RecordKind::catalogue,  RecordKind::observation};
    return kinds;
}

const AliasTable& AliasTable::builtin() {
    static const AliasTable table = from_json(detail::kAliasesJson, "data-schemas/aliases.json");
    return table;
}

AliasTable AliasTable::from_json(std::string_view text, const std::string& origin) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& e) {
        throw ConfigError(origin, std::string("not valid JSON: ") + e.what());
    }
    if (!doc.contains("kinds") || !doc["kinds"].is_object()) {
        throw ConfigError(origin, "expected a \"kinds\" object");
    }
    AliasTable table;
    for (const auto& [kind_name, fields] : doc["kinds"].items()) {
        auto kind = parse_record_kind(kind_name);
        if (!kind)
            throw ConfigError(origin, "unknown record kind '" + kind_name + "'");
        KindTable& kt = table.m_kinds[*kind];
        for (const auto& [canonical, aliases] : fields.items()) {
            kt.fields.push_back(canonical);
            kt.by_alias.emplace(normalize_header(canonical), canonical);
            if (!aliases.is_array()) {
                throw ConfigError(origin, kind_name + "." + canonical + " must be a list");
            }
            for (const auto& alias : aliases) {
                auto [it, inserted] =
                    kt.by_alias.emplace(normalize_header(alias.get<std::string>()), canonical);
                if (!inserted && it->second != canonical) {
                    throw ConfigError(origin, kind_name + ": alias '" + alias.get<std::string>() +
                                                  "' maps to both " + it->second + " and " +
                                                  canonical);
                }
            }
        }
    }
    return table;
}

std::optional<std::string> AliasTable::canonical(RecordKind kind, std::string_view header) const {
    auto kt = m_kinds.find(kind);
    if (kt == m_kinds.end())
        return std::nullopt;
    auto it = kt->second.by_alias.find(normalize_header(header));
    if (it == kt->second.by_alias.end())
        return std::nullopt;
    return it->second;
}

const std::vector<std::string>& AliasTable::fields(RecordKind kind) const {
    static const std::vector<std::string> none;
    auto kt = m_kinds.find(kind);
    return kt == m_kinds.end() ? none : kt->second.fields;
}

RecordKind AliasTable::guess_kind(const std::vector<std::string>& headers, int* matched) const {
    RecordKind best = RecordKind::place_name;
    int best_count = -1;
    for (RecordKind kind : all_record_kinds()) {
        int count = 0;
        for (const auto& h : headers) {
            if (canonical(kind, h))
                ++count;
        }
        if (count > best_count) {
            best = kind;
            best_count = count;
        }
    }
    if (matched != nullptr)
        *matched = best_count;
    return best;
}

}  // namespace geoadmin
