#pragma once

#include "command.hpp"
#include "geoadmin/archive/database.hpp"

namespace geoadmin::cli {

/// `geoadmin db init|info|check|migrate --db DB`: the archive database (docs/archive.md).
class CommandDb : public Command {
  public:
    enum class Action { init, info, check, migrate, export_records };
    explicit CommandDb(Action action) : m_action(action) {}

    std::string name() const override;
    std::string summary_en() const override;
    std::string summary_zh() const override;
    std::string usage() const override { return "geoadmin " + name() + " [--db DB] [options]"; }
    std::string examples() const override;
    void declare(po::options_description& options,
                 po::positional_options_description& positional) override;
    void setup(const po::variables_map& vm) override;
    int run(Context& ctx) override;
    bool reports_findings() const override { return false; }

  private:
    Action m_action;
    std::string m_db = "geoadmin.sqlite";
    std::string m_format = "text";
    std::string m_lang;
    Lang m_language = Lang::en;
    // export
    std::string m_output, m_kind = "names", m_as_of, m_encoding, m_line;
    int run_export(Context& ctx, Archive& archive);
};

}  // namespace geoadmin::cli
