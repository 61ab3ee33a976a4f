#pragma once

// The command framework of the `geoadmin` program: a Command base class, the option
// groups every subcommand shares, and run_cli(), which the binary, the tests and the
// QGIS plugin all go through.

#include <boost/program_options.hpp>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/check.hpp"
#include "geoadmin/core/finding.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/core/sink.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/io/source.hpp"
#include "geoadmin/io/writers.hpp"

namespace geoadmin::cli {

namespace po = boost::program_options;

/// Exit codes of the program (docs/cli.md).
enum ExitCode : int {
    kExitOk = 0,
    kExitFindings = 1,
    kExitUsage = 2,
    kExitInput = 3,
    kExitInternal = 4,
};

/// Where a command writes: stdout carries data only, stderr messages and progress.
struct Context {
    std::ostream& out;
    std::ostream& err;
    bool err_is_terminal = false;
};

struct ReportOptions;

/// A progress bar on stderr, drawn only when stderr is a terminal and not silenced; with
/// --progress-json, JSON lines whatever stderr is.
class Progress {
  public:
    Progress(Context& ctx, const ReportOptions& report, std::string label);
    ~Progress();
    void update(std::int64_t done, std::int64_t total);
    void finish();

  private:
    Context& m_ctx;
    bool m_enabled;
    bool m_json;
    std::string m_label;
    int m_last_percent = -1;
    bool m_drawn = false;
};

/// One subcommand. setup() parses and validates without touching any file; run() works.
class Command {
  public:
    virtual ~Command() = default;
    /// Words after `geoadmin`: "info", "names check".
    virtual std::string name() const = 0;
    virtual std::string summary_en() const = 0;
    virtual std::string summary_zh() const = 0;
    /// "geoadmin info [options] SOURCE..."
    virtual std::string usage() const = 0;
    /// Worked examples, shown by --help.
    virtual std::string examples() const = 0;
    virtual void declare(po::options_description& options,
                         po::positional_options_description& positional) = 0;
    virtual void setup(const po::variables_map& vm) = 0;
    virtual int run(Context& ctx) = 0;
    /// Whether the command reports findings (and so takes --lang, --fail-on, -o ...).
    virtual bool reports_findings() const { return true; }
};

/// --encoding --assume-crs --towgs84 --layer --kind: how inputs are read.
struct InputOptions {
    std::string encoding;
    std::string assume_crs;
    std::string towgs84;
    std::vector<std::string> layers;
    std::string kind;

    void declare(po::options_description& options);
    /// Validates and builds the OpenOptions; throws UsageError.
    OpenOptions open_options() const;
    /// Reads a unit polygon layer (--units of the checks), with the input's --encoding;
    /// its reading findings go to `sink`.
    UnitLayer read_unit_layer(const std::string& path, const RuleSet& rules,
                              FindingSink& sink) const;
};

/// --format -o --lang --fail-on --rules -q --no-progress: how findings are reported.
struct ReportOptions {
    std::string format = "text";
    std::string output;
    std::string lang;
    std::string fail_on;
    std::string rules_file;
    bool quiet = false;
    bool no_progress = false;
    bool progress_json = false;

    Lang language = Lang::en;
    std::optional<Severity> fail_threshold = Severity::error;

    /// `default_fail_on` is the command's default for --fail-on.
    void declare(po::options_description& options, const std::string& default_fail_on = "error");
    void setup();
    /// The built-in rules with --rules applied.
    RuleSet load_rules() const;
    bool show_progress(const Context& ctx) const {
        return progress_json || (!quiet && !no_progress && ctx.err_is_terminal);
    }
    /// The sinks of one run: -o (if given) and, as --format says, stdout, behind the
    /// RuleSink that applies --rules. With `print_on_stdout` false the stdout part is left
    /// to the caller (which prints its own report).
    /// `also`, when given, receives the findings too (after --rules took effect).
    std::unique_ptr<class Report> open(Context& ctx, const RuleSet& rules,
                                       bool print_on_stdout = true,
                                       FindingSink* also = nullptr) const;
};

/// Where a run's findings go as they are made; finish() completes the outputs and gives
/// the exit code --fail-on asks for.
class Report {
  public:
    Report(const ReportOptions& options, Context& ctx, const RuleSet& rules, bool print_on_stdout,
           FindingSink* also);
    Report(const Report&) = delete;
    Report& operator=(const Report&) = delete;
    /// Every finding of the run goes here.
    FindingSink& sink() { return *m_rule_sink; }
    const SeverityCounts& counts() const { return m_rule_sink->counts(); }
    /// Closes the outputs, notes on stderr where the file went; the exit code.
    int finish();

  private:
    const ReportOptions& m_options;
    Context& m_ctx;
    std::unique_ptr<FindingSink> m_file;
    std::unique_ptr<FindingSink> m_stdout;
    std::unique_ptr<TeeSink> m_tee;
    std::unique_ptr<RuleSink> m_rule_sink;
};

/// Keeps what a check tells its observer, for --timings.
class Timings : public CheckObserver {
  public:
    void step(std::string_view name, double seconds) override {
        m_steps[std::string(name)] += seconds;
    }
    void count(std::string_view name, std::int64_t value) override {
        m_counts[std::string(name)] += value;
    }
    double seconds(const std::string& name) const {
        auto it = m_steps.find(name);
        return it == m_steps.end() ? 0.0 : it->second;
    }
    std::int64_t count(const std::string& name) const {
        auto it = m_counts.find(name);
        return it == m_counts.end() ? 0 : it->second;
    }

  private:
    std::map<std::string, double> m_steps;
    std::map<std::string, std::int64_t> m_counts;
};

/// --threads N: 0 (every core) to kMaxThreads; throws UsageError outside.
void check_threads_option(int threads);

/// An option that sets parameter `param` of rule `rule_id` (--gap-width, --tolerance) takes
/// the values a --rules file may give it; throws UsageError naming `option` otherwise.
void check_parameter_option(const char* option, double value, std::string_view rule_id,
                            std::string_view param);

/// Outputs (option, path) that would replace an input of the run, or one another: a
/// UsageError. Compares the files themselves (links and other spellings of a path too).
void refuse_overwriting(const std::vector<std::pair<std::string, std::string>>& outputs,
                        const std::vector<std::string>& inputs);

/// Every registered command, in the order `geoadmin --help` lists them. Registering a
/// command here is all it takes: the help test covers every entry.
std::vector<std::unique_ptr<Command>> make_commands();

/// Runs the program with `args` (without the program name). Catches every exception and
/// maps it to an exit code with a message on `err`.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            bool err_is_terminal = false);

std::string version_string();

}  // namespace geoadmin::cli
