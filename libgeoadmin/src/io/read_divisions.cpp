#include "geoadmin/core/error.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/text/values.hpp"

namespace geoadmin {

namespace {
bool is_all_digits(const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}
}  // namespace

DivisionTable read_division_table(const std::string& path, const RuleSet& rules,
                                  FindingSink& sink) {
    OpenOptions open;
    open.kind = RecordKind::place_name;
    VectorSource source = VectorSource::open(path, open, rules);
    DivisionTable t;
    t.set_origin(path);
    for (Layer& layer : source.layers()) {
        int code = layer.field_index("code");
        int name = layer.field_index("name");
        if (code < 0) {
            throw InputError(path, "layer '" + layer.name() +
                                       "' has no code column (代码/区划代码/code) for a division "
                                       "table");
        }
        layer.read_only({"code", "name"});
        layer.scan(
            rules, {},
            [&](const Record& r) {
                const auto& c = r.values[static_cast<size_t>(code)];
                if (!c)
                    return;
                std::string digits(trim(*c));
                if (is_all_digits(digits) && (digits.size() == 2 || digits.size() == 4))
                    digits.append(6 - digits.size(), '0');
                std::string n;
                if (name >= 0 && r.values[static_cast<size_t>(name)])
                    n = *r.values[static_cast<size_t>(name)];
                t.add(digits, n);
            },
            sink);
    }
    if (t.size() == 0)
        throw InputError(path, "no division codes read");
    return t;
}

}  // namespace geoadmin
