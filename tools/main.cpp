// The geoadmin program: a shim over run_cli() in the geoadmin_cli library.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    std::vector<std::string> args(argv + 1, argv + argc);
    return geoadmin::cli::run_cli(args, std::cout, std::cerr, isatty(STDERR_FILENO) != 0);
}
