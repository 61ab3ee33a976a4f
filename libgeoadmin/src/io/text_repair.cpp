#include "io/text_repair.hpp"

#include "geoadmin/text/text.hpp"

#include <algorithm>
#include <cstring>

namespace geoadmin::detail {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kBom = "\xEF\xBB\xBF";

// A field's text without its quotes, for naming header fields.
std::string unquoted(std::string_view raw) {
    while (!raw.empty() && (raw.back() == '\r' || raw.back() == '\n'))
        raw.remove_suffix(1);
    if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"')
        raw = raw.substr(1, raw.size() - 2);
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '"' && i + 1 < raw.size() && raw[i + 1] == '"')
            ++i;
        out += raw[i];
    }
    return out;
}

struct Repairer {
    std::string_view text;
    char delim;
    const std::vector<std::uint64_t>& strays;
    const RuleSet& rules;
    const std::string& path;
    std::vector<Finding>& findings;
    std::vector<std::string> header;
    std::int64_t row = -1;  // -1 before the header, 0 the header, then data rows
    std::string out;

    std::string field_name(std::size_t i) const {
        return i < header.size() ? header[i] : "#" + std::to_string(i + 1);
    }
    Subject at(std::size_t field) const {
        Subject s{path, "", std::max<std::int64_t>(row, 0), -1, "", ""};
        s.field = field_name(field);
        return s;
    }

    // One record: text[begin, end) with its line break; `fields` the offsets where its
    // fields begin (the first is `begin`); `drop` the stray quotes in it.
    void record(std::size_t begin, std::size_t end, const std::vector<std::size_t>& fields,
                const std::vector<std::size_t>& drop) {
        std::string_view rec = text.substr(begin, end - begin);
        const bool blank = rec.find_first_not_of("\r\n") == std::string_view::npos;
        if (!blank)
            ++row;
        if (row == 0 && header.empty()) {
            for (std::size_t f = 0; f < fields.size(); ++f) {
                const std::size_t fe = f + 1 < fields.size() ? fields[f + 1] - 1 : end;
                std::string name = unquoted(text.substr(fields[f], fe - fields[f]));
                std::replace(name.begin(), name.end(), '\0', '?');
                header.push_back(std::move(name));
            }
        }
        auto field_of = [&](std::size_t offset) {
            return static_cast<std::size_t>(std::upper_bound(fields.begin(), fields.end(), offset) -
                                            fields.begin() - 1);
        };
        if (begin > 0 && rec.substr(0, 3) == kBom) {
            findings.push_back(rules.make("READ-BOM-INSIDE", at(0)));
            begin += 3;
        }
        for (std::size_t q : drop)
            findings.push_back(rules.make("READ-QUOTE-UNTERMINATED", at(field_of(q))));
        // NUL bytes, per field.
        std::vector<std::size_t> nul_fields;
        for (std::size_t i = begin; i < end; ++i) {
            if (text[i] == '\0') {
                const std::size_t f = field_of(i);
                if (nul_fields.empty() || nul_fields.back() != f)
                    nul_fields.push_back(f);
            }
        }
        for (std::size_t f : nul_fields)
            findings.push_back(rules.make("READ-NUL-BYTE", at(f)));
        // Each field's bytes, repaired.
        const bool too_long = end - begin > kMaxRecordBytes;
        const std::size_t keep_fields =
            too_long && !header.empty() ? std::min(fields.size(), header.size()) : fields.size();
        if (keep_fields < fields.size()) {
            // Values beyond the header, which GDAL ignores anyway: dropped here already.
            Subject s = at(0);
            s.field.clear();
            findings.push_back(rules.make("READ-ROW-EXTRA-FIELDS", s,
                                          {{"count", std::to_string(fields.size())},
                                           {"header", std::to_string(header.size())}}));
        }
        std::size_t drop_i = 0;
        for (std::size_t f = 0; f < fields.size(); ++f) {
            const std::size_t fb = std::max(fields[f], begin);
            std::size_t fe = f + 1 < fields.size() ? fields[f + 1] - 1 : end;  // before delim
            std::string value;
            for (std::size_t i = fb; i < fe; ++i) {
                while (drop_i < drop.size() && drop[drop_i] < i)
                    ++drop_i;
                if (drop_i < drop.size() && drop[drop_i] == i)
                    continue;
                if (text[i] == '\0')
                    value += kReplacement;
                else
                    value += text[i];
            }
            if (f >= keep_fields) {
                // Beyond the header in a record too long: dropped, the line break kept.
                if (f + 1 == fields.size() && !value.empty() && value.back() == '\n')
                    out += value.substr(value.find_last_not_of("\r\n") + 1);
                continue;
            }
            if (too_long && value.size() > kMaxFieldBytes) {
                std::string tail;  // the line break, kept
                while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) {
                    tail.insert(tail.begin(), value.back());
                    value.pop_back();
                }
                const bool quoted = !value.empty() && value.front() == '"';
                std::string_view inner = value;
                if (quoted) {
                    inner.remove_prefix(1);
                    if (!inner.empty() && inner.back() == '"')
                        inner.remove_suffix(1);
                }
                std::string kept(utf8_prefix(inner, kKeptFieldBytes));
                // An escaped quote is two: never keep half of one.
                if (std::count(kept.begin(), kept.end(), '"') % 2 != 0)
                    kept.pop_back();
                findings.push_back(rules.make("READ-FIELD-TOO-LONG", at(f),
                                              {{"bytes", std::to_string(value.size())},
                                               {"kept", std::to_string(kept.size())},
                                               {"limit", std::to_string(kMaxRecordBytes)}}));
                value = (quoted ? "\"" + kept + "\"" : kept) + tail;
            }
            if (f > 0)
                out += delim;
            out += value;
        }
    }

    void run() {
        out.reserve(text.size() + 64);
        std::size_t stray_i = 0;
        std::size_t begin = 0;
        std::vector<std::size_t> fields{0};
        std::vector<std::size_t> drop;
        bool quoted = false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            while (stray_i < strays.size() && strays[stray_i] < i)
                ++stray_i;
            const char c = text[i];
            if (c == '"' && stray_i < strays.size() && strays[stray_i] == i) {
                drop.push_back(i);
                continue;
            }
            if (quoted) {
                quoted = c != '"';
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == delim) {
                fields.push_back(i + 1);
            } else if (c == '\n') {
                record(begin, i + 1, fields, drop);
                begin = i + 1;
                fields.assign(1, begin);
                drop.clear();
            }
        }
        if (begin < text.size())
            record(begin, text.size(), fields, drop);
    }
};

}  // namespace

std::string repair_delimited_text(std::string_view text, char delim,
                                  const std::vector<std::uint64_t>& stray_quotes,
                                  const RuleSet& rules, const std::string& path,
                                  std::vector<Finding>& findings) {
    std::vector<std::uint64_t> strays = stray_quotes;
    std::sort(strays.begin(), strays.end());
    Repairer r{text, delim, strays, rules, path, findings, {}, -1, {}};
    r.run();
    return std::move(r.out);
}

}  // namespace geoadmin::detail
