#include "io/gdal_util.hpp"

#include <sqlite3.h>

#include <unistd.h>

#include <atomic>

#include <cpl_conv.h>
#include <gdal.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <mutex>
#include <string>

#include "geoadmin/core/error.hpp"

namespace geoadmin::detail {

FileStat stat_file(const std::string& path) {
    FileStat st;
    VSIStatBufL buf;
    if (VSIStatL(path.c_str(), &buf) != 0)
        return st;
    st.exists = true;
    st.directory = VSI_ISDIR(buf.st_mode);
    st.size = static_cast<std::uint64_t>(buf.st_size);
    return st;
}

std::string read_head(const std::string& path, std::size_t n) {
    FileReader in(path);
    std::string head(n, '\0');
    head.resize(in.read(head.data(), n));
    return head;
}

std::optional<std::string> read_whole(const std::string& path) {
    FileReader in(path);
    if (!in.is_open())
        return std::nullopt;
    std::string text;
    constexpr std::size_t kChunk = 1U << 20;
    while (true) {
        const std::size_t old = text.size();
        text.resize(old + kChunk);
        const std::size_t got = in.read(text.data() + old, kChunk);
        text.resize(old + got);
        if (got == 0)
            return text;
    }
}

std::string lower_extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

std::string sibling_file(const std::string& path, const std::string& extension) {
    const std::size_t slash = path.find_last_of('/');
    const std::size_t dot = path.find_last_of('.');
    const std::string stem = dot == std::string::npos || (slash != std::string::npos && dot < slash)
                                 ? path
                                 : path.substr(0, dot);
    std::string upper = extension;
    for (auto& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const std::string& e : {extension, upper}) {
        const FileStat st = stat_file(stem + e);
        if (st.exists && !st.directory)
            return stem + e;
    }
    return {};
}

FileReader::FileReader(const std::string& path) : m_file(VSIFOpenL(path.c_str(), "rb")) {}

FileReader::~FileReader() {
    if (m_file != nullptr)
        VSIFCloseL(m_file);
}

std::size_t FileReader::read(char* into, std::size_t n) {
    return m_file == nullptr ? 0 : VSIFReadL(into, 1, n, m_file);
}

bool FileReader::at_end() {
    if (m_file == nullptr)
        return true;
    const vsi_l_offset at = VSIFTellL(m_file);
    char c = 0;
    if (VSIFReadL(&c, 1, 1, m_file) != 1)
        return true;
    VSIFSeekL(m_file, at, SEEK_SET);
    return false;
}

void ensure_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        // SQLite's count of the memory it uses takes one lock for the whole process at every
        // allocation: two connections working at once (the archive's spatial index built
        // aside) would wait on each other. Only possible before SQLite starts.
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        GDALAllRegister();
        // Read GeoJSON rings as they are; geoadmin reports unclosed rings itself.
        CPLSetConfigOption("OGR_GEOMETRY_ACCEPT_UNCLOSED_RING", "YES");
        // Never let a driver silently recode text: geoadmin decides the encoding.
        CPLSetConfigOption("SHAPE_ENCODING", nullptr);
        // Spreadsheets: the first row is the header and every cell is text, so that
        // geoadmin, not a type guesser, decides what a value means. (The drivers read
        // these lazily, after open, so they are set for the whole process.)
        for (const char* driver : {"OGR_XLSX_", "OGR_ODS_", "OGR_XLS_"}) {
            CPLSetConfigOption((std::string(driver) + "HEADERS").c_str(), "FORCE");
            CPLSetConfigOption((std::string(driver) + "FIELD_TYPES").c_str(), "STRING");
        }
    });
}

GdalCapture::GdalCapture() {
    CPLPushErrorHandlerEx(&GdalCapture::handler, this);
}

std::string GdalCapture::find(std::string_view needle) const {
    for (const auto& m : m_messages) {
        if (m.text.find(needle) != std::string::npos)
            return m.text;
    }
    return {};
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

namespace {
std::atomic<int> g_pending_counter{0};
}

PendingFile::PendingFile(std::string path) : m_path(std::move(path)) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(m_path, ec))
        throw OutputError(m_path, "is a folder; name a file to write");
    const fs::path p(m_path);
    const fs::path dir = p.parent_path();
    if (!dir.empty() && !fs::is_directory(dir, ec))
        throw OutputError(m_path, "its folder " + dir.string() + " does not exist");
    const std::string name = "." + p.stem().string() + ".partial-" + std::to_string(::getpid()) +
                             "-" + std::to_string(g_pending_counter++) + p.extension().string();
    m_temp = (dir / name).string();
    fs::remove(m_temp, ec);
}

PendingFile::PendingFile(PendingFile&& other) noexcept
    : m_path(std::move(other.m_path)), m_temp(std::move(other.m_temp)), m_done(other.m_done) {
    other.m_done = true;
}

namespace {
// The files a shapefile is made of besides its .shp, written and put in place with it.
std::vector<std::string> shapefile_sidecars(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != ".shp")
        return {};
    const std::string stem = path.substr(0, path.size() - 4);
    return {stem + ".dbf", stem + ".shx", stem + ".prj", stem + ".cpg"};
}
}  // namespace

PendingFile::~PendingFile() {
    if (m_done)
        return;
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
        std::filesystem::remove(m_temp + suffix, ec);
    for (const auto& sidecar : shapefile_sidecars(m_temp))
        std::filesystem::remove(sidecar, ec);
}

void PendingFile::commit() {
    std::error_code ec;
    const auto temp_sidecars = shapefile_sidecars(m_temp);
    const auto final_sidecars = shapefile_sidecars(m_path);
    for (size_t i = 0; i < temp_sidecars.size(); ++i) {
        if (std::filesystem::exists(temp_sidecars[i], ec)) {
            std::filesystem::rename(temp_sidecars[i], final_sidecars[i], ec);
        } else {
            std::filesystem::remove(final_sidecars[i], ec);  // not one of the new file's
        }
    }
    std::filesystem::rename(m_temp, m_path, ec);
    if (ec)
        throw OutputError(m_path, "cannot put the finished file in place: " + ec.message());
    m_done = true;
}

void VectorOutput::commit() {
    GdalCapture capture;
    ds.reset();  // GDAL 3.6 has no Close(): errors on flush arrive through the capture
    for (const auto& m : capture.take()) {
        if (m.level >= CE_Failure)
            throw OutputError(file.path(), "closing failed: " + m.text);
    }
    file.commit();
}

VectorOutput create_vector_output(const std::string& path, const std::string& option,
                                  const std::vector<std::pair<std::string, std::string>>& drivers) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string driver;
    std::string choices;
    for (const auto& [e, d] : drivers) {
        choices += (choices.empty() ? "" : e == drivers.back().first ? " or " : ", ") + e;
        if (e == ext)
            driver = d;
    }
    if (driver.empty())
        throw UsageError(option + " " + path + ": use a " + choices + " file");
    ensure_gdal();
    PendingFile file(path);
    GdalCapture capture;
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
    GDALDatasetUniquePtr ds(drv->Create(file.temp().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds)
        throw OutputError(path, "cannot create: " + capture.last_error());
    return VectorOutput{std::move(file), std::move(ds), driver};
}

OGRSpatialReference cgcs2000_srs() {
    OGRSpatialReference srs;
    srs.importFromEPSG(4490);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

}  // namespace geoadmin::detail
