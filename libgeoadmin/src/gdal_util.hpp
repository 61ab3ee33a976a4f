#pragma once

// Internal: GDAL set-up and the one place GDAL's error messages are captured.

#include <cpl_error.h>

#include <string>
#include <vector>

namespace geoadmin::detail {

/// Registers GDAL's drivers once and sets the options geoadmin relies on.
void ensure_gdal();

/// While alive, GDAL (and PROJ, through GDAL) messages on this thread are collected
/// instead of printed. Nests: an inner capture hides messages from an outer one.
class GdalCapture {
  public:
    GdalCapture();
    ~GdalCapture();
    GdalCapture(const GdalCapture&) = delete;
    GdalCapture& operator=(const GdalCapture&) = delete;

    struct Message {
        CPLErr level;
        int code;
        std::string text;
    };
    /// Messages since construction or the last take().
    std::vector<Message> take();
    /// The last error-level message text, or "" (does not clear).
    std::string last_error() const;

  private:
    static void CPL_STDCALL handler(CPLErr level, CPLErrorNum code, const char* msg);
    std::vector<Message> m_messages;
};

}  // namespace geoadmin::detail
