#pragma once

#include "geoadmin/core/export.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "geoadmin/core/finding.hpp"

namespace geoadmin {

/// Where a finding points: the dataset, layer, row, record key and field.
struct GEOADMIN_API Subject {
    std::string dataset;
    std::string layer;
    std::int64_t row = 0;
    std::int64_t fid = -1;
    std::string key;
    std::string field;
};

/// A rule as the registry knows it: stable id, default severity, bilingual title and
/// message template, parameters with defaults (kept as JSON text), and its docs anchor.
struct GEOADMIN_API RuleInfo {
    std::string id;
    Severity default_severity = Severity::error;
    Severity severity = Severity::error;  ///< after configuration
    bool enabled = true;
    std::string title_zh;
    std::string title_en;
    std::string message_zh;
    std::string message_en;
    std::map<std::string, std::string> parameters;  ///< name -> JSON value text
    /// name -> JSON object of limits on the parameter's values: "minimum", "maximum",
    /// "integer" (numbers), "pattern_groups" (strings that are RE2 patterns with that many
    /// groups). Applied to every number or string inside an array or object parameter.
    std::map<std::string, std::string> limits;
};

/// The rule registry plus the user's configuration of it. The built-in registry comes
/// from data-schemas/rules.json (compiled in); `--rules FILE` overrides severities,
/// enabled flags and parameters with a file of the same shape.
class GEOADMIN_API RuleSet {
  public:
    /// The registry compiled in from data-schemas/rules.json.
    static RuleSet builtin();
    /// Parses a registry from JSON text; `origin` names it in errors.
    static RuleSet from_json(std::string_view text, const std::string& origin);

    /// Applies a user override file (same shape; only severity, enabled and parameters of
    /// known rules). Throws ConfigError naming the file and the offending key.
    void apply_overrides_file(const std::string& path);
    void apply_overrides_json(std::string_view text, const std::string& origin);

    const std::vector<RuleInfo>& rules() const { return m_rules; }
    /// nullptr when the id is unknown.
    const RuleInfo* find(std::string_view id) const;
    bool enabled(std::string_view id) const;
    Severity severity(std::string_view id) const;
    double number(std::string_view id, std::string_view param) const;
    std::string text(std::string_view id, std::string_view param) const;
    std::vector<std::string> list(std::string_view id, std::string_view param) const;
    /// The members of an object parameter, name -> value as text.
    std::vector<std::pair<std::string, std::string>> entries(std::string_view id,
                                                             std::string_view param) const;

    /// Why `value` (JSON text) cannot be parameter `param` of rule `id` ("must be a number
    /// from 0 to 100000"), or nothing when it can: the built-in value's type and the rule's
    /// limits. The CLI's options that set a parameter ask here too.
    std::optional<std::string> parameter_problem(std::string_view id, std::string_view param,
                                                 const std::string& value) const;

    /// A finding of rule `id` about `subject` with its message arguments.
    /// Throws Error for an unknown id (a programming error, not a data problem).
    Finding make(std::string_view id, const Subject& subject, MessageArgs args = {}) const;

    /// The message of `finding` in `lang`: its rule's template with the arguments filled in,
    /// terms in that language. A finding of an unknown rule gives its arguments as text.
    std::string message(const Finding& finding, Lang lang) const;
    /// The phrase `id` of the terms table in `lang`; the id itself when unknown.
    const std::string& term_text(std::string_view id, Lang lang) const;

  private:
    const RuleInfo& require(std::string_view id) const;
    std::vector<RuleInfo> m_rules;
    /// Phrases messages are built from: id -> (zh, en).
    std::map<std::string, std::pair<std::string, std::string>, std::less<>> m_terms;
};

/// Replaces "{name}" in `tmpl` by the matching value of `args`; unknown names stay as they
/// are. A term argument's phrase comes from `term` (id -> text; by default the id itself)
/// and is itself filled from `args`.
GEOADMIN_API std::string format_message(
    std::string_view tmpl, const MessageArgs& args,
    const std::function<std::string(const std::string&)>& term = {});

}  // namespace geoadmin
