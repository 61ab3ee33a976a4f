#pragma once

#include "command.hpp"

namespace geoadmin::cli {

/// `geoadmin import SOURCE... --db DB`: survey archives into the archive database.
class CommandImport : public Command {
  public:
    std::string name() const override { return "import"; }
    std::string summary_en() const override {
        return "Import files, folders and zips into the archive database, checked, with history";
    }
    std::string summary_zh() const override {
        return "将文件、文件夹与压缩包经检查后导入档案库，保留历史版本";
    }
    std::string usage() const override { return "geoadmin import [options] SOURCE... --db DB"; }
    std::string examples() const override;
    void declare(po::options_description& options,
                 po::positional_options_description& positional) override;
    void setup(const po::variables_map& vm) override;
    int run(Context& ctx) override;

  private:
    std::vector<std::string> m_sources;
    std::string m_db = "geoadmin.sqlite";
    std::string m_on_error = "reject";
    std::string m_operator;
    bool m_dry_run = false;
    bool m_timings = false;
    bool m_documents_only = false;  // --kind documents
    std::string m_scheme;
    InputOptions m_input;
    ReportOptions m_report;
};

}  // namespace geoadmin::cli
