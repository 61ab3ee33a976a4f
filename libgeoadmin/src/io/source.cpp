#include "geoadmin/io/source.hpp"

#include <cpl_csv.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "core/json_util.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/text/text.hpp"
#include "geoadmin/text/values.hpp"
#include "io/gdal_util.hpp"
#include "io/source_impl.hpp"
#include "io/text_repair.hpp"

namespace geoadmin {

namespace {

using detail::lower_extension;

bool is_connection(const std::string& path) {
    return path.rfind("PG:", 0) == 0 || path.rfind("/vsi", 0) == 0 ||
           path.find("://") != std::string::npos;
}

// GDAL messages gathered while opening or reading, folded to one finding per text.
std::atomic<int> g_vsimem_counter{0};

/// Finds the rows of a delimited text with more fields than its header, fed in chunks of
/// any size. GDAL's CSV reader drops the extra values silently, so they are found here.
/// Quotes are honoured (a quoted delimiter or line break is part of the value), as GDAL's
/// CSV tokenizer honours them: a record goes on while its quotes are unbalanced. On the
/// way it notes where records begin about every `part_bytes`, for a parallel scan, and
/// what GDAL would lose without a word (detail::TextDamage): NUL bytes, records too long
/// for it, byte-order marks starting a line, quotes that never close.
class WideRowScanner {
  public:
    /// `offset`: where the fed text starts in the bytes GDAL reads (after a byte-order mark).
    WideRowScanner(char delim, std::uint64_t offset, std::uint64_t part_bytes)
        : m_delim(delim),
          m_base(offset),
          m_offset(offset),
          m_part_bytes(part_bytes),
          m_record_start(offset) {}
    void feed(std::string_view text) {
        const char* p = text.data();
        const char* const end = p + text.size();
        if (std::memchr(p, '\0', text.size()) != nullptr)
            m_damage.nul = true;
        auto at = [&](const char* q) {
            return m_offset + static_cast<std::uint64_t>(q - text.data());
        };
        while (p < end) {
            if (m_quoted) {
                // A doubled quote inside quotes toggles twice: the same as an escaped quote.
                const auto* q = static_cast<const char*>(std::memchr(p, '"', end - p));
                const char* stop = q != nullptr ? q : end;
                m_quoted_lines += static_cast<std::uint64_t>(std::count(p, stop, '\n'));
                if ((m_quoted_lines > 0 && m_quote_mid_field) ||
                    m_quoted_lines > detail::kMaxQuotedLines) {
                    runaway();
                    continue;  // the text after the stray quote, read as unquoted
                }
                if (q == nullptr)
                    break;
                m_quoted = false;
                p = q + 1;
                continue;
            }
            if (m_line_start && end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0 &&
                at(p) != m_base) {
                m_damage.bom_inside = true;
            }
            m_line_start = false;
            // Up to the next line break or quote: count the delimiters.
            const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
            const char* stop = nl != nullptr ? nl : end;
            const auto* q = static_cast<const char*>(std::memchr(p, '"', stop - p));
            const char* until = q != nullptr ? q : stop;
            m_fields += static_cast<int>(std::count(p, until, m_delim));
            m_text = m_text || std::any_of(p, until, [](char c) { return c != '\r'; });
            if (q != nullptr) {
                // A quote that does not begin a field is not a CSV quote; GDAL takes it for
                // one all the same, so it must not run over a line break.
                const char before = q > text.data() ? q[-1] : m_last_char;
                m_quote_mid_field = !(before == m_delim || before == '\n' || at(q) == m_base);
                m_quoted = true;
                m_quote_at = at(q);
                m_quoted_lines = 0;
                m_text = true;
                p = q + 1;
            } else if (nl != nullptr) {
                const bool in_header = m_header < 0;
                end_line();
                const std::uint64_t next = at(nl + 1);
                if (next - m_record_start > detail::kMaxRecordBytes)
                    m_damage.long_record = true;
                m_record_start = next;
                m_line_start = true;
                if (in_header ? m_header >= 0 : next - m_starts.back() >= m_part_bytes)
                    m_starts.push_back(next);
                p = nl + 1;
            } else {
                p = end;
            }
        }
        if (!text.empty())
            m_last_char = text.back();
        m_offset += text.size();
    }
    /// (1-based data row, fields) of the wide rows; the header's field count; the byte
    /// offsets where parts of records begin, the end of the text last (empty when the text
    /// has no complete header line).
    std::vector<std::pair<std::int64_t, int>> finish(int& header_fields,
                                                     std::vector<std::uint64_t>& parts) {
        if (m_quoted)
            runaway();
        if (m_offset - m_record_start > detail::kMaxRecordBytes)
            m_damage.long_record = true;
        end_line();
        header_fields = m_header;
        parts = m_starts;
        if (!parts.empty() && parts.back() < m_offset)
            parts.push_back(m_offset);
        return std::move(m_wide);
    }
    /// What GDAL would lose; stray quotes as offsets in the fed text. After finish().
    const detail::TextDamage& damage() const { return m_damage; }

  private:
    // The quote open now runs on too far: it is taken for a stray one, and the scan goes on
    // from the line after it as if it were not there (the repair drops it).
    void runaway() {
        m_damage.stray_quotes.push_back(m_quote_at - m_base);
        m_quoted = false;
        m_quoted_lines = 0;
    }
    void end_line() {
        if (m_text) {
            if (m_header < 0)
                m_header = m_fields;
            else if (++m_row, m_fields > m_header)
                m_wide.emplace_back(m_row, m_fields);
        }
        m_fields = 1;
        m_text = false;
    }
    char m_delim;
    std::uint64_t m_base, m_offset, m_part_bytes;
    std::uint64_t m_record_start;
    int m_header = -1, m_fields = 1;
    std::int64_t m_row = 0;
    bool m_quoted = false, m_text = false, m_line_start = true, m_quote_mid_field = false;
    char m_last_char = '\n';
    std::uint64_t m_quote_at = 0, m_quoted_lines = 0;
    std::vector<std::pair<std::int64_t, int>> m_wide;
    std::vector<std::uint64_t> m_starts;
    detail::TextDamage m_damage;
};

// Opens `opened` (the file, or its transcoded copy) with GDAL; errors name `named`, the
// source as the user named it.
GDALDatasetUniquePtr open_dataset(const std::string& opened,
                                  const std::vector<std::string>& options,
                                  detail::GdalCapture& capture, const std::string& named) {
    std::vector<const char*> oo;
    oo.reserve(options.size());
    for (const auto& o : options)
        oo.push_back(o.c_str());
    oo.push_back(nullptr);
    GDALDatasetUniquePtr ds(GDALDataset::Open(opened.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                              nullptr, oo.data(), nullptr));
    if (!ds) {
        std::string why = capture.last_error();
        if (lower_extension(opened) == ".zip" && opened.rfind("/vsi", 0) != 0) {
            // A zip GDAL does not read as one dataset (a zipped shapefile it does): its files.
            std::string files;
            int n = 0;
            char** entries = VSIReadDirRecursive(("/vsizip/" + opened).c_str());
            for (char** e = entries; e != nullptr && *e != nullptr; ++e) {
                const std::string entry = *e;
                if (entry.empty() || entry.back() == '/')
                    continue;  // a folder
                if (++n <= 5)
                    files += (n == 1 ? "" : ", ") + entry;
            }
            CSLDestroy(entries);
            if (n > 0) {
                throw InputError(named, "a zip of " + std::to_string(n) + " files (" + files +
                                            (n > 5 ? ", ..." : "") + "): name one as /vsizip/" +
                                            opened +
                                            "/FILE, or import the whole zip with geoadmin import");
            }
        }
        throw InputError(named, why.empty() ? "not a vector data source GDAL can read" : why);
    }
    return ds;
}

}  // namespace

VectorSource::VectorSource() : m_impl(std::make_shared<detail::SourceImpl>()) {}
VectorSource::~VectorSource() = default;
VectorSource::VectorSource(VectorSource&&) noexcept = default;
VectorSource& VectorSource::operator=(VectorSource&&) noexcept = default;

const std::string& VectorSource::path() const {
    return m_impl->path;
}
std::string VectorSource::driver() const {
    return m_impl->dataset ? m_impl->dataset->GetDriverName() : "";
}
const std::string& VectorSource::encoding() const {
    return m_impl->encoding;
}
const std::string& VectorSource::encoding_origin() const {
    return m_impl->encoding_origin;
}
std::vector<Layer>& VectorSource::layers() {
    return m_layers;
}
const std::vector<Finding>& VectorSource::open_findings() const {
    return m_impl->open_findings;
}

void detail::check_input_file(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec) {
        if (ec == std::errc::too_many_symbolic_link_levels)
            throw InputError(path, "is a symbolic link that leads to itself (a link loop)");
        if (fs::is_symlink(fs::symlink_status(path, ec)))
            throw InputError(path, "is a symbolic link to a file that does not exist");
        if (ec == std::errc::permission_denied)
            throw InputError(path, "permission denied");
        throw InputError(path, "no such file or directory");
    }
    switch (st.type()) {
        case fs::file_type::regular:
        case fs::file_type::directory:
            return;
        case fs::file_type::fifo:
        case fs::file_type::character:
        case fs::file_type::socket:
            throw InputError(path,
                             "is a pipe or device, not a file: geoadmin reads files (it reads a "
                             "file more than once and knows its kind by its name); save the data "
                             "to a file first");
        case fs::file_type::not_found:
            throw InputError(path, "no such file or directory");
        default:
            throw InputError(path, "is not a regular file");
    }
}

namespace {

// A declared CRS GDAL could not read: what was declared, where, and GDAL's reason.
struct DeclaredCrsProblem {
    std::string declared, where, reason;
};

// A shapefile's .prj that GDAL read no CRS from; a GeoJSON "crs" member PROJ does not know.
DeclaredCrsProblem unreadable_declared_crs(const std::string& path, const std::string& ext,
                                           const detail::GdalCapture& capture) {
    constexpr std::size_t kShown = 80;
    DeclaredCrsProblem p;
    if (ext == ".shp") {
        const std::string prj = detail::sibling_file(path, ".prj");
        if (prj.empty())
            return p;
        OGRSpatialReference srs;
        std::string text = detail::read_head(prj, 1U << 20);
        const bool blank = trim(text).empty();
        if (!blank &&
            srs.SetFromUserInput(text.c_str(),
                                 OGRSpatialReference::SET_FROM_USER_INPUT_LIMITATIONS_get()) ==
                OGRERR_NONE)
            return p;
        std::string shown = make_valid_utf8(text.substr(0, kShown));
        for (char& c : shown) {
            if (static_cast<unsigned char>(c) < 0x20)
                c = ' ';
        }
        while (!shown.empty() && shown.back() == ' ')
            shown.pop_back();
        p.declared = blank ? std::filesystem::path(prj).filename().string() : shown;
        p.where = std::filesystem::path(prj).filename().string();
        p.reason = blank ? "the file is empty" : "not a CRS definition (WKT)";
        return p;
    }
    if (ext == ".geojson" || ext == ".json") {
        const std::string why = capture.find("proj_create");
        if (why.empty())
            return p;
        // The "crs" member's name, from the start of the file.
        const std::string head = detail::read_head(path, 1U << 16);
        const auto crs = head.find("\"crs\"");
        // The key "name" (followed by a colon), not the value "name" of "type".
        auto name = crs;
        while (name != std::string::npos) {
            name = head.find("\"name\"", name + 1);
            const auto next =
                name == std::string::npos ? name : head.find_first_not_of(" \t\r\n", name + 6);
            if (next != std::string::npos && head[next] == ':')
                break;
        }
        const auto open = name == std::string::npos ? name : head.find('"', head.find(':', name));
        const auto close = open == std::string::npos ? open : head.find('"', open + 1);
        p.declared =
            close == std::string::npos
                ? std::string("(crs member)")
                : make_valid_utf8(head.substr(open + 1, std::min(close - open - 1, kShown)));
        p.where = "crs";
        p.reason = why;
    }
    return p;
}

// `text` repaired (see detail::repair_delimited_text) until no quote is left unclosed; the
// parts of `impl` and the wide rows `wide` then describe the repaired text.
std::string repaired_text(std::string_view text, char delim, std::uint64_t part_bytes,
                          const std::vector<std::uint64_t>& stray_quotes, const RuleSet& rules,
                          detail::SourceImpl& impl,
                          std::vector<std::pair<std::int64_t, int>>& wide) {
    std::string repaired = detail::repair_delimited_text(text, delim, stray_quotes, rules,
                                                         impl.path, impl.open_findings);
    // A quote dropped may show another that never closes: repair until none is left.
    constexpr int kMaxRepairs = 16;
    for (int pass = 0;; ++pass) {
        WideRowScanner scan(delim, 0, part_bytes);
        scan.feed(repaired);
        wide = scan.finish(impl.header_fields, impl.parts);
        if (scan.damage().stray_quotes.empty())
            return repaired;
        if (pass == kMaxRepairs) {
            throw InputError(impl.path,
                             "quotes are unbalanced all through the file: it is not a "
                             "delimited text (or its quote character is not \")");
        }
        repaired = detail::repair_delimited_text(repaired, delim, scan.damage().stray_quotes, rules,
                                                 impl.path, impl.open_findings);
    }
}

// A copy of `text` in GDAL's memory file system, read by GDAL instead of `path`; its name.
std::string in_memory_copy(const std::string& path, const std::string& text,
                           detail::SourceImpl& impl) {
    impl.vsimem_path = "/vsimem/geoadmin_" + std::to_string(g_vsimem_counter++) + "/" +
                       std::filesystem::path(path).filename().string();
    auto* copy = static_cast<GByte*>(VSIMalloc(text.size() + 1));
    if (copy == nullptr)
        throw Error("out of memory reading " + path);
    std::memcpy(copy, text.c_str(), text.size() + 1);  // with its NUL
    VSILFILE* f = VSIFileFromMemBuffer(impl.vsimem_path.c_str(), copy, text.size(), TRUE);
    if (f == nullptr)
        throw Error("cannot create an in-memory copy of " + path);
    VSIFCloseL(f);
    return impl.vsimem_path;
}

// A copy of `bytes` in a temporary file on disk named like `path`, removed when the source
// closes (SourceImpl removes its vsimem_path).
std::string temporary_copy(const std::string& path, const std::string& bytes,
                           detail::SourceImpl& impl) {
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    impl.vsimem_path = (dir / ("geoadmin-" + std::to_string(::getpid()) + "-" +
                               std::to_string(g_vsimem_counter++) +
                               std::filesystem::path(path).extension().string()))
                           .string();
    VSILFILE* f = VSIFOpenL(impl.vsimem_path.c_str(), "wb");
    const bool written =
        f != nullptr && VSIFWriteL(bytes.data(), 1, bytes.size(), f) == bytes.size();
    if (f != nullptr)
        VSIFCloseL(f);
    if (!written) {
        VSIUnlink(impl.vsimem_path.c_str());
        throw InputError(path, "cannot copy it to a temporary file in " + dir.string());
    }
    return impl.vsimem_path;
}

// A delimited text: transcoded to UTF-8 in memory when it is in another encoding, its
// rows with extra fields found, the byte offsets of its parts noted, then opened by GDAL.
void open_delimited_text(detail::SourceImpl& impl, const OpenOptions& options, const RuleSet& rules,
                         detail::GdalCapture& capture) {
    const std::string& path = impl.path;
    const Subject whole{path, "", 0, -1, "", ""};
    const std::string ext = lower_extension(path);
    std::string open_path = path;
    std::vector<std::string> open_options;
    // GDAL's CSV reader takes bytes as UTF-8: transcode other encodings first, into
    // memory, so headers and values reach GDAL as UTF-8. The file is read in chunks: the
    // encoding is decided on its start (until enough non-ASCII text is seen), and the
    // whole file is held in memory only when it must be transcoded.
    detail::FileReader in(path);
    if (!in.is_open())
        throw InputError(path, "cannot read the file");
    constexpr std::size_t kChunk = 8U << 20;
    auto read_chunk = [&](std::string& into) {
        std::size_t old = into.size();
        into.resize(old + kChunk);
        const std::size_t got = in.read(into.data() + old, kChunk);
        into.resize(old + got);
        return got > 0;
    };
    std::string prefix;
    std::size_t non_ascii = 0;
    while (non_ascii < 65536 && prefix.size() < (64U << 20) && read_chunk(prefix)) {
        non_ascii =
            static_cast<std::size_t>(std::count_if(prefix.begin(), prefix.end(), [](char c) {
                return static_cast<unsigned char>(c) >= 0x80;
            }));
    }
    bool at_end = in.at_end();
    bool had_bom = strip_bom(prefix).size() != prefix.size();
    std::string encoding = options.encoding;
    if (encoding.empty()) {
        std::string_view sample = prefix;
        // Enough text to decide on: the lines up to the 65,536th non-ASCII byte.
        bool whole_lines = at_end;
        std::size_t seen = 0, cut = 0;
        while (cut < sample.size() && seen < 65536)
            seen += static_cast<unsigned long>(static_cast<unsigned char>(sample[cut++]) >= 0x80);
        if (seen >= 65536) {
            const std::size_t nl = sample.find('\n', cut);
            if (nl != std::string_view::npos) {
                sample = sample.substr(0, nl + 1);
                whole_lines = true;
            }
        }
        if (!whole_lines) {
            // Decide on whole lines: a chunk may end inside a character.
            std::size_t nl = sample.rfind('\n');
            if (nl != std::string_view::npos)
                sample = sample.substr(0, nl + 1);
        }
        encoding = had_bom ? "UTF-8" : detect_encoding(sample);
        if (encoding.empty()) {
            throw InputError(path,
                             "the text is neither UTF-8 nor GBK/GB18030; give its encoding "
                             "with --encoding");
        }
        impl.encoding_origin = had_bom ? "declared (byte-order mark)" : "detected";
    } else {
        impl.encoding_origin = "option";
    }
    impl.encoding = encoding;
    std::string upper = encoding;
    for (auto& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string_view header_text = strip_bom(prefix);
    header_text = header_text.substr(0, header_text.find('\n'));
    // The delimiter as GDAL's CSV driver finds it on the header line (for the parallel
    // scan, which splits records with GDAL's tokenizer too).
    impl.delimiter = ext == ".tsv" ? '\t' : CSVDetectSeperator(std::string(header_text).c_str());
    char delim = ext == ".tsv" ? '\t' : ',';
    if (ext != ".tsv") {
        auto commas = std::count(header_text.begin(), header_text.end(), ',');
        auto semis = std::count(header_text.begin(), header_text.end(), ';');
        auto tabs = std::count(header_text.begin(), header_text.end(), '\t');
        if (semis > commas && semis >= tabs)
            delim = ';';
        else if (tabs > commas && tabs > semis)
            delim = '\t';
    }
    // Parts of about a megabyte: a scan on two threads keeps both busy to the end.
    constexpr std::uint64_t kPartBytes = 1U << 20;
    std::optional<WideRowScanner> wide_rows;
    // The text GDAL reads from memory (transcoded or repaired), when it does not read the file.
    std::optional<std::string> in_memory;
    if (upper != "UTF-8" && upper != "UTF8") {
        while (read_chunk(prefix)) {
        }
        in_memory = to_utf8(prefix, encoding);
        if (!in_memory)
            throw InputError(path, "the text is not valid " + encoding);
        std::string().swap(prefix);
        std::string_view text = strip_bom(*in_memory);
        wide_rows.emplace(delim, in_memory->size() - text.size(), kPartBytes);
        wide_rows->feed(text);
        if (impl.encoding_origin == "detected") {
            impl.open_findings.push_back(
                rules.make("READ-ENCODING-DETECTED", whole, {{"encoding", encoding}}));
        }
    } else {
        // Read straight from the file by GDAL; the rest is only scanned for wide rows.
        std::string_view text = strip_bom(prefix);
        wide_rows.emplace(delim, prefix.size() - text.size(), kPartBytes);
        wide_rows->feed(text);
        std::string chunk;
        while (true) {
            chunk.clear();
            if (!read_chunk(chunk))
                break;
            wide_rows->feed(chunk);
        }
    }
    auto wide = wide_rows->finish(impl.header_fields, impl.parts);
    if (wide_rows->damage().any()) {
        // Damage GDAL would pass over in silence: read a repaired copy, each repair a finding.
        if (!in_memory)
            in_memory = detail::read_whole(path);
        if (!in_memory)
            throw InputError(path, "cannot read the file again");
        in_memory = repaired_text(strip_bom(*in_memory), delim, kPartBytes,
                                  wide_rows->damage().stray_quotes, rules, impl, wide);
    }
    if (in_memory) {
        open_path = in_memory_copy(path, *in_memory, impl);
        in_memory.reset();
    }
    for (const auto& [row, count] : wide) {
        Subject at = whole;
        at.row = row;
        impl.open_findings.push_back(rules.make(
            "READ-ROW-EXTRA-FIELDS", at,
            {{"count", std::to_string(count)}, {"header", std::to_string(impl.header_fields)}}));
    }
    impl.text_path = open_path;
    open_options = {"HEADERS=YES", "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES"};
    impl.dataset = open_dataset(open_path, open_options, capture, path);
}

// A shapefile: its encoding from --encoding, the .cpg, the DBF language id or its content.
// A shapefile's parts beside its .shp: the index must be there, and the attribute table,
// when there is one, must be a dBASE table (GDAL would read the shapes without a word).
void check_shapefile_parts(const std::string& path) {
    if (lower_extension(path) != ".shp" || detail::stat_file(path).directory)
        return;
    if (detail::sibling_file(path, ".shx").empty()) {
        throw InputError(path.substr(0, path.size() - 4) + ".shx",
                         "missing: a shapefile's index (.shx) must lie beside its .shp");
    }
    const std::string dbf = detail::sibling_file(path, ".dbf");
    if (dbf.empty())
        return;
    const std::string head = detail::read_head(dbf, 32);
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
    const std::uintmax_t size = detail::stat_file(dbf).size;
    bool valid = head.size() == 32;
    if (valid) {
        const unsigned version = byte(0) & 0x07U;  // dBASE III to 5 (the low bits)
        const std::uint32_t records = byte(4) | (byte(5) << 8U) | (byte(6) << 16U) |
                                      (static_cast<std::uint32_t>(byte(7)) << 24U);
        const std::uint32_t header = byte(8) | (byte(9) << 8U);
        const std::uint32_t record = byte(10) | (byte(11) << 8U);
        valid = version >= 2 && version <= 5 && header >= 33 && record >= 1 && header <= size &&
                static_cast<std::uintmax_t>(header) + std::uintmax_t{records} * record <= size + 1;
    }
    if (!valid) {
        throw InputError(dbf,
                         "the attribute table is not a dBASE (.dbf) table, or is damaged: its "
                         "header does not describe its records");
    }
}

// The text of a .cpg beside a shapefile, trimmed, or "".
std::string cpg_text(const std::string& path) {
    const std::string p = detail::sibling_file(path, ".cpg");
    return p.empty() ? std::string() : make_valid_utf8(trim(detail::read_head(p, 256)));
}

// The first text of a layer (field names, then string values of up to 200 features) that
// is not valid UTF-8 as GDAL gives it, or nullopt.
std::optional<std::string> invalid_text(OGRLayer& layer) {
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        if (!is_valid_utf8(defn->GetFieldDefn(i)->GetNameRef()))
            return std::string(defn->GetFieldDefn(i)->GetNameRef());
    }
    layer.ResetReading();
    int n = 0;
    for (auto& feature : layer) {
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            if (defn->GetFieldDefn(i)->GetType() == OFTString && feature->IsFieldSetAndNotNull(i) &&
                !is_valid_utf8(feature->GetFieldAsString(i))) {
                layer.ResetReading();
                return std::string(feature->GetFieldAsString(i));
            }
        }
        if (++n >= 200)
            break;
    }
    layer.ResetReading();
    return std::nullopt;
}

void open_shapefile(detail::SourceImpl& impl, const OpenOptions& options, const RuleSet& rules,
                    detail::GdalCapture& capture) {
    const std::string& path = impl.path;
    const Subject whole{path, "", 0, -1, "", ""};
    check_shapefile_parts(path);
    if (!options.encoding.empty()) {
        impl.dataset = open_dataset(path, {"ENCODING=" + options.encoding}, capture, path);
        impl.encoding = options.encoding;
        impl.encoding_origin = "option";
    } else {
        impl.dataset = open_dataset(path, {}, capture, path);
        OGRLayer* layer = impl.dataset->GetLayerCount() > 0 ? impl.dataset->GetLayer(0) : nullptr;
        const char* declared =
            layer != nullptr ? layer->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE") : nullptr;
        if (declared != nullptr && *declared != '\0') {
            impl.encoding = declared;
            const char* cpg = layer->GetMetadataItem("ENCODING_FROM_CPG", "SHAPEFILE");
            impl.encoding_origin =
                cpg != nullptr && *cpg != '\0' ? "declared (.cpg)" : "declared (DBF language id)";
        } else {
            // Nothing declared: read the raw bytes of the text fields and decide.
            impl.dataset = open_dataset(path, {"ENCODING="}, capture, path);
            std::string sample;
            layer = impl.dataset->GetLayerCount() > 0 ? impl.dataset->GetLayer(0) : nullptr;
            if (layer != nullptr) {
                OGRFeatureDefn* defn = layer->GetLayerDefn();
                for (int i = 0; i < defn->GetFieldCount(); ++i) {
                    sample += defn->GetFieldDefn(i)->GetNameRef();
                    sample += '\n';
                }
                layer->ResetReading();
                int n = 0;
                for (auto& feature : *layer) {
                    for (int i = 0; i < defn->GetFieldCount(); ++i) {
                        if (defn->GetFieldDefn(i)->GetType() == OFTString &&
                            feature->IsFieldSetAndNotNull(i)) {
                            sample += feature->GetFieldAsString(i);
                            sample += '\n';
                        }
                    }
                    if (++n >= 5000 || sample.size() > (1U << 20))
                        break;
                }
                layer->ResetReading();
            }
            std::string encoding = detect_encoding(sample);
            // A .cpg naming an encoding GDAL does not know is not "no .cpg".
            if (const std::string cpg = cpg_text(path); !cpg.empty()) {
                impl.open_findings.push_back(rules.make(
                    "READ-ENCODING-DECLARED-UNKNOWN", whole,
                    {{"declared", cpg}, {"encoding", encoding.empty() ? "ISO-8859-1" : encoding}}));
            }
            if (encoding.empty()) {
                // Neither UTF-8 nor GB18030: leave GDAL's default (ISO-8859-1) and say so.
                impl.dataset = open_dataset(path, {}, capture, path);
                impl.encoding = "ISO-8859-1";
                impl.encoding_origin = "GDAL default (not declared, not detected)";
            } else {
                impl.dataset = open_dataset(path, {"ENCODING=" + encoding}, capture, path);
                impl.encoding = encoding;
                impl.encoding_origin = "detected";
                if (encoding != "UTF-8" && cpg_text(path).empty()) {
                    impl.open_findings.push_back(
                        rules.make("READ-ENCODING-DETECTED", whole, {{"encoding", encoding}}));
                }
            }
        }
    }
    // An encoding given or declared that the text is not in: say which it reads as.
    OGRLayer* first = impl.dataset->GetLayerCount() > 0 ? impl.dataset->GetLayer(0) : nullptr;
    if (first != nullptr && impl.encoding_origin != "detected") {
        if (auto bad = invalid_text(*first)) {
            std::string sample = *bad;
            auto raw = open_dataset(path, {"ENCODING="}, capture, path);
            if (raw->GetLayerCount() > 0) {
                OGRFeatureDefn* defn = raw->GetLayer(0)->GetLayerDefn();
                for (int i = 0; i < defn->GetFieldCount(); ++i)
                    sample += std::string("\n") + defn->GetFieldDefn(i)->GetNameRef();
            }
            const std::string detected = detect_encoding(sample);
            impl.open_findings.push_back(
                rules.make("READ-ENCODING-WRONG", whole,
                           {{"encoding", impl.encoding},
                            {"origin", impl.encoding_origin},
                            {"detected", detected.empty() ? "?" : detected},
                            {"sample", make_valid_utf8(bad->substr(0, 40))}}));
        }
    }
}

}  // namespace

VectorSource VectorSource::open(const std::string& path, const OpenOptions& options,
                                const RuleSet& rules) {
    detail::ensure_gdal();
    VectorSource source;
    detail::SourceImpl& impl = *source.m_impl;
    impl.path = path;

    if (!is_connection(path))
        detail::check_input_file(path);
    if (!options.encoding.empty() && !is_known_encoding(options.encoding)) {
        throw UsageError("--encoding: unknown encoding '" + options.encoding +
                         "' (try GBK, GB18030, UTF-8, BIG5)");
    }

    const std::string ext = lower_extension(path);
    const Subject whole{path, "", 0, -1, "", ""};
    detail::GdalCapture capture;

    if (ext == ".csv" || ext == ".tsv" || ext == ".txt") {
        open_delimited_text(impl, options, rules, capture);
    } else if (ext == ".shp" || ext == ".dbf") {
        open_shapefile(impl, options, rules, capture);
    } else if (path.rfind("/vsizip/", 0) == 0 &&
               (ext == ".xlsx" || ext == ".ods" || ext == ".xls")) {
        // A spreadsheet in a zip is read from a copy, up to 1 GiB (a zip can claim any
        // size): GDAL does not open an XLSX or ODS (a zip itself) inside a zip, and its XLS
        // reader (FreeXL) reads files on disk only, so an XLS is copied to a temporary file.
        constexpr std::uint64_t kMaxCopy = 1ULL << 30;
        if (detail::stat_file(path).size > kMaxCopy)
            throw InputError(path, "a spreadsheet of more than 1 GiB inside a zip: unzip it first");
        const auto bytes = detail::read_whole(path);
        if (!bytes)
            throw InputError(path, "cannot read the file");
        impl.dataset = open_dataset(
            ext == ".xls" ? temporary_copy(path, *bytes, impl) : in_memory_copy(path, *bytes, impl),
            {}, capture, path);
    } else {
        impl.dataset = open_dataset(path, {}, capture, path);
        // A folder of shapefiles: its encoding is declared or detected as for one.
        const GDALDriver* driver = impl.dataset->GetDriver();
        if (driver != nullptr && std::string(driver->GetDescription()) == "ESRI Shapefile") {
            impl.dataset.reset();
            open_shapefile(impl, options, rules, capture);
        }
    }

    // Layers.
    const AliasTable& aliases = AliasTable::builtin();
    bool crs_reported = false;  // PROJ's own message about it is then left out
    for (int i = 0; i < impl.dataset->GetLayerCount(); ++i) {
        OGRLayer* ogr = impl.dataset->GetLayer(i);
        std::string name = ogr->GetName();
        if (!options.layers.empty() &&
            std::find(options.layers.begin(), options.layers.end(), name) == options.layers.end()) {
            continue;
        }
        Layer layer;
        layer.m_source = source.m_impl;
        layer.m_index = i;
        layer.m_name = name;
        layer.m_assume_crs = options.assume_crs;
        // Only when the driver knows it: a CSV would be parsed once more just to count.
        layer.m_feature_count =
            ogr->TestCapability(OLCFastFeatureCount) != 0 ? ogr->GetFeatureCount(TRUE) : -1;
        layer.m_geometry_type = OGRGeometryTypeToName(ogr->GetGeomType());
        // The extent when the file stores it, or when the layer is small and counts its
        // features fast (a GeoJSON, in memory already); never a pass over a CSV for it.
        if (ogr->GetGeomType() != wkbNone &&
            (ogr->TestCapability(OLCFastGetExtent) != 0 ||
             (layer.m_feature_count >= 0 && layer.m_feature_count <= 100'000))) {
            OGREnvelope env;
            if (ogr->GetExtent(&env, TRUE) == OGRERR_NONE && env.IsInit() != 0)
                layer.m_stored_extent =
                    std::array<double, 4>{env.MinX, env.MinY, env.MaxX, env.MaxY};
        }
        OGRFeatureDefn* defn = ogr->GetLayerDefn();
        std::vector<std::string> headers;
        for (int f = 0; f < defn->GetFieldCount(); ++f) {
            const OGRFieldDefn* fd = defn->GetFieldDefn(f);
            // A header in the wrong encoding stays readable in messages (U+FFFD for bad bytes).
            layer.m_fields.push_back({make_valid_utf8(fd->GetNameRef()),
                                      OGRFieldDefn::GetFieldTypeName(fd->GetType()), ""});
            headers.emplace_back(fd->GetNameRef());
        }
        for (std::size_t a = 0; a < headers.size(); ++a) {
            for (std::size_t b = 0; b < a; ++b) {
                if (headers[a] == headers[b]) {
                    impl.open_findings.push_back(rules.make("READ-HEADER-DUPLICATE",
                                                            {path, name, 0, -1, "", headers[a]},
                                                            {{"column", headers[a]},
                                                             {"first", std::to_string(b + 1)},
                                                             {"second", std::to_string(a + 1)}}));
                    break;
                }
            }
        }
        if (options.kind) {
            layer.m_kind = *options.kind;
            layer.m_kind_matches = 0;
            for (const auto& h : headers)
                layer.m_kind_matches += aliases.canonical(*options.kind, h) ? 1 : 0;
        } else {
            layer.m_kind = aliases.guess_kind(headers, &layer.m_kind_matches);
        }
        for (auto& field : layer.m_fields) {
            if (auto c = aliases.canonical(layer.m_kind, field.name)) {
                // The first column mapped to a canonical field wins; later ones stay unmapped.
                if (layer.field_index(*c) < 0)
                    field.canonical = *c;
            }
        }
        // A CRS the data declares that GDAL cannot read: said so, and not replaced by
        // GDAL's default (GeoJSON falls back to WGS 84).
        const DeclaredCrsProblem unreadable = unreadable_declared_crs(path, ext, capture);
        if (!unreadable.declared.empty()) {
            crs_reported = true;
            impl.open_findings.push_back(
                rules.make("CRS-DECLARED-UNREADABLE", {path, name, 0, -1, "", unreadable.where},
                           {{"declared", unreadable.declared}, {"reason", unreadable.reason}}));
        } else if (const OGRSpatialReference* srs = ogr->GetSpatialRef()) {
            char* wkt = nullptr;
            const char* wkt_options[] = {"FORMAT=WKT2_2019", nullptr};
            srs->exportToWkt(&wkt, wkt_options);
            layer.m_declared_crs = Crs::from_wkt(wkt != nullptr ? wkt : "");
            CPLFree(wkt);
        }
        if (ogr->GetGeomType() != wkbNone && defn->GetGeomFieldCount() > 0) {
            layer.m_coordinate_source = "geometry";
        } else if (layer.field_index("x") >= 0 && layer.field_index("y") >= 0) {
            layer.m_coordinate_source = "columns x/y";
        } else if (layer.field_index("lon") >= 0 && layer.field_index("lat") >= 0) {
            layer.m_coordinate_source = "columns lon/lat";
        } else {
            layer.m_coordinate_source = "none";
        }
        source.m_layers.push_back(std::move(layer));
    }
    if (!options.layers.empty() && source.m_layers.empty()) {
        throw InputError(path, "no layer named " + options.layers.front());
    }
    auto messages = capture.take();
    if (crs_reported) {
        messages.erase(std::remove_if(messages.begin(), messages.end(),
                                      [](const detail::GdalCapture::Message& m) {
                                          return m.text.find("proj_create") != std::string::npos;
                                      }),
                       messages.end());
    }
    detail::add_gdal_findings(messages, rules, whole, impl.open_findings);
    return source;
}

Layer& VectorSource::single_layer(const std::string& what) {
    if (m_layers.empty())
        throw InputError(path(), "no layer to read " + what + " from");
    if (m_layers.size() > 1) {
        std::string names;
        for (const auto& l : m_layers)
            names += (names.empty() ? "" : ", ") + l.name();
        throw InputError(path(), "holds " + std::to_string(m_layers.size()) + " layers (" + names +
                                     "): name the one with the " + what + " with --layer");
    }
    return m_layers.front();
}

// ---------------------------------------------------------------- layers

int Layer::field_index(std::string_view canonical) const {
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (m_fields[i].canonical == canonical)
            return static_cast<int>(i);
    }
    return -1;
}

void Layer::read_only(const std::vector<std::string>& canonical) {
    const int key = key_field_index();
    auto kept = [&](std::size_t i) {
        const auto& c = m_fields[i].canonical;
        return static_cast<int>(i) == key ||
               (!c.empty() && std::find(canonical.begin(), canonical.end(), c) != canonical.end());
    };
    std::vector<std::string> ignored;
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (!kept(i))
            ignored.push_back(m_fields[i].name);
    }
    // GDAL ignores by name: a column whose name a kept column shares (a duplicated header)
    // must stay read.
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (kept(i))
            ignored.erase(std::remove(ignored.begin(), ignored.end(), m_fields[i].name),
                          ignored.end());
    }
    m_ignored.assign(m_fields.size(), false);
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        m_ignored[i] = std::find(ignored.begin(), ignored.end(), m_fields[i].name) != ignored.end();
    }
    OGRLayer* ogr = m_source->dataset->GetLayer(m_index);
    std::vector<const char*> names;
    names.reserve(ignored.size());
    for (const auto& n : ignored)
        names.push_back(n.c_str());
    names.push_back(nullptr);
    ogr->SetIgnoredFields(names.data());
}

int Layer::key_field_index() const {
    switch (m_kind) {
        case RecordKind::marker:
            return field_index("marker_no");
        case RecordKind::line:
            return field_index("line_code");
        case RecordKind::unit:
            return field_index("code");
        case RecordKind::catalogue:
            return field_index("archive_no");
        case RecordKind::observation:
            return field_index("marker_no");
        case RecordKind::place_name: {
            int i = field_index("code");
            return i >= 0 ? i : field_index("name");
        }
    }
    return -1;
}

}  // namespace geoadmin
