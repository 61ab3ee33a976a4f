#pragma once

// Internal: GDAL set-up and the one place GDAL's error messages are captured.

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

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

/// A new vector dataset at `path` (an existing file is replaced), with the driver its
/// extension picks from `drivers` ({".gpkg", "GPKG"}, ...; case ignored); `driver`
/// receives the driver's name. Throws UsageError naming `option` for another extension,
/// OutputError when GDAL cannot create it.
GDALDatasetUniquePtr create_vector_output(
    const std::string& path, const std::string& option,
    const std::vector<std::pair<std::string, std::string>>& drivers, std::string& driver);

/// CGCS2000 longitude/latitude (EPSG:4490) in GIS axis order, for outputs.
OGRSpatialReference cgcs2000_srs();

}  // namespace geoadmin::detail
