#include "io/gdal_util.hpp"

#include <cpl_conv.h>
#include <gdal.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <mutex>
#include <string>

#include "geoadmin/core/error.hpp"

namespace geoadmin::detail {

void ensure_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        // Read GeoJSON rings as they are; geoadmin reports unclosed rings itself.
        CPLSetConfigOption("OGR_GEOMETRY_ACCEPT_UNCLOSED_RING", "YES");
        // Never let a driver silently recode text: geoadmin decides the encoding.
        CPLSetConfigOption("SHAPE_ENCODING", nullptr);
        // Spreadsheets: the first row is the header and every cell is text, so that
        // geoadmin, not a type guesser, decides what a value means. (The drivers read
        // these lazily, after open, so they are set for the whole process.)
        for (const char* driver : {"OGR_XLSX_", "OGR_ODS_"}) {
            CPLSetConfigOption((std::string(driver) + "HEADERS").c_str(), "FORCE");
            CPLSetConfigOption((std::string(driver) + "FIELD_TYPES").c_str(), "STRING");
        }
    });
}

GdalCapture::GdalCapture() {
    CPLPushErrorHandlerEx(&GdalCapture::handler, this);
}

GdalCapture::~GdalCapture() {
    CPLPopErrorHandler();
}

void CPL_STDCALL GdalCapture::handler(CPLErr level, CPLErrorNum code, const char* msg) {
    if (level == CE_Debug || level == CE_None)
        return;
    auto* self = static_cast<GdalCapture*>(CPLGetErrorHandlerUserData());
    if (self != nullptr)
        self->m_messages.push_back({level, code, msg != nullptr ? msg : ""});
}

std::vector<GdalCapture::Message> GdalCapture::take() {
    std::vector<Message> out;
    out.swap(m_messages);
    return out;
}

std::string GdalCapture::last_error() const {
    for (auto it = m_messages.rbegin(); it != m_messages.rend(); ++it) {
        if (it->level >= CE_Failure)
            return it->text;
    }
    return m_messages.empty() ? std::string() : m_messages.back().text;
}

GDALDatasetUniquePtr create_vector_output(
    const std::string& path, const std::string& option,
    const std::vector<std::pair<std::string, std::string>>& drivers, std::string& driver) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    driver.clear();
    std::string choices;
    for (const auto& [e, d] : drivers) {
        choices += (choices.empty() ? "" : e == drivers.back().first ? " or " : ", ") + e;
        if (e == ext)
            driver = d;
    }
    if (driver.empty())
        throw UsageError(option + " " + path + ": use a " + choices + " file");
    ensure_gdal();
    GdalCapture capture;
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
    std::error_code ec;
    std::filesystem::remove(path, ec);
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds)
        throw OutputError(path, "cannot create: " + capture.last_error());
    return ds;
}

OGRSpatialReference cgcs2000_srs() {
    OGRSpatialReference srs;
    srs.importFromEPSG(4490);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

}  // namespace geoadmin::detail
