#pragma once

// What a scanned or written document of a survey archive is: its media type from its first
// bytes, its pages (through GDAL's PDF and TIFF drivers), the kind of record its name says
// it is, and the line its folder or name belongs to.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace geoadmin::detail {

struct DocumentType {
    std::string media_type;  ///< application/pdf, image/jpeg ...
    bool paged = false;      ///< GDAL can count its pages (PDF, TIFF)
};

/// The type of a document by its leading bytes (not its name), or nullopt when the bytes
/// are not a document the archive keeps (PDF, JPEG, PNG, TIFF, Word, OFD).
std::optional<DocumentType> sniff_document(std::string_view head);

/// Pages of a PDF or multi-page TIFF GDAL can read at `path`; 1 for a picture; nullopt when
/// unknown.
std::optional<std::int64_t> document_pages(const std::string& path, const DocumentType& type);
/// Whether this GDAL can count the pages of `type` (its driver is there): a paged document
/// it cannot count is then damaged.
bool pages_countable(const DocumentType& type);

/// The document kind of the archive schema (agreement, agreement_map, line_description,
/// marker_register, marker_results, photo, inspection, catalogue, other) from the file's
/// name as archive staff write it (界线协议书, 协议书附图, 界线走向说明, 界桩登记表 ...);
/// pictures with no other name are photos.
std::string document_kind(const std::string& path, const DocumentType& type);

/// The line a file belongs to: the longest of `line_codes` that a folder or the file's own
/// name starts with (followed by nothing, a space, '_' or a non-ASCII character); "" when
/// none does.
std::string line_of_path(const std::string& path, const std::set<std::string>& line_codes);

}  // namespace geoadmin::detail
