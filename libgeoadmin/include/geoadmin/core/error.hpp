#pragma once

#include "geoadmin/core/export.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace geoadmin {

/// Root of every exception libgeoadmin throws. Data problems are findings, not
/// exceptions: an Error means the job itself cannot go on.
class GEOADMIN_API Error : public std::runtime_error {
  public:
    explicit Error(const std::string& what) : std::runtime_error(what) {}
};

/// The command line was wrong (unknown option, missing argument, bad value). Exit code 2.
class GEOADMIN_API UsageError : public Error {
  public:
    explicit UsageError(const std::string& what) : Error(what) {}
};

/// An input could not be opened or read at all. Exit code 3. Carries where it happened.
class GEOADMIN_API InputError : public Error {
  public:
    InputError(const std::string& file, const std::string& what)
        : Error(file.empty() ? what : file + ": " + what), m_file(file) {}
    const std::string& file() const { return m_file; }

  private:
    std::string m_file;
};

/// An output could not be written (directory missing, driver refused). Exit code 3.
class GEOADMIN_API OutputError : public Error {
  public:
    OutputError(const std::string& file, const std::string& what)
        : Error(file.empty() ? what : file + ": " + what), m_file(file) {}
    const std::string& file() const { return m_file; }

  private:
    std::string m_file;
};

/// A configuration file (rules, aliases) is malformed. Exit code 2 when the user gave it.
class GEOADMIN_API ConfigError : public Error {
  public:
    ConfigError(const std::string& file, const std::string& what)
        : Error(file.empty() ? what : file + ": " + what) {}
};

}  // namespace geoadmin
