#pragma once

// The archive import's parts shared by its files (import.cpp: the batch, deciding and
// loading; import_kinds.cpp: staging each kind of record and the documents).

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "archive/bulk_insert.hpp"
#include "archive/documents.hpp"
#include "geoadmin/archive/import.hpp"
#include "geoadmin/checks/markers.hpp"
#include "geoadmin/checks/names.hpp"
#include "geoadmin/io/aliases.hpp"
#include "geoadmin/io/source.hpp"
#include "geoadmin/model/lines.hpp"
#include "geoadmin/model/units.hpp"

namespace geoadmin::detail {

// How a record kind is kept: its table, key columns, and the columns filled from the
// record's canonical fields.
struct Column {
    const char* column;
    const char* canonical;
};
struct KindSpec {
    RecordKind kind;
    const char* table;
    std::vector<const char*> key;  // the table's key columns, in the key's order
    std::vector<Column> columns;
    const char* geometry;  // "POINT", "MULTILINESTRING", "MULTIPOLYGON", nullptr for none
};

/// The table and columns of a kind; nullptr for a kind the archive does not keep.
const KindSpec* spec_of(RecordKind kind);
/// Index of a table column in spec.columns, or -1.
int column_of(const KindSpec& spec, const char* column);

/// A record's values in one string: per field a tag (0: no value) or the value's length
/// plus one as a LEB128 varint, then its bytes. A staged record keeps its fields so,
/// instead of a string (and its allocation) per field.
std::string pack_values(const std::vector<std::optional<std::string>>& values);
/// The value of field `k` of a packed record; nullopt for none or past the end.
std::optional<std::string_view> packed_value(std::string_view packed, size_t k);
/// Every field of a packed record (views into `packed`), in one pass.
using FieldViews = std::vector<std::optional<std::string_view>>;
void unpack_values(std::string_view packed, FieldViews& out);

/// The content a record is compared by (see record_hash in import.cpp), worked out once
/// for a layer's fields: each canonical name with the fields that give it.
class RecordHasher {
  public:
    explicit RecordHasher(const std::vector<FieldInfo>& fields);
    /// SHA-256 of the record's canonical content and the geometry's digest (or position).
    std::array<unsigned char, 32> operator()(const Record& r, const std::string& geometry) const;

  private:
    struct Entry {
        std::string label;         // "name=" (the canonical name, or "column:" + header)
        std::vector<size_t> from;  // the fields giving it, in the layer's order
    };
    std::vector<Entry> m_entries;  // by label, as a std::map orders them
};

/// Lowercase hex of a digest.
std::string hex_of(const std::array<unsigned char, 32>& digest);

// Where staged records come from: one per layer read.
struct Origin {
    const KindSpec* spec = nullptr;
    std::int64_t file_id = 0;
    std::string dataset, layer;
    std::string key_field;               // the key's column as the source names it
    std::vector<int> column_index;       // per spec->columns: the layer's field, or -1
    std::vector<std::string> json_keys;  // per field of the layer: its header as a JSON key
    std::shared_ptr<const RecordHasher> hasher;
};

// What only some kinds have: a geometry (lines, units), the document a catalogue entry
// describes.
struct StagedExtra {
    std::string wkb;  // CGCS2000 lon/lat
    Bounds bounds;
    std::string file_name;  // catalogue: the document's file name
};

// A record read, checked and waiting for the batch's decision: about 200 bytes and its
// packed fields (a million markers of 22 columns stay well under a gigabyte).
struct Staged {
    std::uint32_t origin = 0;  // index into Importer::m_origins
    bool has_position = false, has_gk = false;
    bool keyless = false, duplicate = false, quarantined = false;
    int gk_epsg = 0;
    std::int64_t row = 0, fid = -1;
    double lon = 0, lat = 0;
    double gk_x = 0, gk_y = 0;  // the marker's position in its Gauss–Krüger zone
    std::array<unsigned char, 32> hash{};
    std::string key;     // key columns joined by '\x1f'
    std::string values;  // every field as read (pack_values)
    // Columns the import filled in where the record has no value (a marker's line code
    // from its number, a catalogue entry's line from its folder): (column, value).
    std::vector<std::pair<std::uint32_t, std::string>> filled;
    std::unique_ptr<StagedExtra> extra;
};

// Applies --rules (a disabled rule is gone, a severity set there holds), forwards findings
// to the report, counts them, keeps them for the archive, and notes which rows have errors.
class BatchSink : public FindingSink {
  public:
    BatchSink(const RuleSet& rules, FindingSink& report) : m_rules(rules), m_report(report) {}
    void add(Finding f) override {
        if (m_rules.find(f.rule) != nullptr) {
            if (!m_rules.enabled(f.rule))
                return;
            f.severity = m_rules.severity(f.rule);
        }
        switch (f.severity) {
            case Severity::error:
                ++errors;
                if (f.row > 0)
                    error_rows[f.dataset].insert(f.row);
                break;
            case Severity::warning:
                ++warnings;
                break;
            case Severity::info:
                ++infos;
                break;
        }
        if (keep)
            keep(f);
        m_report.add(std::move(f));
    }
    /// Where the batch keeps each finding (the archive's import_findings).
    std::function<void(const Finding&)> keep;
    std::unordered_map<std::string, std::unordered_set<std::int64_t>> error_rows;  // by dataset
    std::int64_t errors = 0, warnings = 0, infos = 0;

  private:
    const RuleSet& m_rules;
    FindingSink& m_report;
};

/// The geometry as compared: CGCS2000 lon/lat to 1e-7 degree, single parts as multi, WKT.
std::string geometry_digest(const std::string& wkb);
/// SHA-256 of a record's canonical content (see import.cpp).
std::string record_hash(const std::vector<FieldInfo>& fields, const Record& r,
                        const std::string& geometry = {});
/// A string as an SQL literal.
std::string sql_text(const std::string& s);
/// The whole content of a file GDAL can reach (a plain path or /vsizip/...).
std::string read_all(const std::string& path);

struct FileRow {
    std::string path, sha256, kind, layer, status;
    std::int64_t size = 0, records = 0;
};

// A layer of a kind whose check needs the batch's other layers (markers against their
// lines, units against the lines): read after every file has been seen.
struct PendingLayer {
    std::string path, layer;
    bool only_layer = true;  // the source's one layer
    RecordKind kind;
    std::int64_t file_id = 0;
};

// A document of the batch, loaded with the records.
struct PendingDocument {
    std::string path, sha256;
    std::int64_t size = 0, file_id = 0;
    detail::DocumentType type;
};

// One batch: files read, checked and staged, then decided on and loaded in one
// transaction.
class Importer {
  public:
    Importer(Archive& archive, const RuleSet& rules, FindingSink& report,
             const ImportOptions& options)
        : m_archive(archive), m_rules(rules), m_sink(rules, report), m_options(options) {}

    ImportSummary run(const std::vector<std::string>& sources);

  private:
    // import.cpp
    void import_file(const std::string& path);
    void decide_and_load();
    void load_kind(const KindSpec& spec, std::vector<Staged*>& records);
    void keep_finding(const Finding& f);
    /// Findings reported before their file's row existed get its id.
    void link_findings_to_files();
    void write_quarantine(const std::vector<Staged*>& records);
    std::int64_t add_file_row(const FileRow& row);
    /// A file not read: listed as skipped, with IMPORT-FILE-SKIPPED saying why.
    void skip_file(FileRow& row, const std::string& reason);

    // import_kinds.cpp
    /// A document (PDF, scan, photo) by its first bytes: staged, true; otherwise false.
    bool stage_document(const std::string& path, const std::string& head, FileRow& row);
    void stage_names(const std::string& path, Layer& layer, std::int64_t file_id);
    /// The layers waiting for the batch's lines and units, in the order their checks need.
    void stage_pending();
    void add_archive_context();
    void stage_lines(const PendingLayer& p, VectorSource& source);
    void stage_units(const PendingLayer& p, VectorSource& source);
    void stage_markers(const PendingLayer& p, VectorSource& source);
    void stage_catalogue(const PendingLayer& p, VectorSource& source);
    std::uint32_t add_origin(const KindSpec& spec, const std::string& path, const Layer& layer,
                             std::int64_t file_id);
    /// A column of a staged record: what the import filled in, else the record's field.
    std::optional<std::string_view> column(const Staged& s, size_t i) const;
    /// The same from the record's fields unpacked.
    std::optional<std::string_view> column(const Staged& s, const FieldViews& fields,
                                           size_t i) const;
    /// Fills in column `i` of a record that has no value there.
    static void fill_column(Staged& s, size_t i, std::string value);
    /// Every field of a staged record as read, as a JSON object (the table's attributes).
    std::string attributes_json(const Staged& s, const FieldViews& fields) const;
    /// A record as staged: its fields and position; key and hash are the caller's.
    static Staged stage(std::uint32_t origin, const Record& r);
    Staged stage_with_geometry(std::uint32_t origin, const Record& r);
    void finish_staged(Staged& s, const Record& r, const std::string& geometry);
    void load_documents();
    /// Line codes a document's folder may name: the batch's lines and the archive's.
    const std::set<std::string>& known_line_codes();
    std::optional<std::int64_t> document_for(const std::string& file_name,
                                             const std::string& line_code);

    void progress(const std::string& stage, std::int64_t done, std::int64_t total) {
        if (m_options.progress)
            m_options.progress(stage, done, total);
    }
    static Finding file_finding(const std::string& rule, Severity severity, const std::string& path,
                                MessageArgs args) {
        Finding f;
        f.rule = rule;
        f.severity = severity;
        f.dataset = path;
        f.args = std::move(args);
        return f;
    }
    void add(Finding f) { m_sink.add(std::move(f)); }

    Archive& m_archive;
    const RuleSet& m_rules;
    BatchSink m_sink;
    const ImportOptions& m_options;
    ImportSummary m_summary;
    std::string m_now;
    std::int64_t m_import_id = 0;
    std::vector<Origin> m_origins;
    std::deque<Staged> m_staged;             // a deque: nothing moves as a million records arrive
    std::unique_ptr<BulkInsert> m_findings;  // import_findings, from the first finding on
    std::unique_ptr<NameChecker> m_names;
    std::map<std::string, std::int64_t> m_file_ids;  // dataset -> import_files id
    std::vector<PendingLayer> m_pending;
    std::vector<PendingDocument> m_documents;
    LineLayer m_lines;  // every line of the batch, for the checks of markers and units
    UnitLayer m_units;  // every unit of the batch, for the markers' check
    std::optional<std::set<std::string>> m_line_codes;
    std::unique_ptr<MarkerNumbering> m_numbering;
    // (original file name, line code) -> documents.id, for the catalogue's entries
    std::map<std::pair<std::string, std::string>, std::int64_t> m_document_ids;
};

}  // namespace geoadmin::detail
