#include "geoadmin/core/rules.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/json_util.hpp"
#include "embedded_data.hpp"
#include "geoadmin/core/error.hpp"

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

}  // namespace

namespace {

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
                        out += found->value;
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
        set.m_rules.push_back(std::move(info));
    }
    return set;
}

void RuleSet::apply_overrides_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ConfigError(path, "cannot open the rules file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    apply_overrides_json(buffer.str(), path);
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
                    json old = json::parse(it->second);
                    if (old.type() != v.type() && !(old.is_number() && v.is_number())) {
                        throw ConfigError(
                            origin, id + ".parameters." + name + " must be a " + old.type_name());
                    }
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
