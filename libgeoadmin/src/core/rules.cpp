#include "geoadmin/core/rules.hpp"

#include <re2/re2.h>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/json_util.hpp"
#include "embedded_data.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/text/text.hpp"

namespace geoadmin {

using nlohmann::json;

namespace {

const json& rules_object(const json& doc, const std::string& origin) {
    if (!doc.is_object() || !doc.contains("rules") || !doc["rules"].is_object()) {
        throw ConfigError(origin, "expected an object with a \"rules\" object");
    }
    return doc["rules"];
}

Severity severity_of(const json& value, const std::string& origin, const std::string& id) {
    if (!value.is_string())
        throw ConfigError(origin, id + ".severity must be a string");
    auto s = parse_severity(value.get<std::string>());
    if (!s) {
        throw ConfigError(origin, id + ".severity must be error, warning or info, not '" +
                                      value.get<std::string>() + "'");
    }
    return *s;
}

std::string bilingual(const json& rule, const char* key, const char* lang) {
    if (!rule.contains(key))
        return {};
    const json& v = rule[key];
    if (!v.is_object() || !v.contains(lang) || !v[lang].is_string())
        return {};
    return v[lang].get<std::string>();
}

std::string number_text(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

// Why a number or string `v` breaks `limit` (see RuleInfo::limits), or "".
std::string leaf_problem(const json& v, const json& limit) {
    if (v.is_number()) {
        const double x = v.get<double>();
        const bool integer = limit.value("integer", false);
        const bool has_min = limit.contains("minimum");
        const bool has_max = limit.contains("maximum");
        const double lo = has_min ? limit["minimum"].get<double>() : 0.0;
        const double hi = has_max ? limit["maximum"].get<double>() : 0.0;
        const bool bad =
            (integer && std::floor(x) != x) || (has_min && x < lo) || (has_max && x > hi);
        if (!bad)
            return {};
        std::string what = integer ? "a whole number" : "a number";
        if (has_min && has_max)
            what += " from " + number_text(lo) + " to " + number_text(hi);
        else if (has_min)
            what += " of " + number_text(lo) + " or more";
        else if (has_max)
            what += " of " + number_text(hi) + " or less";
        return "must be " + what + ", not " + v.dump();
    }
    if (v.is_string() && limit.contains("pattern_groups")) {
        const int groups = limit["pattern_groups"].get<int>();
        RE2::Options options;
        options.set_log_errors(false);
        const RE2 re(v.get<std::string>(), options);
        if (!re.ok())
            return "is not a valid pattern (RE2 syntax): " + re.error();
        if (re.NumberOfCapturingGroups() != groups) {
            return "needs exactly " + std::to_string(groups) + " groups (), not " +
                   std::to_string(re.NumberOfCapturingGroups());
        }
    }
    return {};
}

// Why `v` cannot replace the built-in `old`: another type, or a leaf breaking `limit`.
// `where` grows with the path inside arrays and objects.
std::string value_problem(const json& old, const json& v, const json& limit, std::string& where) {
    const bool same_type = old.type() == v.type() || (old.is_number() && v.is_number());
    if (!same_type) {
        return std::string("must be ") +
               (old.is_number()    ? "a number"
                : old.is_string()  ? "a string"
                : old.is_boolean() ? "true or false"
                : old.is_array()   ? "a list"
                                   : "an object") +
               ", not " + v.type_name();
    }
    if (v.is_array() || v.is_object()) {
        // Elements take the shape of the built-in's first element; an empty built-in takes
        // strings or lists of strings.
        const json any_words = json::array({"word"});
        for (auto it = v.begin(); it != v.end(); ++it) {
            const json* model = nullptr;
            if (!old.empty())
                model = &*old.begin();
            const json fallback = it->is_array() ? any_words : json("word");
            const std::string saved = where;
            where += v.is_array() ? "[" + std::to_string(std::distance(v.begin(), it)) + "]"
                                  : "." + it.key();
            std::string p = value_problem(model != nullptr ? *model : fallback, *it, limit, where);
            if (!p.empty())
                return p;
            where = saved;
        }
        return {};
    }
    return limit.is_object() ? leaf_problem(v, limit) : std::string();
}

}  // namespace

namespace {

// A value longer than this is shown by its start and its length (a 50,000-digit "number").
constexpr std::size_t kMaxValueShown = 200;

// Terms may hold placeholders of their own; this deep at most (a term naming itself stops).
constexpr int kMaxTermDepth = 4;

void format_into(std::string& out, std::string_view tmpl, const MessageArgs& args,
                 const std::function<std::string(const std::string&)>& term, int depth) {
    std::size_t i = 0;
    while (i < tmpl.size()) {
        if (tmpl[i] == '{') {
            std::size_t close = tmpl.find('}', i + 1);
            if (close != std::string_view::npos) {
                std::string_view name = tmpl.substr(i + 1, close - i - 1);
                const MessageArg* found = nullptr;
                for (const auto& a : args) {
                    if (a.name == name) {
                        found = &a;
                        break;
                    }
                }
                if (found != nullptr) {
                    if (!found->term || depth >= kMaxTermDepth)
                        out += shortened(found->value, kMaxValueShown);
                    else
                        format_into(out, term ? term(found->value) : found->value, args, term,
                                    depth + 1);
                    i = close + 1;
                    continue;
                }
            }
        }
        out += tmpl[i++];
    }
}

}  // namespace

std::string format_message(std::string_view tmpl, const MessageArgs& args,
                           const std::function<std::string(const std::string&)>& term) {
    std::string out;
    out.reserve(tmpl.size() + 32);
    format_into(out, tmpl, args, term, 0);
    return out;
}

RuleSet RuleSet::builtin() {
    return from_json(detail::kRulesJson, "data-schemas/rules.json");
}

RuleSet RuleSet::from_json(std::string_view text, const std::string& origin) {
    json doc = detail::parse_json(text, origin);
    RuleSet set;
    if (doc.is_object() && doc.contains("terms")) {
        if (!doc["terms"].is_object())
            throw ConfigError(origin, "\"terms\" must be an object");
        for (const auto& [id, t] : doc["terms"].items()) {
            std::string zh = bilingual(doc["terms"], id.c_str(), "zh");
            std::string en = bilingual(doc["terms"], id.c_str(), "en");
            if (zh.empty() || en.empty())
                throw ConfigError(origin, "term " + id + " needs zh and en");
            set.m_terms.emplace(id, std::make_pair(std::move(zh), std::move(en)));
        }
    }
    for (const auto& [id, rule] : rules_object(doc, origin).items()) {
        if (!rule.is_object())
            throw ConfigError(origin, id + " must be an object");
        RuleInfo info;
        info.id = id;
        info.default_severity =
            rule.contains("severity") ? severity_of(rule["severity"], origin, id) : Severity::error;
        info.severity = info.default_severity;
        info.enabled = rule.value("enabled", true);
        info.title_zh = bilingual(rule, "title", "zh");
        info.title_en = bilingual(rule, "title", "en");
        info.message_zh = bilingual(rule, "message", "zh");
        info.message_en = bilingual(rule, "message", "en");
        if (info.message_zh.empty() || info.message_en.empty()) {
            throw ConfigError(origin, id + " needs message.zh and message.en");
        }
        if (rule.contains("parameters")) {
            if (!rule["parameters"].is_object()) {
                throw ConfigError(origin, id + ".parameters must be an object");
            }
            for (const auto& [name, value] : rule["parameters"].items()) {
                info.parameters[name] = value.dump();
            }
        }
        if (rule.contains("limits")) {
            if (!rule["limits"].is_object())
                throw ConfigError(origin, id + ".limits must be an object");
            for (const auto& [name, limit] : rule["limits"].items()) {
                if (info.parameters.count(name) == 0U || !limit.is_object())
                    throw ConfigError(origin, id + ".limits." + name + ": no such parameter");
                info.limits[name] = limit.dump();
            }
        }
        set.m_rules.push_back(std::move(info));
    }
    return set;
}

void RuleSet::apply_overrides_file(const std::string& path) {
    std::string text;
    try {
        text = detail::read_text_file(path);
    } catch (const InputError& e) {
        std::string why = e.what();
        if (why.rfind(path + ": ", 0) == 0)
            why.erase(0, path.size() + 2);
        throw ConfigError(path, "cannot read the rules file: " + why);
    }
    apply_overrides_json(text, path);
}

void RuleSet::apply_overrides_json(std::string_view text, const std::string& origin) {
    json doc = detail::parse_json(text, origin);
    for (const auto& [id, rule] : rules_object(doc, origin).items()) {
        RuleInfo* info = nullptr;
        for (auto& r : m_rules) {
            if (r.id == id)
                info = &r;
        }
        if (info == nullptr)
            throw ConfigError(origin, "unknown rule id '" + id + "'");
        if (!rule.is_object())
            throw ConfigError(origin, id + " must be an object");
        for (const auto& [key, value] : rule.items()) {
            if (key == "severity") {
                info->severity = severity_of(value, origin, id);
            } else if (key == "enabled") {
                if (!value.is_boolean())
                    throw ConfigError(origin, id + ".enabled must be true/false");
                info->enabled = value.get<bool>();
            } else if (key == "parameters") {
                if (!value.is_object())
                    throw ConfigError(origin, id + ".parameters must be an object");
                for (const auto& [name, v] : value.items()) {
                    auto it = info->parameters.find(name);
                    if (it == info->parameters.end()) {
                        throw ConfigError(origin, id + " has no parameter '" + name + "'");
                    }
                    std::string where = id + ".parameters." + name;
                    const auto limit = info->limits.find(name);
                    const std::string problem = value_problem(
                        json::parse(it->second), v,
                        limit == info->limits.end() ? json() : json::parse(limit->second), where);
                    if (!problem.empty())
                        throw ConfigError(origin, where + " " + problem);
                    it->second = v.dump();
                }
            } else {
                throw ConfigError(origin, id +
                                              ": only severity, enabled and parameters can be "
                                              "overridden, not '" +
                                              key + "'");
            }
        }
    }
}

std::optional<std::string> RuleSet::parameter_problem(std::string_view id, std::string_view param,
                                                      const std::string& value) const {
    const RuleInfo& info = require(id);
    const auto it = info.parameters.find(std::string(param));
    if (it == info.parameters.end())
        return "is not a parameter of " + info.id;
    json v;
    try {
        v = json::parse(value);
    } catch (const json::exception&) {
        return "is not a value: " + value;
    }
    const auto limit = info.limits.find(std::string(param));
    std::string where;
    std::string problem =
        value_problem(json::parse(it->second), v,
                      limit == info.limits.end() ? json() : json::parse(limit->second), where);
    if (problem.empty())
        return std::nullopt;
    return problem;
}

const RuleInfo* RuleSet::find(std::string_view id) const {
    for (const auto& r : m_rules) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

const RuleInfo& RuleSet::require(std::string_view id) const {
    const RuleInfo* r = find(id);
    if (r == nullptr)
        throw Error("internal: unknown rule id '" + std::string(id) + "'");
    return *r;
}

bool RuleSet::enabled(std::string_view id) const {
    return require(id).enabled;
}
Severity RuleSet::severity(std::string_view id) const {
    return require(id).severity;
}

namespace {
json parameter(const RuleInfo& rule, std::string_view param) {
    auto it = rule.parameters.find(std::string(param));
    if (it == rule.parameters.end()) {
        throw Error("internal: rule " + rule.id + " has no parameter '" + std::string(param) + "'");
    }
    return json::parse(it->second);
}
}  // namespace

double RuleSet::number(std::string_view id, std::string_view param) const {
    json v = parameter(require(id), param);
    if (!v.is_number())
        throw Error("internal: parameter is not a number");
    return v.get<double>();
}

std::string RuleSet::text(std::string_view id, std::string_view param) const {
    json v = parameter(require(id), param);
    return v.is_string() ? v.get<std::string>() : v.dump();
}

std::vector<std::string> RuleSet::list(std::string_view id, std::string_view param) const {
    json v = parameter(require(id), param);
    std::vector<std::string> out;
    if (v.is_array()) {
        for (const auto& e : v)
            out.push_back(e.is_string() ? e.get<std::string>() : e.dump());
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> RuleSet::entries(std::string_view id,
                                                                  std::string_view param) const {
    json v = parameter(require(id), param);
    std::vector<std::pair<std::string, std::string>> out;
    if (v.is_object()) {
        for (const auto& [k, e] : v.items())
            out.emplace_back(k, e.is_string() ? e.get<std::string>() : e.dump());
    }
    return out;
}

Finding RuleSet::make(std::string_view id, const Subject& subject, MessageArgs args) const {
    const RuleInfo& rule = require(id);
    Finding f;
    f.rule = rule.id;
    f.severity = rule.severity;
    f.dataset = subject.dataset;
    f.layer = subject.layer;
    f.row = subject.row;
    f.fid = subject.fid;
    f.key = subject.key;
    f.field = subject.field;
    f.args = std::move(args);
    return f;
}

std::string RuleSet::message(const Finding& finding, Lang lang) const {
    const RuleInfo* rule = find(finding.rule);
    auto term = [&](const std::string& id) { return term_text(id, lang); };
    if (rule == nullptr) {
        std::string out;
        for (const auto& a : finding.args)
            out += (out.empty() ? "" : ", ") + a.name + "=" + (a.term ? term(a.value) : a.value);
        return out;
    }
    const std::string& tmpl = lang == Lang::zh ? rule->message_zh : rule->message_en;
    const bool has_field = std::any_of(finding.args.begin(), finding.args.end(),
                                       [](const MessageArg& a) { return a.name == "field"; });
    if (!has_field) {
        MessageArgs all = finding.args;
        all.emplace_back("field", finding.field);
        return format_message(tmpl, all, term);
    }
    return format_message(tmpl, finding.args, term);
}

const std::string& RuleSet::term_text(std::string_view id, Lang lang) const {
    auto it = m_terms.find(id);
    if (it == m_terms.end()) {
        static thread_local std::string unknown;
        unknown = std::string(id);
        return unknown;
    }
    return lang == Lang::zh ? it->second.first : it->second.second;
}

}  // namespace geoadmin
