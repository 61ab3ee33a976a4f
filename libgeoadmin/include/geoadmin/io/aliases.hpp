#pragma once

#include "geoadmin/core/export.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace geoadmin {

/// The kinds of record geoadmin reads; each has its own canonical fields.
/// What a table holds. catalogue: a sheet of archival description (档号, 题名 ...) that
/// `geoadmin import` files with the documents; observation: what a joint inspection found
/// at each marker and along the line (`geoadmin inspect`).
enum class RecordKind { place_name, marker, unit, line, catalogue, observation };

GEOADMIN_API std::string_view to_string(RecordKind kind);
GEOADMIN_API std::optional<RecordKind> parse_record_kind(std::string_view text);
GEOADMIN_API const std::vector<RecordKind>& all_record_kinds();

/// Column headers as users write them (标准名称, 界桩编号, NAME, X坐标(m) ...) mapped to
/// canonical field names per record kind. Loaded from data-schemas/aliases.json.
class GEOADMIN_API AliasTable {
  public:
    /// The table compiled in from data-schemas/aliases.json.
    static const AliasTable& builtin();
    static AliasTable from_json(std::string_view text, const std::string& origin);

    /// The canonical field a header maps to for `kind`, if any.
    std::optional<std::string> canonical(RecordKind kind, std::string_view header) const;
    /// Canonical field names of a kind, in the table's order.
    const std::vector<std::string>& fields(RecordKind kind) const;
    /// The kind whose aliases match most of `headers`; ties go to the earlier kind.
    RecordKind guess_kind(const std::vector<std::string>& headers, int* matched = nullptr) const;

  private:
    struct KindTable {
        std::vector<std::string> fields;
        std::map<std::string, std::string> by_alias;  // normalized alias -> canonical
    };
    std::map<RecordKind, KindTable> m_kinds;
};

}  // namespace geoadmin
