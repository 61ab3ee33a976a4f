#include "archive/documents.hpp"

#include <cpl_string.h>
#include <gdal_priv.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <vector>

#include "io/gdal_util.hpp"

namespace geoadmin::detail {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

std::optional<DocumentType> sniff_document(std::string_view head) {
    if (starts_with(head, "%PDF-"))
        return DocumentType{"application/pdf", true};
    if (starts_with(head, "\xFF\xD8\xFF"))
        return DocumentType{"image/jpeg", false};
    if (starts_with(head, "\x89PNG\r\n\x1A\n"))
        return DocumentType{"image/png", false};
    if (starts_with(head, std::string_view("II*\0", 4)) ||
        starts_with(head, std::string_view("MM\0*", 4)))
        return DocumentType{"image/tiff", true};
    // The Word binary format (OLE compound file); .docx and OFD are zips told apart below.
    if (starts_with(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
        return DocumentType{"application/msword", false};
    if (starts_with(head, "PK\x03\x04")) {
        // A zip's first entry names what it is: word/ (.docx), OFD.xml (the Chinese fixed
        // layout standard GB/T 33190). Spreadsheets (xl/) are data, read as tables.
        if (head.find("word/") != std::string_view::npos)
            return DocumentType{
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", false};
        if (head.find("OFD.xml") != std::string_view::npos)
            return DocumentType{"application/ofd", false};
    }
    return std::nullopt;
}

std::optional<std::int64_t> document_pages(const std::string& path, const DocumentType& type) {
    if (!type.paged)
        return type.media_type.rfind("image/", 0) == 0 ? std::optional<std::int64_t>(1)
                                                       : std::nullopt;
    ensure_gdal();
    GdalCapture capture;  // a PDF GDAL cannot read is a document of unknown pages, no more
    const char* const drivers[] = {type.media_type == "application/pdf" ? "PDF" : "GTiff", nullptr};
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, drivers));
    if (!ds)
        return std::nullopt;
    // Several pages are subdatasets (PDF:2:file.pdf, GTIFF_DIR:2:file.tif); one page is none.
    char** sub = ds->GetMetadata("SUBDATASETS");
    const int entries = CSLCount(sub);
    return entries > 0 ? entries / 2 : 1;
}

bool pages_countable(const DocumentType& type) {
    if (!type.paged)
        return false;
    ensure_gdal();
    return GetGDALDriverManager()->GetDriverByName(
               type.media_type == "application/pdf" ? "PDF" : "GTiff") != nullptr;
}

std::string document_kind(const std::string& path, const DocumentType& type) {
    const std::string name = lower(std::filesystem::path(path).filename().string());
    // The most specific first: 协议书附图 is a map, not the agreement.
    static const std::vector<std::pair<std::vector<const char*>, const char*>> kKinds = {
        {{"附图", "agreement_map", "map"}, "agreement_map"},
        {{"协议书", "协议", "agreement"}, "agreement"},
        {{"走向说明", "走向", "line_description"}, "line_description"},
        {{"登记表", "marker_register"}, "marker_register"},
        {{"成果表", "marker_results"}, "marker_results"},
        {{"联检", "联合检查", "inspection"}, "inspection"},
        {{"目录", "catalogue"}, "catalogue"},
        {{"照片", "相片", "photo"}, "photo"},
    };
    for (const auto& [words, kind] : kKinds) {
        for (const char* w : words) {
            if (name.find(w) != std::string::npos)
                return kind;
        }
    }
    return type.media_type.rfind("image/", 0) == 0 ? "photo" : "other";
}

std::string line_of_path(const std::string& path, const std::set<std::string>& line_codes) {
    std::string best;
    for (const auto& part : std::filesystem::path(path)) {
        const std::string component = part.string();
        for (const auto& code : line_codes) {
            if (code.size() <= best.size() || !starts_with(component, code))
                continue;
            // 002-001 is not the start of 002-0012 or 002-001-2.
            const auto next = component.size() > code.size()
                                  ? static_cast<unsigned char>(component[code.size()])
                                  : 0;
            if (next == 0 || next == ' ' || next == '_' || next == '.' || next >= 0x80)
                best = code;
        }
    }
    return best;
}

}  // namespace geoadmin::detail
