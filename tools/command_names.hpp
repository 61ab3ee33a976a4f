#pragma once

#include "command.hpp"

namespace geoadmin::cli {

/// `geoadmin names romanize [NAME...]`: place names in Hanyu Pinyin by the national rules.
class CommandNamesRomanize : public Command {
  public:
    std::string name() const override { return "names romanize"; }
    std::string summary_en() const override {
        return "Spell place names in Hanyu Pinyin by the rules for Chinese place names";
    }
    std::string summary_zh() const override { return "按汉语地名拼写规则给出地名的罗马字母拼写"; }
    std::string usage() const override {
        return "geoadmin names romanize [options] [NAME...]   (no NAME: one name per line on "
               "stdin, or CODE<TAB>NAME)";
    }
    std::string examples() const override;
    void declare(po::options_description& options,
                 po::positional_options_description& positional) override;
    void setup(const po::variables_map& vm) override;
    int run(Context& ctx) override;
    bool reports_findings() const override { return false; }

  private:
    std::vector<std::string> m_names;
    std::string m_code;
    std::string m_category;
    std::string m_style = "standard";
    std::string m_format = "text";
    std::string m_readings;
    std::string m_categories;
    bool m_tones = false;
};

/// `geoadmin names check INPUT...`: naming compliance of place-name records.
class CommandNamesCheck : public Command {
  public:
    std::string name() const override { return "names check"; }
    std::string summary_en() const override {
        return "Check place-name records: characters, generic parts, restricted words, codes, "
               "duplicates and homophones in scope, romanization";
    }
    std::string summary_zh() const override {
        return "检查地名记录：用字、通名、限制用词、代码、范围内重名同音、罗马字母拼写";
    }
    std::string usage() const override {
        return "geoadmin names check [options] INPUT... [--divisions FILE] [--units LAYER]";
    }
    std::string examples() const override;
    void declare(po::options_description& options,
                 po::positional_options_description& positional) override;
    void setup(const po::variables_map& vm) override;
    int run(Context& ctx) override;

  private:
    std::vector<std::string> m_inputs;
    std::string m_divisions;
    std::string m_units;
    std::string m_category;
    std::string m_profile = "basic";
    std::string m_readings;
    std::string m_categories;
    int m_threads = 0;
    bool m_timings = false;
    InputOptions m_input;
    ReportOptions m_report;
};

}  // namespace geoadmin::cli
