#pragma once

#include <string>
#include <vector>

#include "test_config.hpp"

namespace geoadmin::test {

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs the real geoadmin binary with `args`; `env` entries (NAME=VALUE) are added to
/// a clean environment that keeps only PATH and HOME.
ProcessResult run_geoadmin(const std::vector<std::string>& args,
                           const std::vector<std::string>& env = {});
/// The same, with `stdin_text` on standard input.
ProcessResult run_geoadmin_stdin(const std::vector<std::string>& args,
                                 const std::string& stdin_text);
/// Either of the above, killed (SIGALRM: exit code 128 + 14) after `timeout_seconds`.
ProcessResult run_geoadmin_limited(const std::vector<std::string>& args,
                                   const std::string* stdin_text, int timeout_seconds);

/// Path of a fixture under tests/data.
std::string data_path(const std::string& relative);
/// Path under ../shared/data; "" when that folder is not beside the checkout.
std::string shared_path(const std::string& relative);
/// A fresh temporary directory for one test.
std::string temp_dir();
std::string read_file(const std::string& path);

}  // namespace geoadmin::test
