#include "run_process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace geoadmin::test {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

namespace {
// The temporary folders of a test process, removed when it ends (by the process that made
// them, not a forked child), unless GEOADMIN_KEEP_TEST_FILES is set to look at them.
struct TempDirs {
    std::mutex mutex;
    std::vector<std::string> dirs;
    pid_t owner = getpid();
    ~TempDirs() {
        if (getpid() != owner || std::getenv("GEOADMIN_KEEP_TEST_FILES") != nullptr)
            return;
        std::error_code ec;
        for (const auto& d : dirs)
            std::filesystem::remove_all(d, ec);
    }
};
TempDirs& temp_dirs() {
    static TempDirs dirs;
    return dirs;
}
}  // namespace

std::string temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "geoadmin-test-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    TempDirs& dirs = temp_dirs();
    std::lock_guard<std::mutex> lock(dirs.mutex);
    dirs.dirs.push_back(tmpl);
    return tmpl;
}

std::string data_path(const std::string& relative) {
    return std::string(GEOADMIN_TEST_DATA_DIR) + "/" + relative;
}

std::string shared_path(const std::string& relative) {
    std::string p = std::string(GEOADMIN_SHARED_DATA_DIR) + "/" + relative;
    return std::filesystem::exists(p) ? p : std::string();
}

namespace {
ProcessResult run_with(const std::vector<std::string>& args, const std::vector<std::string>& env,
                       const std::string* stdin_text, int timeout_seconds = 0) {
    std::string dir = temp_dir();
    std::string in_path = "/dev/null";
    if (stdin_text) {
        in_path = dir + "/stdin";
        std::ofstream(in_path, std::ios::binary) << *stdin_text;
    }
    std::string out_path = dir + "/stdout";
    std::string err_path = dir + "/stderr";
    // Everything the child needs is made before fork: between fork and execve it may only
    // call async-signal-safe functions, or a child forked while another thread holds the
    // allocator's lock (two imports at once, under ASan) waits for it forever.
    std::vector<std::string> envs;
    for (const char* keep : {"PATH", "HOME", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
        if (const char* v = std::getenv(keep))
            envs.push_back(std::string(keep) + "=" + v);
    }
    envs.insert(envs.end(), env.begin(), env.end());
    std::string binary = GEOADMIN_BINARY;
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    argv.push_back(binary.data());
    for (auto& a : copy)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : envs)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int in = open(in_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (out < 0 || err < 0 || in < 0)
        throw std::runtime_error("cannot open the child's stdin/stdout/stderr files");
    pid_t pid = fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        if (timeout_seconds > 0)
            alarm(static_cast<unsigned>(timeout_seconds));  // survives execve
        execve(binary.c_str(), argv.data(), envp.data());
        _exit(127);
    }
    close(out);
    close(err);
    close(in);
    int status = 0;
    waitpid(pid, &status, 0);
    ProcessResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    std::filesystem::remove_all(dir);
    return r;
}
}  // namespace

ProcessResult run_geoadmin(const std::vector<std::string>& args,
                           const std::vector<std::string>& env) {
    return run_with(args, env, nullptr);
}

ProcessResult run_geoadmin_stdin(const std::vector<std::string>& args,
                                 const std::string& stdin_text) {
    return run_with(args, {}, &stdin_text);
}

ProcessResult run_geoadmin_limited(const std::vector<std::string>& args,
                                   const std::string* stdin_text, int timeout_seconds) {
    return run_with(args, {}, stdin_text, timeout_seconds);
}

}  // namespace geoadmin::test
