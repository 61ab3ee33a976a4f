#include "gdal_util.hpp"

#include <cpl_conv.h>
#include <gdal.h>

#include <mutex>
#include <string>

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

}  // namespace geoadmin::detail
