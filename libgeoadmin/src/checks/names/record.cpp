#include "checks/names/impl.hpp"

namespace geoadmin {

void NameChecker::Impl::begin(const std::string& ds, const Layer& l, std::vector<Finding>& out) {
    dataset = ds;
    layer_name = l.name();
    field_names.clear();
    for (const auto& f : l.fields())
        field_names.push_back(f.name);
    layers.emplace_back(ds, l.name());
    layer_no = static_cast<int>(layers.size()) - 1;
    f_code = l.field_index("code");
    f_name = l.field_index("name");
    f_category = l.field_index("category");
    f_admin = l.field_index("admin_code");
    f_roman = l.field_index("romanization");
    f_status = l.field_index("status");
    f_required.clear();
    for (const auto& field : required) {
        int idx = l.field_index(field);
        bool positional = (field == "lon" || field == "lat") && l.coordinate_source() == "geometry";
        if (field == "category" && options.category)
            continue;
        if (idx < 0 && !positional) {
            Subject s;
            s.dataset = ds;
            s.layer = l.name();
            s.field = field;
            emit(out, "NAME-COLUMN-MISSING", s, {{"profile", options.profile}});
        } else if (idx >= 0) {
            f_required.emplace_back(field, idx);
        }
    }
}

void NameChecker::Impl::check(const Record& r, std::vector<Finding>& out) {
    ++stats.records;
    const std::string* code_v = value(r, f_code);
    const std::string_view key = code_v ? trim_ascii(*code_v) : std::string_view();
    for (const auto& [field, idx] : f_required) {
        if (idx == f_name)
            continue;  // an empty name is NAME-EMPTY
        const std::string* v = value(r, idx);
        if ((v == nullptr) || trim_ascii(*v).empty())
            emit(out, "NAME-FIELD-MISSING", subject(r, idx, key), {});
    }
    const std::string* name_v = value(r, f_name);
    static const std::string kNone;
    const std::string& name = name_v ? *name_v : kNone;
    thread_local std::u32string u;  // reused: this runs for every record
    utf8_to_u32(name, u);
    // Category: --category, the column, or the generic part of the name.
    const Category* cat = options.category;
    if (!cat && f_category >= 0) {
        const std::string* c = value(r, f_category);
        if ((c != nullptr) && !trim_ascii(*c).empty()) {
            cat = categories.find(trim_ascii(*c));
            if (!cat)
                emit(out, "NAME-CATEGORY-UNKNOWN", subject(r, f_category, key),
                     {{"category", std::string(trim_ascii(*c))}});
        }
    }
    bool guessed = false;
    if (!cat && f_category < 0 && !u.empty()) {
        categories.generic_length(u, nullptr, &cat);
        guessed = cat != nullptr;
    }
    const std::string* admin_v = value(r, f_admin);
    std::string admin_raw = admin_v ? std::string(trim_ascii(*admin_v)) : std::string();
    std::string admin = normalize_division_code(admin_raw);

    bool name_empty = true;
    for (char32_t c : u)
        name_empty = name_empty && (is_space(c) || c == U'\u3000');
    if (f_name >= 0 && name_empty) {
        emit(out, "NAME-EMPTY", subject(r, f_name, key), {});
    } else if (f_name >= 0) {
        check_characters(r, name, u, key, out);
        if (u.size() > max_chars) {
            emit(out, "NAME-TOO-LONG", subject(r, f_name, key),
                 {{"length", std::to_string(u.size())}, {"max", std::to_string(max_chars)}});
        }
    }
    // Division codes (6, 9, 12 digits) for divisions; other features carry place-name
    // codes of their own, checked for uniqueness only.
    std::string code;
    bool division_record = (cat == nullptr) || guessed || cat->division;
    if ((code_v != nullptr) && !trim_ascii(*code_v).empty()) {
        if (division_record) {
            code = check_code(r, *code_v, u, key, out);
        } else {
            std::string_view t = trim_ascii(*code_v);
            codes.push_back({hash_text(t) | 1ULL << 63, r.row, static_cast<std::uint32_t>(layer_no),
                             static_cast<std::uint32_t>(code_arena.size())});
            code_arena.append(t);
            code_arena += '\n';
            if (code_arena.size() > 0xF0000000U)
                throw Error("names check: more codes than this build can hold (4 GB)");
        }
    }
    if (!name_empty && f_name >= 0) {
        // Township and village parts 400 and above number statistical units (farms,
        // development zones), which the rules for generic parts do not cover.
        bool other_unit = (code.size() == 9 && code.compare(6, 3, "400") >= 0) ||
                          (code.size() == 12 && code.compare(9, 3, "400") >= 0);
        if (!other_unit)
            check_generic(r, u, guessed ? nullptr : cat, key, out);
        check_words(r, u, admin.empty() ? key : std::string_view(admin), key, out);
    }
    check_admin(r, key, admin_raw, admin, code, cat, out);
    check_position(r, key, admin_raw, admin, out);
    if (!name_empty)
        check_romanization(r, key, name, guessed ? nullptr : cat,
                           admin.empty() ? std::string_view(code) : std::string_view(admin), out);
    if (!name_empty && cat != nullptr)
        remember(r, key, name, u, admin, code, *cat);
}

// The unit code of the record: its form, known to the division table, and the record's own
// code under it.
void NameChecker::Impl::check_admin(const Record& r, std::string_view key,
                                    const std::string& admin_raw, const std::string& admin,
                                    const std::string& code, const Category* cat,
                                    std::vector<Finding>& out) {
    if (!admin_raw.empty()) {
        if (admin.empty()) {
            emit(out, "NAME-CODE-FORMAT", subject(r, f_admin, key), {{"code", admin_raw}});
        } else {
            if (!divisions->contains(admin) && rules.enabled("NAME-ADMIN-UNKNOWN")) {
                pending.push_back({rules.make("NAME-ADMIN-UNKNOWN", subject(r, f_admin, key),
                                              {{"admin_code", admin_raw}}),
                                   admin, layer_no, r.row});
            }
            bool division = ((cat != nullptr) && cat->division) || code.size() >= 9;
            if (division && !code.empty() && code != admin) {
                std::string prefix = admin;
                if (prefix.size() == 6 && prefix.compare(2, 4, "0000") == 0)
                    prefix.resize(2);
                else if (prefix.size() == 6 && prefix.compare(4, 2, "00") == 0)
                    prefix.resize(4);
                if (code.compare(0, prefix.size(), prefix) != 0) {
                    emit(out, "NAME-ADMIN-MISMATCH", subject(r, f_code, key),
                         {{"code", code}, {"admin_code", admin_raw}});
                }
            }
        }
    }
}

// The record's position inside its unit (with --units).
void NameChecker::Impl::check_position(const Record& r, std::string_view key,
                                       const std::string& admin_raw, const std::string& admin,
                                       std::vector<Finding>& out) const {
    if (units && r.has_position && !admin.empty()) {
        double metres = 0;
        auto where = units->locate(admin, r.lon, r.lat, &metres);
        if (where == detail::UnitIndex::Where::outside && metres > unit_tolerance) {
            char wkt[96];
            std::snprintf(wkt, sizeof wkt, "POINT (%.8f %.8f)", r.lon, r.lat);
            if (Finding* f = emit(out, "NAME-OUTSIDE-UNIT", subject(r, -1, key),
                                  {{"admin_code", admin_raw}, {"distance", fmt_metres(metres)}}))
                f->geometry_wkt = wkt;
        }
    }
}

// The romanization given against the standard spelling (toned and sign forms accepted).
void NameChecker::Impl::check_romanization(const Record& r, std::string_view key,
                                           const std::string& name, const Category* cat,
                                           std::string_view place_code,
                                           std::vector<Finding>& out) const {
    const std::string* roman_v = value(r, f_roman);
    if ((roman_v != nullptr) && !trim_ascii(*roman_v).empty()) {
        RomanizeOptions ro;
        ro.category = cat;
        ro.code = place_code;  // where the place is: regional readings and spellings
        Romanization expected = romanizer.romanize(name, ro);
        std::string given(trim_ascii(*roman_v));
        if (expected.complete && given != expected.text) {
            ro.tones = true;
            std::string toned = romanizer.romanize(name, ro).text;
            ro.tones = false;
            ro.sign = true;
            std::string sign = romanizer.romanize(name, ro).text;
            if (given != toned && given != sign) {
                if (Finding* f = emit(out, "NAME-ROMANIZATION", subject(r, f_roman, key),
                                      {{"given", given}, {"suggested", expected.text}}))
                    f->suggested = expected.text;
            }
        }
    }
}

// Remembers the name for duplicates and homophones within its scope.
void NameChecker::Impl::remember(const Record& r, std::string_view key, const std::string& name,
                                 const std::u32string& u, const std::string& admin,
                                 const std::string& code, const Category& category) {
    const Category* cat = &category;
    if (cat->scope == NameScope::none)
        return;
    if (const std::string* st = value(r, f_status); st && is_historical(*st))
        return;
    std::string scope_code = admin.empty() && !code.empty() ? division_parent(code) : admin;
    std::string scope;
    switch (cat->scope) {
        case NameScope::country:
            scope = "";
            break;
        case NameScope::province:
            if (scope_code.size() < 2)
                return;
            scope = scope_code.substr(0, 2);
            break;
        case NameScope::county:
        case NameScope::built_up_area:
            if (scope_code.size() < 6)
                return;
            scope = scope_code.substr(0, 6);
            break;
        case NameScope::none:
            return;
    }
    std::string group = cat->scope == NameScope::country ? "country" : cat->id;
    std::uint64_t base = hash_text(scope, hash_text(group));
    // The name as text (bytes that were not UTF-8 replaced as in `u`).
    const bool replaced = std::find(u.begin(), u.end(), U'\uFFFD') != u.end();
    std::string fixed;
    const std::string& trimmed = replaced ? (fixed = u32_to_utf8(u)) : name;
    thread_local std::string sound;  // reused: only its hash is kept
    romanizer.sound_key(std::u32string_view(u), sound);
    ScopeEntry e{};
    e.name_hash = hash_text(trimmed, base ^ 0x9e3779b97f4a7c15ULL);
    e.sound_hash = hash_text(sound, base);
    e.row = r.row;
    e.layer = layer_no;
    e.arena = static_cast<std::uint32_t>(arena.size());
    e.scope = 0;
    for (char c : scope)
        e.scope = e.scope * 10 + static_cast<std::uint32_t>(c - '0');
    e.scope_kind = cat->scope;
    arena += key;
    arena += '\t';
    arena += trimmed;
    arena += '\n';
    if (arena.size() > 0xF0000000U)
        throw Error("names check: more scope data than this build can hold (4 GB)");
    scope_entries.push_back(e);
    ++stats.in_scope;
}

}  // namespace geoadmin
