#include "geoadmin/archive/import.hpp"

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <openssl/evp.h>
#include <unzip.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "archive/access.hpp"
#include "archive/bulk_insert.hpp"
#include "archive/importer.hpp"
#include "geoadmin/checks/names.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/version.hpp"
#include "geoadmin/io/aliases.hpp"
#include "geoadmin/text/romanize.hpp"
#include "geoadmin/text/text.hpp"
#include "io/finding_json.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

std::optional<OnError> parse_on_error(std::string_view text) {
    if (text == "reject")
        return OnError::reject;
    if (text == "quarantine")
        return OnError::quarantine;
    if (text == "accept")
        return OnError::accept;
    return std::nullopt;
}

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    out.reserve(static_cast<size_t>(length) * 2U);
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4U];
        out += kHex[digest[i] & 15U];
    }
    return out;
}

namespace detail {

std::string read_all(const std::string& path) {
    VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
    if (f == nullptr)
        throw InputError(path, "cannot open the file");
    std::string out;
    char buf[1 << 16];
    size_t n = 0;
    while ((n = VSIFReadL(buf, 1, sizeof buf, f)) > 0)
        out.append(buf, n);
    VSIFCloseL(f);
    return out;
}

std::string sql_text(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c;
        if (c == '\'')
            out += '\'';
    }
    return out + "'";
}

// The geometry as compared: CGCS2000 lon/lat to 1e-7 degree (about a centimetre), single
// parts as multi (the archive keeps multi), as WKT.
std::string geometry_digest(const std::string& wkb) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE ||
        g == nullptr)
        return {};
    std::unique_ptr<OGRGeometry> geometry(g);
    const auto flat = wkbFlatten(geometry->getGeometryType());
    if (flat == wkbPolygon)
        geometry.reset(OGRGeometryFactory::forceToMultiPolygon(geometry.release()));
    else if (flat == wkbLineString)
        geometry.reset(OGRGeometryFactory::forceToMultiLineString(geometry.release()));
    OGRWktOptions options;
    options.format = OGRWktFormat::F;
    options.precision = 7;
    return geometry->exportToWkt(options);
}

// A decimal as a spreadsheet gives it back: "256.90" and "256.9", "98.0" and "98" are the
// same value (XLSX keeps numbers, not their trailing zeros). Anything else as it is.
std::string_view canonical_number(std::string_view value) {
    const size_t dot = value.find('.');
    if (dot == std::string_view::npos || dot == 0 ||
        value.find('.', dot + 1) != std::string_view::npos)
        return value;
    for (size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (!(std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.' || (c == '-' && i == 0)))
            return value;
    }
    while (value.back() == '0')
        value.remove_suffix(1);
    if (value.back() == '.')
        value.remove_suffix(1);
    return value;
}

// The content a record is compared by: every column by its canonical name (a column no
// alias maps, by its header) with its value (decimals without trailing zeros), the position
// to 1e-7 degree (about a centimetre) or the geometry (geometry_digest), and not the
// bookkeeping columns an export adds. The same record read from a census table or from the
// archive's own export hashes the same. Where two columns give one name, the last with a
// value counts.
RecordHasher::RecordHasher(const std::vector<FieldInfo>& fields) {
    static const std::set<std::string> kExportColumns = {"版本起始", "版本终止", "valid_from",
                                                         "valid_to", "GK带",     "gk_epsg"};
    static const std::set<std::string> kPosition = {"lon", "lat", "x", "y"};
    std::map<std::string, std::vector<size_t>> by_label;
    for (size_t k = 0; k < fields.size(); ++k) {
        const FieldInfo& f = fields[k];
        if (kExportColumns.count(f.name) != 0 || kPosition.count(f.canonical) != 0)
            continue;
        by_label[f.canonical.empty() ? "column:" + f.name : f.canonical].push_back(k);
    }
    for (auto& [label, from] : by_label)
        m_entries.push_back({label + "=", std::move(from)});
}

std::array<unsigned char, 32> RecordHasher::operator()(const Record& r,
                                                       const std::string& geometry) const {
    std::string text;
    text.reserve(256);
    for (const Entry& e : m_entries) {
        for (auto k = e.from.rbegin(); k != e.from.rend(); ++k) {
            if (*k >= r.values.size() || !r.values[*k] || r.values[*k]->empty())
                continue;
            text += e.label;
            text += canonical_number(*r.values[*k]);
            text += '\x1f';
            break;
        }
    }
    if (!geometry.empty()) {
        text += "geometry=" + geometry;
    } else if (r.has_position) {
        // As "%.7f %.7f" prints them (to_chars rounds the same, without the locale).
        char pos[64];
        auto* end = std::to_chars(pos, pos + 30, r.lon, std::chars_format::fixed, 7).ptr;
        *end++ = ' ';
        end = std::to_chars(end, pos + sizeof pos, r.lat, std::chars_format::fixed, 7).ptr;
        text += "position=";
        text.append(pos, end);
    }
    std::array<unsigned char, 32> digest{};
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
    return digest;
}

std::string hex_of(const std::array<unsigned char, 32>& digest) {
    static const char* const kHex = "0123456789abcdef";
    std::string out(64, '0');
    for (size_t i = 0; i < digest.size(); ++i) {
        out[2 * i] = kHex[digest[i] >> 4U];
        out[2 * i + 1] = kHex[digest[i] & 15U];
    }
    return out;
}

std::string record_hash(const std::vector<FieldInfo>& fields, const Record& r,
                        const std::string& geometry) {
    return hex_of(RecordHasher(fields)(r, geometry));
}

std::string pack_values(const std::vector<std::optional<std::string>>& values) {
    size_t size = 0;
    for (const auto& v : values)
        size += 1 + (v ? v->size() + 4 : 0);
    std::string out;
    out.reserve(size);
    for (const auto& v : values) {
        std::uint64_t tag = v ? v->size() + 1 : 0;
        do {
            const auto byte = static_cast<unsigned char>(tag & 0x7FU);
            tag >>= 7U;
            out += static_cast<char>(tag != 0 ? (byte | 0x80U) : byte);
        } while (tag != 0);
        if (v)
            out += *v;
    }
    return out;
}

namespace {

// The field of a packed record starting at `at` (pack_values); `at` moves past it.
std::optional<std::string_view> next_packed(std::string_view packed, size_t& at) {
    std::uint64_t tag = 0;
    unsigned shift = 0;
    while (at < packed.size()) {
        const auto byte = static_cast<unsigned char>(packed[at++]);
        tag |= static_cast<std::uint64_t>(byte & 0x7FU) << shift;
        shift += 7;
        if ((byte & 0x80U) == 0)
            break;
    }
    if (tag == 0)
        return std::nullopt;
    const auto length = std::min(static_cast<size_t>(tag - 1), packed.size() - at);
    const std::string_view value = packed.substr(at, length);
    at += length;
    return value;
}

}  // namespace

void unpack_values(std::string_view packed, FieldViews& out) {
    out.clear();
    size_t at = 0;
    while (at < packed.size())
        out.push_back(next_packed(packed, at));
}

std::optional<std::string_view> packed_value(std::string_view packed, size_t k) {
    size_t at = 0;
    for (size_t field = 0; at < packed.size(); ++field) {
        auto value = next_packed(packed, at);
        if (field == k)
            return value;
    }
    return std::nullopt;
}

}  // namespace detail

namespace {

using namespace detail;

// Files that belong to a shapefile and are read with it.
bool is_shapefile_sidecar(const std::string& path, const std::set<std::string>& all) {
    static const std::set<std::string> kSidecars = {".dbf", ".shx", ".prj", ".cpg", ".qix",
                                                    ".sbn", ".sbx", ".xml", ".qmd", ".fix"};
    std::string ext = lower_extension(path);
    if (ext == ".xml" && path.size() > 8 &&
        lower_extension(path.substr(0, path.size() - 4)) == ".shp")
        return true;
    if (kSidecars.count(ext) == 0)
        return false;
    const std::string stem = path.substr(0, path.size() - ext.size());
    return all.count(stem + ".shp") != 0 || all.count(stem + ".SHP") != 0;
}

std::string new_batch_id() {
    std::random_device rd;
    char suffix[9];
    std::snprintf(suffix, sizeof suffix, "%08x", rd());
    std::string t = utc_now_iso();
    t.erase(
        std::remove_if(t.begin(), t.end(), [](char c) { return c == '-' || c == ':' || c == '.'; }),
        t.end());
    return t + "-" + suffix;
}

// Whether a file's name says it holds records (a table or a layer GDAL reads): one that
// cannot be read is then an error, where a note or a script beside the data is skipped.
bool looks_like_data(const std::string& path) {
    static const std::set<std::string> kData = {
        ".csv",   ".tsv",     ".xlsx", ".xls", ".ods", ".shp",    ".dbf",    ".gpkg",
        ".json",  ".geojson", ".kml",  ".kmz", ".gml", ".sqlite", ".db",     ".mdb",
        ".accdb", ".tab",     ".mif",  ".dxf", ".gdb", ".fgb",    ".parquet"};
    return kData.count(lower_extension(path)) != 0;
}

// The kind of a layer: by its headers (aliases), then by its geometry where the headers
// leave it open (a layer of lines whose only column is a code is lines, not units).
RecordKind classify(const Layer& layer) {
    const RecordKind by_headers = layer.kind();
    const std::string& type = layer.geometry_type();
    const bool linear =
        type.find("Line") != std::string::npos || type.find("Curve") != std::string::npos;
    const bool polygonal =
        type.find("Polygon") != std::string::npos || type.find("Surface") != std::string::npos;
    if (linear && by_headers != RecordKind::line && layer.field_index("line_code") >= 0)
        return RecordKind::line;
    if (linear && (by_headers == RecordKind::unit || by_headers == RecordKind::place_name))
        return RecordKind::line;
    if (polygonal && (by_headers == RecordKind::line || by_headers == RecordKind::place_name))
        return RecordKind::unit;
    return by_headers;
}

}  // namespace

namespace detail {

void Importer::skip_file(FileRow& row, const std::string& reason) {
    ++m_summary.files_skipped;
    row.kind = "unknown";
    row.status = "skipped";
    add_file_row(row);
    add(file_finding("IMPORT-FILE-SKIPPED", Severity::warning, row.path, {{"reason", reason}}));
}

std::int64_t Importer::add_file_row(const FileRow& r) {
    m_archive.exec(
        "INSERT INTO import_files (import_id, path, sha256, size, kind, layer, records, status) "
        "VALUES (" +
        std::to_string(m_import_id) + ", " + sql_text(r.path) + ", " + sql_text(r.sha256) + ", " +
        std::to_string(r.size) + ", " + sql_text(r.kind) + ", " +
        (r.layer.empty() ? std::string("NULL") : sql_text(r.layer)) + ", " +
        std::to_string(r.records) + ", " + sql_text(r.status) + ")");
    return m_archive
        .query_int("SELECT max(id) FROM import_files WHERE import_id = " +
                   std::to_string(m_import_id))
        .value_or(0);
}

// A file name as text: as it is when UTF-8, else as it reads in GBK (or with its invalid
// bytes replaced), for messages and the archive's records.
static std::string name_as_text(const std::string& name) {
    if (is_valid_utf8(name))
        return name;
    const auto gbk = to_utf8(name, "GB18030");
    return gbk ? *gbk : make_valid_utf8(name);
}

ImportSummary Importer::run(const std::vector<std::string>& sources) {
    m_now = utc_now_iso();
    m_summary.batch_id = new_batch_id();
    std::vector<std::string> files;
    for (const auto& s : sources) {
        for (auto& f : expand_source(s))
            files.push_back(std::move(f));
    }
    std::string all_sources;
    for (const auto& s : sources)
        all_sources += (all_sources.empty() ? "" : "\n") + name_as_text(s);

    m_archive.begin();
    try {
        // One batch at a time per archive: on SpatiaLite the transaction holds the write
        // lock from its start; on PostgreSQL a second import waits here for the first to
        // end, then finds what it loaded (files and records known, nothing twice).
        if (m_archive.backend() == ArchiveBackend::postgis)
            m_archive.exec("SELECT pg_advisory_xact_lock(7438120022)");
        m_archive.exec(
            "INSERT INTO imports (batch_id, operator, started_at, sources, on_error, "
            "program_version) VALUES (" +
            sql_text(m_summary.batch_id) + ", " +
            (m_options.operator_name.empty() ? std::string("NULL")
                                             : sql_text(m_options.operator_name)) +
            ", " + sql_text(m_now) + ", " + sql_text(all_sources) + ", " +
            sql_text(m_options.on_error == OnError::reject       ? "reject"
                     : m_options.on_error == OnError::quarantine ? "quarantine"
                                                                 : "accept") +
            ", " + sql_text(kVersion) + ")");
        m_import_id = m_archive
                          .query_int("SELECT id FROM imports WHERE batch_id = " +
                                     sql_text(m_summary.batch_id))
                          .value_or(0);
        m_sink.keep = [this](const Finding& f) { keep_finding(f); };
        using Clock = std::chrono::steady_clock;
        auto since = [](Clock::time_point t) {
            return std::chrono::duration<double>(Clock::now() - t).count();
        };
        auto t = Clock::now();
        std::int64_t done = 0;
        for (const auto& f : files) {
            progress("read", done++, static_cast<std::int64_t>(files.size()));
            import_file(f);
        }
        if (m_names)
            m_names->finish(m_sink);
        stage_pending();
        m_summary.seconds_read = since(t);
        t = Clock::now();
        decide_and_load();
        m_summary.seconds_load = since(t);
        m_summary.findings_error = m_sink.errors;
        m_summary.findings_warning = m_sink.warnings;
        m_summary.findings_info = m_sink.infos;
        if (m_summary.rejected || m_options.dry_run) {
            m_sink.keep = nullptr;
            m_findings.reset();
            m_archive.rollback();
            return m_summary;
        }
        t = Clock::now();
        m_sink.keep = nullptr;
        link_findings_to_files();
        m_summary.seconds_findings = since(t);
        t = Clock::now();
        std::int64_t added = 0, changed = 0, unchanged = 0, rejected = 0, quarantined = 0;
        for (const auto& [kind, c] : m_summary.records) {
            added += c.added;
            changed += c.changed;
            unchanged += c.unchanged;
            rejected += c.rejected;
            quarantined += c.quarantined;
        }
        m_archive.exec("UPDATE imports SET finished_at = " + sql_text(utc_now_iso()) +
                       ", files = " + std::to_string(m_summary.files) + ", records_new = " +
                       std::to_string(added) + ", records_changed = " + std::to_string(changed) +
                       ", records_unchanged = " + std::to_string(unchanged) +
                       ", records_rejected = " + std::to_string(rejected) +
                       ", records_quarantined = " + std::to_string(quarantined) +
                       ", findings_error = " + std::to_string(m_summary.findings_error) +
                       ", findings_warning = " + std::to_string(m_summary.findings_warning) +
                       ", findings_info = " + std::to_string(m_summary.findings_info) +
                       " WHERE id = " + std::to_string(m_import_id));
        m_archive.commit();
        m_summary.seconds_commit = since(t);
        m_summary.committed = true;
    } catch (...) {
        m_sink.keep = nullptr;
        m_findings.reset();
        m_archive.rollback();
        throw;
    }
    return m_summary;
}

void Importer::import_file(const std::string& path) {
    ++m_summary.files;
    if (!is_valid_utf8(path)) {
        // A name in another encoding (unzipped on Linux from a zip made on Chinese Windows,
        // copied from a share mounted without UTF-8): shown as it reads in GBK, not opened.
        ++m_summary.files_unreadable;
        add(file_finding(
            "IMPORT-FILE-UNREADABLE", Severity::error, name_as_text(path),
            {{"reason", "its name is not UTF-8" +
                            std::string(to_utf8(path, "GB18030") ? " (it reads as GBK)" : "") +
                            ": rename it, or copy it with its names in UTF-8 "
                            "(convmv -f gbk -t utf-8)"}}));
        return;
    }
    FileRow row;
    row.path = path;
    // Files a system leaves in folders (Thumbs.db, desktop.ini, .DS_Store, Office's ~$
    // lock files): named, not read.
    const std::string name = std::filesystem::path(path).filename().string();
    if (name == "Thumbs.db" || name == "desktop.ini" || name == ".DS_Store" ||
        name.rfind("~$", 0) == 0) {
        skip_file(row, "a file the system keeps, not a record");
        return;
    }
    if (lower_extension(path) == ".zip") {
        // Zips are opened as folders (expand_source): one here is inside another zip, or
        // one GDAL could not open.
        if (path.rfind("/vsi", 0) == 0) {
            skip_file(row, "a zip inside a zip: unzip the outer one first");
        } else {
            ++m_summary.files_unreadable;
            add(file_finding("IMPORT-FILE-UNREADABLE", Severity::error, path,
                             {{"reason",
                               "not a zip archive that can be read (damaged, "
                               "incomplete or encrypted)"}}));
        }
        return;
    }
    std::string bytes;
    try {
        if (path.rfind("/vsi", 0) != 0)
            detail::check_input_file(path);  // a pipe or device in a folder: never opened
        bytes = read_all(path);
    } catch (const InputError& e) {
        ++m_summary.files_unreadable;
        add(file_finding("IMPORT-FILE-UNREADABLE", Severity::error, path, {{"reason", e.what()}}));
        return;
    }
    row.sha256 = sha256_hex(bytes);
    row.size = static_cast<std::int64_t>(bytes.size());
    const std::string head = bytes.substr(0, 4096);
    bytes.clear();
    bytes.shrink_to_fit();

    // The same content loaded before (by an earlier batch that committed): nothing to do.
    auto earlier = m_archive.query(
        "SELECT i.batch_id FROM import_files f JOIN imports i ON i.id = f.import_id WHERE "
        "f.sha256 = " +
        sql_text(row.sha256) + " AND f.status = 'loaded' AND i.id <> " +
        std::to_string(m_import_id) + " ORDER BY i.id LIMIT 1");
    if (!earlier.empty()) {
        ++m_summary.files_unchanged;
        row.kind = "unchanged";
        row.status = "unchanged";
        add_file_row(row);
        add(file_finding("IMPORT-FILE-UNCHANGED", Severity::info, path,
                         {{"batch", earlier[0][0].value_or("")}}));
        return;
    }
    if (stage_document(path, head, row))
        return;
    if (m_options.documents_only) {
        skip_file(row,
                  "not a document (PDF, scan or photo), and --kind documents imports "
                  "documents only");
        return;
    }

    std::optional<VectorSource> source;
    try {
        source.emplace(VectorSource::open(path, m_options.open, m_rules));
    } catch (const Error& e) {
        if (!looks_like_data(path)) {
            // A note, a script, a file of a kind the archive does not keep: named, skipped.
            skip_file(row,
                      "neither a table or layer of records nor a document (PDF, scan, "
                      "photo, Word, OFD)");
            return;
        }
        ++m_summary.files_unreadable;
        row.kind = "unknown";
        row.status = "unreadable";
        m_file_ids[path] = add_file_row(row);
        add(file_finding("IMPORT-FILE-UNREADABLE", Severity::error, path, {{"reason", e.what()}}));
        return;
    }
    for (const auto& f : source->open_findings())
        m_sink.add(f);
    for (Layer& layer : source->layers()) {
        const RecordKind kind = m_options.open.kind.value_or(classify(layer));
        row.kind = std::string(to_string(kind));
        row.layer = source->layers().size() > 1 ? layer.name() : "";
        if (spec_of(kind) == nullptr) {
            // Records the archive keeps elsewhere (field observations: geoadmin inspect
            // --record) or not at all: named, not loaded.
            ++m_summary.files_skipped;
            row.status = "skipped";
            add_file_row(row);
            add(file_finding("IMPORT-FILE-SKIPPED", Severity::warning, path,
                             {{"reason", "records of kind " + row.kind +
                                             " are not archive records that import loads"}}));
            continue;
        }
        row.status = "loaded";
        const std::int64_t file_id = add_file_row(row);
        m_file_ids[path] = file_id;
        if (kind == RecordKind::place_name) {
            stage_names(path, layer, file_id);
        } else {
            // Read once every file is seen: markers are checked against the batch's lines.
            m_pending.push_back({path, layer.name(), source->layers().size() == 1, kind, file_id});
        }
    }
}

void Importer::decide_and_load() {
    // Keys: every record needs one, once per batch. Records of a table sorted by key (in
    // batch order within a key): the first of a key is loaded, the others are duplicates.
    std::map<const KindSpec*, std::vector<Staged*>> by_table;
    for (Staged& s : m_staged)
        by_table[m_origins[s.origin].spec].push_back(&s);
    std::unordered_map<const Staged*, const Staged*> first_of;  // a duplicate -> the first
    for (auto& [spec, records] : by_table) {
        std::stable_sort(records.begin(), records.end(),
                         [](const Staged* a, const Staged* b) { return a->key < b->key; });
        for (size_t i = 0; i < records.size(); ++i) {
            Staged& s = *records[i];
            s.keyless = s.key.empty();
            if (!s.keyless && i > 0 && records[i - 1]->key == s.key) {
                s.duplicate = true;
                first_of[&s] =
                    records[i - 1]->duplicate ? first_of[records[i - 1]] : records[i - 1];
            }
        }
    }
    // Their findings in batch order.
    for (const Staged& s : m_staged) {
        if (!s.keyless && !s.duplicate)
            continue;
        const Origin& o = m_origins[s.origin];
        Finding f;
        f.dataset = o.dataset;
        f.layer = o.layer;
        f.row = s.row;
        f.fid = s.fid;
        f.key = s.key;
        std::replace(f.key.begin(), f.key.end(), '\x1f', ' ');  // a marker: line and number
        f.field = o.key_field;
        f.severity = Severity::error;
        if (s.keyless) {
            f.rule = "IMPORT-KEY-MISSING";
            f.args = {{"field", o.key_field}};
        } else {
            const Staged* first = first_of[&s];
            f.rule = "IMPORT-KEY-DUPLICATE";
            f.args = {
                {"field", o.key_field},
                {"value", f.key},
                {"first", m_origins[first->origin].dataset + " #" + std::to_string(first->row)}};
        }
        add(std::move(f));
    }
    if (m_options.on_error == OnError::reject && m_sink.errors > 0) {
        m_summary.rejected = true;
        for (const Staged& s : m_staged) {
            ImportCounts& c =
                m_summary.records[std::string(to_string(m_origins[s.origin].spec->kind))];
            ++c.read;
            ++c.rejected;
        }
        if (!m_documents.empty()) {
            ImportCounts& c = m_summary.records["document"];
            c.read += static_cast<std::int64_t>(m_documents.size());
            c.rejected += static_cast<std::int64_t>(m_documents.size());
        }
        return;
    }
    // Per source: its counts and its rows with errors, looked up once.
    std::vector<ImportCounts*> counts;
    std::vector<const std::unordered_set<std::int64_t>*> error_rows;
    for (const Origin& o : m_origins) {
        counts.push_back(&m_summary.records[std::string(to_string(o.spec->kind))]);
        const auto it = m_sink.error_rows.find(o.dataset);
        error_rows.push_back(it == m_sink.error_rows.end() ? nullptr : &it->second);
    }
    std::vector<Staged*> quarantined;
    for (auto& [spec, records] : by_table) {
        // In key order: the key's indexes grow at their end (see load_kind).
        std::vector<Staged*> to_load;
        to_load.reserve(records.size());
        for (Staged* s : records) {
            ImportCounts& c = *counts[s->origin];
            ++c.read;
            const auto* errors = error_rows[s->origin];
            const bool has_error =
                s->keyless || s->duplicate || (errors != nullptr && errors->count(s->row) != 0);
            if (has_error && m_options.on_error == OnError::quarantine) {
                ++c.quarantined;
                s->quarantined = true;
            } else if (s->keyless || s->duplicate) {
                ++c.rejected;  // accepted errors still need a key to be versioned
            } else {
                to_load.push_back(s);
            }
        }
        records = std::move(to_load);
    }
    for (Staged& s : m_staged) {  // in batch order
        if (s.quarantined)
            quarantined.push_back(&s);
    }
    write_quarantine(quarantined);
    // Documents first: the catalogue's entries name them.
    load_documents();
    for (auto& [spec, records] : by_table)
        load_kind(*spec, records);
}

// `records` come in the order of their keys: the key's B-tree indexes (one current
// version, every version by time) grow at their end, as when they are built by sorting.
void Importer::load_kind(const KindSpec& spec, std::vector<Staged*>& records) {
    ImportCounts& counts = m_summary.records[std::string(to_string(spec.kind))];
    // The current version of every key: id and content hash.
    std::string key_columns;
    for (const char* k : spec.key)
        key_columns += std::string(k) + ", ";
    std::unordered_map<std::string, std::pair<std::int64_t, std::string>> current;
    const size_t n_key = spec.key.size();
    for (const auto& row : m_archive.query("SELECT " + key_columns + "id, record_hash FROM " +
                                           spec.table + " WHERE valid_to IS NULL")) {
        std::string key;
        for (size_t k = 0; k < n_key; ++k)
            key += (k == 0 ? "" : "\x1f") + row[k].value_or("");
        current.emplace(
            key, std::make_pair(std::stoll(row[n_key].value_or("0")), row[n_key + 1].value_or("")));
    }
    std::vector<Staged*> inserts;
    std::vector<std::int64_t> closes;
    for (Staged* s : records) {
        auto it = current.find(s->key);
        if (it == current.end()) {
            ++counts.added;
            inserts.push_back(s);
        } else if (it->second.second == hex_of(s->hash)) {
            ++counts.unchanged;
        } else {
            ++counts.changed;
            closes.push_back(it->second.first);
            inserts.push_back(s);
        }
    }
    // Close the versions that change, then add the new ones (one current version per key).
    for (size_t at = 0; at < closes.size(); at += 500) {
        std::string ids;
        for (size_t i = at; i < std::min(closes.size(), at + 500); ++i)
            ids += (ids.empty() ? "" : ",") + std::to_string(closes[i]);
        m_archive.exec(std::string("UPDATE ") + spec.table + " SET valid_to = " + sql_text(m_now) +
                       " WHERE id IN (" + ids + ")");
    }
    // The table's columns: the kind's, the batch's bookkeeping, and what a kind adds (a
    // marker's position in degrees and in its Gauss–Krüger zone, the document a catalogue
    // entry describes).
    std::vector<std::string> columns;
    for (const Column& c : spec.columns)
        columns.emplace_back(c.column);
    const size_t c_bookkeeping = columns.size();
    for (const char* c : {"valid_from", "record_hash", "import_id", "attributes"})
        columns.emplace_back(c);
    const size_t c_extra = columns.size();
    if (spec.kind == RecordKind::marker) {
        for (const char* c : {"lon", "lat", "gk_x", "gk_y", "gk_epsg"})
            columns.emplace_back(c);
    } else if (spec.kind == RecordKind::catalogue) {
        columns.emplace_back("document_id");
    }
    const GeometryInput geometry = spec.geometry == nullptr ? GeometryInput::none
                                   : std::string_view(spec.geometry) == "POINT"
                                       ? GeometryInput::point
                                       : GeometryInput::wkb;
    BulkMode bulk(m_archive, spec.table, inserts.size());
    BulkInsert insert(m_archive, spec.table, columns, geometry,
                      spec.geometry == nullptr ? "" : spec.geometry);
    // The spatial index of the rows about to go in (SpatiaLite, a large batch), filled at
    // the end: each row's extent with the id it will get.
    if (bulk.active()) {
        std::int64_t id = bulk.next_id();
        for (const Staged* s : inserts) {
            const StagedExtra* extra = s->extra.get();
            if (geometry == GeometryInput::wkb && extra != nullptr && extra->bounds.valid) {
                const Bounds& b = extra->bounds;
                bulk.add(id, b.min_x, b.min_y, b.max_x, b.max_y);
            } else if (geometry == GeometryInput::point && s->has_position) {
                bulk.add(id, s->lon, s->lat, s->lon, s->lat);
            }
            ++id;
        }
    }
    std::int64_t done = 0;
    FieldViews fields;
    for (Staged* s : inserts) {
        if (++done % 10000 == 0)
            progress(spec.table, done, static_cast<std::int64_t>(inserts.size()));
        unpack_values(s->values, fields);
        for (size_t i = 0; i < spec.columns.size(); ++i) {
            const auto value = column(*s, fields, i);
            if (value && !value->empty())
                insert.text(i, *value);
        }
        insert.text(c_bookkeeping, m_now);
        insert.text(c_bookkeeping + 1, hex_of(s->hash));
        insert.integer(c_bookkeeping + 2, m_import_id);
        insert.text(c_bookkeeping + 3, attributes_json(*s, fields));
        const StagedExtra* extra = s->extra.get();
        if (geometry == GeometryInput::wkb && extra != nullptr && !extra->wkb.empty())
            insert.wkb(extra->wkb);
        else if (geometry == GeometryInput::point && s->has_position)
            insert.point(s->lon, s->lat);
        if (spec.kind == RecordKind::marker) {
            if (s->has_position) {
                insert.real(c_extra, s->lon);
                insert.real(c_extra + 1, s->lat);
            }
            if (s->has_gk) {
                insert.real(c_extra + 2, s->gk_x);
                insert.real(c_extra + 3, s->gk_y);
                if (s->gk_epsg > 0)
                    insert.integer(c_extra + 4, s->gk_epsg);
            }
        }
        if (spec.kind == RecordKind::catalogue && extra != nullptr && !extra->file_name.empty()) {
            const auto line = static_cast<size_t>(column_of(spec, "line_code"));
            if (const auto id = document_for(extra->file_name,
                                             std::string(column(*s, fields, line).value_or(""))))
                insert.integer(c_extra, *id);
        }
        if (!insert.insert()) {
            throw OutputError(m_archive.display_name(),
                              "cannot add " + m_origins[s->origin].dataset + " #" +
                                  std::to_string(s->row) + " to " + spec.table + ": " +
                                  insert.last_error());
        }
    }
    bulk.restore(insert.last_id());
}

void Importer::write_quarantine(const std::vector<Staged*>& records) {
    if (records.empty())
        return;
    // The findings of each quarantined row, as JSON: read back from the batch's findings,
    // one source at a time.
    std::map<std::pair<std::string, std::int64_t>, nlohmann::json> by_row;
    std::set<std::pair<std::string, std::int64_t>> wanted;
    std::set<std::string> datasets;
    for (const Staged* s : records) {
        wanted.insert({m_origins[s->origin].dataset, s->row});
        datasets.insert(m_origins[s->origin].dataset);
    }
    for (const std::string& dataset : datasets) {
        for (const auto& row :
             m_archive.query("SELECT feature, finding FROM import_findings WHERE import_id = " +
                             std::to_string(m_import_id) + " AND dataset = " + sql_text(dataset) +
                             " AND feature IS NOT NULL ORDER BY id")) {
            const std::string feature = row[0].value_or("#0");
            const std::pair<std::string, std::int64_t> at{
                dataset, std::strtoll(feature.c_str() + 1, nullptr, 10)};
            if (wanted.count(at) != 0)
                by_row[at].push_back(nlohmann::json::parse(row[1].value_or("null")));
        }
    }
    FieldViews fields;
    for (const Staged* s : records) {
        unpack_values(s->values, fields);
        const Origin& o = m_origins[s->origin];
        auto it = by_row.find({o.dataset, s->row});
        const std::string findings = it == by_row.end() ? "[]" : it->second.dump();
        m_archive.exec(
            "INSERT INTO quarantine (import_id, file_id, kind, feature, record_key, record, "
            "findings) VALUES (" +
            std::to_string(m_import_id) + ", " + std::to_string(o.file_id) + ", " +
            sql_text(std::string(to_string(o.spec->kind))) + ", " +
            sql_text(o.dataset + " #" + std::to_string(s->row)) + ", " +
            (s->key.empty() ? std::string("NULL") : sql_text(s->key)) + ", " +
            sql_text(attributes_json(*s, fields)) + ", " + sql_text(findings) + ")");
    }
}

// A finding goes into the archive as it comes: the batch's transaction holds it, and
// memory does not.
void Importer::keep_finding(const Finding& f) {
    if (!m_findings) {
        m_findings = std::make_unique<BulkInsert>(
            m_archive, "import_findings",
            std::vector<std::string>{"import_id", "file_id", "rule", "severity", "dataset",
                                     "feature", "record_key", "field", "message_zh", "message_en",
                                     "finding"},
            GeometryInput::wkt, "GEOMETRY");
    }
    BulkInsert& insert = *m_findings;
    insert.integer(0, m_import_id);
    if (auto it = m_file_ids.find(f.dataset); it != m_file_ids.end())
        insert.integer(1, it->second);
    insert.text(2, f.rule);
    insert.text(3, to_string(f.severity));
    insert.text(4, f.dataset);
    if (f.row > 0)
        insert.text(5, "#" + std::to_string(f.row));
    insert.text(6, f.key);
    insert.text(7, f.field);
    insert.text(8, m_rules.message(f, Lang::zh));
    insert.text(9, m_rules.message(f, Lang::en));
    insert.text(10, detail::finding_to_json(f, Lang::zh, m_rules).dump());
    if (f.geometry_wkt)
        insert.wkt(*f.geometry_wkt);
    if (!insert.insert())
        throw OutputError(m_archive.display_name(),
                          "cannot keep a finding: " + insert.last_error());
}

// Findings of a file reported before its row in import_files existed (opening it) get
// the file's id now.
void Importer::link_findings_to_files() {
    m_findings.reset();
    m_archive.exec(
        "UPDATE import_findings SET file_id = (SELECT max(f.id) FROM import_files f WHERE "
        "f.import_id = import_findings.import_id AND f.path = import_findings.dataset) WHERE "
        "import_id = " +
        std::to_string(m_import_id) + " AND file_id IS NULL AND dataset IS NOT NULL");
}

}  // namespace detail

namespace {

// The encoding GDAL is to read a zip's file names in, for the names that do not declare
// UTF-8 (bit 11 of their flags): UTF-8 when they all are valid UTF-8 (zips made on Linux),
// else GB18030 (zips made on Chinese Windows name their files in its code page, GBK).
// Empty when no name needs it, or the zip cannot be read (GDAL then says so).
std::string zip_name_encoding(const std::string& path) {
    unzFile zip = unzOpen64(path.c_str());
    if (zip == nullptr)
        return {};
    bool undeclared = false, utf8 = true;
    std::vector<char> name(65536);
    for (int rc = unzGoToFirstFile(zip); rc == UNZ_OK; rc = unzGoToNextFile(zip)) {
        unz_file_info64 info{};
        if (unzGetCurrentFileInfo64(zip, &info, name.data(), static_cast<uLong>(name.size()),
                                    nullptr, 0, nullptr, 0) != UNZ_OK)
            break;
        if ((info.flag & (1U << 11U)) != 0)
            continue;
        const std::string_view raw(name.data(),
                                   std::min<size_t>(info.size_filename, name.size() - 1));
        if (std::all_of(raw.begin(), raw.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
            continue;
        undeclared = true;
        utf8 = utf8 && is_valid_utf8(raw);
    }
    unzClose(zip);
    return !undeclared ? std::string() : utf8 ? "UTF-8" : "GB18030";
}

// The files of a folder tree or a zip (and of the zips in a folder tree), sorted, without
// a shapefile's parts beside its .shp.
void expand_into(const std::string& source, std::vector<std::string>& out) {
    if (!is_valid_utf8(source)) {
        out.push_back(source);  // named once, as not UTF-8, when imported
        return;
    }
    std::string root = source;
    const detail::FileStat st = detail::stat_file(source);
    if (lower_extension(source) == ".zip" && st.exists && !st.directory &&
        source.rfind("/vsi", 0) != 0) {
        // GDAL reads the names once, when the zip is first listed, in this encoding.
        if (const std::string encoding = zip_name_encoding(source); !encoding.empty())
            CPLSetConfigOption("CPL_ZIP_ENCODING", encoding.c_str());
        root = "/vsizip/" + source;
    }
    // GDAL takes a zip of one file for that file, but lists it as a folder all the same.
    const detail::FileStat root_stat = detail::stat_file(root);
    char** entries =
        root_stat.directory || root != source ? VSIReadDirRecursive(root.c_str()) : nullptr;
    if (entries == nullptr) {
        if (!root_stat.directory)
            out.push_back(source);  // reported (unreadable, or a file) when imported
        return;                     // an empty folder
    }
    std::vector<std::string> files;
    for (char** e = entries; e != nullptr && *e != nullptr; ++e) {
        const std::string path = root + "/" + *e;
        if (!detail::stat_file(path).directory)
            files.push_back(path);
    }
    CSLDestroy(entries);
    std::sort(files.begin(), files.end());
    const std::set<std::string> all(files.begin(), files.end());
    for (const auto& f : files) {
        if (lower_extension(f) == ".zip" && f.rfind("/vsi", 0) != 0)
            expand_into(f, out);  // a zip in a folder: its files
        else if (!is_shapefile_sidecar(f, all))
            out.push_back(f);
    }
}

}  // namespace

std::vector<std::string> expand_source(const std::string& source) {
    detail::ensure_gdal();
    detail::check_input_file(source);  // a SOURCE that is missing or a pipe: InputError
    std::vector<std::string> out;
    expand_into(source, out);
    return out;
}

ImportSummary import_sources(Archive& archive, const std::vector<std::string>& sources,
                             const RuleSet& rules, FindingSink& report,
                             const ImportOptions& options) {
    if (archive.schema_version() == 0)
        throw InputError(archive.display_name(),
                         "not a geoadmin archive (create one with geoadmin db init)");
    if (archive.schema_version() < Archive::latest_version())
        throw InputError(archive.display_name(),
                         "the archive's schema is older than this program's: run geoadmin db "
                         "migrate first");
    // PostgreSQL: rows go in with COPY, as ogr2ogr does.
    CPLConfigOptionSetter copy("PG_USE_COPY", "YES", false);
    detail::Importer importer(archive, rules, report, options);
    return importer.run(sources);
}

}  // namespace geoadmin
