#include "geoadmin/io/source.hpp"

#include <cpl_csv.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

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

#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/text/text.hpp"
#include "geoadmin/text/values.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

// ---------------------------------------------------------------- the source

namespace detail {
struct SourceImpl {
    std::string path;         // as the user named it
    std::string vsimem_path;  // transcoded copy, removed on close
    GDALDatasetUniquePtr dataset;
    std::string encoding = "UTF-8";
    std::string encoding_origin = "the format is always UTF-8";
    std::vector<Finding> open_findings;
    // Delimited text: what GDAL reads (the file or its transcoded copy), the delimiter, the
    // header's field count and where parts of its records begin (see WideRowScanner).
    std::string text_path;
    char delimiter = ',';
    int header_fields = -1;
    std::vector<std::uint64_t> parts;

    ~SourceImpl() {
        dataset.reset();
        if (!vsimem_path.empty())
            VSIUnlink(vsimem_path.c_str());
    }
};
}  // namespace detail

namespace {

std::string lower_extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

bool is_connection(const std::string& path) {
    return path.rfind("PG:", 0) == 0 || path.rfind("/vsi", 0) == 0 ||
           path.find("://") != std::string::npos;
}

// GDAL messages gathered while opening or reading, folded to one finding per text.
void add_gdal_findings(const std::vector<detail::GdalCapture::Message>& messages,
                       const RuleSet& rules, const Subject& subject, std::vector<Finding>& out) {
    std::map<std::string, int> counts;
    std::vector<std::string> order;
    for (const auto& m : messages) {
        if (counts[m.text]++ == 0)
            order.push_back(m.text);
    }
    for (const auto& text : order) {
        out.push_back(rules.make("READ-GDAL-MESSAGE", subject,
                                 {{"message", text}, {"count", std::to_string(counts[text])}}));
    }
}

std::atomic<int> g_vsimem_counter{0};

/// Finds the rows of a delimited text with more fields than its header, fed in chunks of
/// any size. GDAL's CSV reader drops the extra values silently, so they are found here.
/// Quotes are honoured (a quoted delimiter or line break is part of the value), as GDAL's
/// CSV tokenizer honours them: a record goes on while its quotes are unbalanced. On the
/// way it notes where records begin about every `part_bytes`, for a parallel scan.
class WideRowScanner {
  public:
    /// `offset`: where the fed text starts in the bytes GDAL reads (after a byte-order mark).
    WideRowScanner(char delim, std::uint64_t offset, std::uint64_t part_bytes)
        : m_delim(delim), m_offset(offset), m_part_bytes(part_bytes) {}
    void feed(std::string_view text) {
        const char* p = text.data();
        const char* const end = p + text.size();
        while (p < end) {
            if (m_quoted) {
                // A doubled quote inside quotes toggles twice: the same as an escaped quote.
                const auto* q = static_cast<const char*>(std::memchr(p, '"', end - p));
                if (q == nullptr)
                    break;
                m_quoted = false;
                p = q + 1;
                continue;
            }
            // Up to the next line break or quote: count the delimiters.
            const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
            const char* stop = nl != nullptr ? nl : end;
            const auto* q = static_cast<const char*>(std::memchr(p, '"', stop - p));
            const char* until = q != nullptr ? q : stop;
            m_fields += static_cast<int>(std::count(p, until, m_delim));
            m_text = m_text || std::any_of(p, until, [](char c) { return c != '\r'; });
            if (q != nullptr) {
                m_quoted = true;
                m_text = true;
                p = q + 1;
            } else if (nl != nullptr) {
                const bool in_header = m_header < 0;
                end_line();
                const std::uint64_t next =
                    m_offset + static_cast<std::uint64_t>(nl + 1 - text.data());
                if (in_header ? m_header >= 0 : next - m_starts.back() >= m_part_bytes)
                    m_starts.push_back(next);
                p = nl + 1;
            } else {
                p = end;
            }
        }
        m_offset += text.size();
    }
    /// (1-based data row, fields) of the wide rows; the header's field count; the byte
    /// offsets where parts of records begin, the end of the text last (empty when the text
    /// has no complete header line).
    std::vector<std::pair<std::int64_t, int>> finish(int& header_fields,
                                                     std::vector<std::uint64_t>& parts) {
        end_line();
        header_fields = m_header;
        parts = m_starts;
        if (!parts.empty() && parts.back() < m_offset)
            parts.push_back(m_offset);
        return std::move(m_wide);
    }

  private:
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
    std::uint64_t m_offset, m_part_bytes;
    int m_header = -1, m_fields = 1;
    std::int64_t m_row = 0;
    bool m_quoted = false, m_text = false;
    std::vector<std::pair<std::int64_t, int>> m_wide;
    std::vector<std::uint64_t> m_starts;
};

GDALDatasetUniquePtr open_dataset(const std::string& path, const std::vector<std::string>& options,
                                  detail::GdalCapture& capture, const std::string& user_path) {
    std::vector<const char*> oo;
    oo.reserve(options.size());
    for (const auto& o : options)
        oo.push_back(o.c_str());
    oo.push_back(nullptr);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                              nullptr, oo.data(), nullptr));
    if (!ds) {
        std::string why = capture.last_error();
        throw InputError(user_path, why.empty() ? "not a vector data source GDAL can read" : why);
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

VectorSource VectorSource::open(const std::string& path, const OpenOptions& options,
                                const RuleSet& rules) {
    detail::ensure_gdal();
    VectorSource source;
    detail::SourceImpl& impl = *source.m_impl;
    impl.path = path;

    if (!is_connection(path)) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec))
            throw InputError(path, "no such file or directory");
    }
    if (!options.encoding.empty() && !is_known_encoding(options.encoding)) {
        throw UsageError("--encoding: unknown encoding '" + options.encoding +
                         "' (try GBK, GB18030, UTF-8, BIG5)");
    }

    const std::string ext = lower_extension(path);
    const Subject whole{path, "", 0, -1, "", ""};
    detail::GdalCapture capture;
    std::string open_path = path;
    std::vector<std::string> open_options;

    if (ext == ".csv" || ext == ".tsv" || ext == ".txt") {
        // GDAL's CSV reader takes bytes as UTF-8: transcode other encodings first, into
        // memory, so headers and values reach GDAL as UTF-8. The file is read in chunks: the
        // encoding is decided on its start (until enough non-ASCII text is seen), and the
        // whole file is held in memory only when it must be transcoded.
        std::ifstream in(path, std::ios::binary);
        if (!in)
            throw InputError(path, "cannot read the file");
        constexpr std::size_t kChunk = 8U << 20;
        auto read_chunk = [&](std::string& into) {
            std::size_t old = into.size();
            into.resize(old + kChunk);
            in.read(into.data() + old, static_cast<std::streamsize>(kChunk));
            into.resize(old + static_cast<std::size_t>(in.gcount()));
            return in.gcount() > 0;
        };
        std::string prefix;
        std::size_t non_ascii = 0;
        while (non_ascii < 65536 && prefix.size() < (64U << 20) && read_chunk(prefix)) {
            non_ascii =
                static_cast<std::size_t>(std::count_if(prefix.begin(), prefix.end(), [](char c) {
                    return static_cast<unsigned char>(c) >= 0x80;
                }));
        }
        bool at_end = in.peek() == std::char_traits<char>::eof();
        bool had_bom = strip_bom(prefix).size() != prefix.size();
        std::string encoding = options.encoding;
        if (encoding.empty()) {
            std::string_view sample = prefix;
            // Enough text to decide on: the lines up to the 65,536th non-ASCII byte.
            bool whole_lines = at_end;
            std::size_t seen = 0, cut = 0;
            while (cut < sample.size() && seen < 65536)
                seen +=
                    static_cast<unsigned long>(static_cast<unsigned char>(sample[cut++]) >= 0x80);
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
        impl.delimiter =
            ext == ".tsv" ? '\t' : CSVDetectSeperator(std::string(header_text).c_str());
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
        if (upper != "UTF-8" && upper != "UTF8") {
            while (read_chunk(prefix)) {
            }
            auto utf8 = to_utf8(prefix, encoding);
            if (!utf8)
                throw InputError(path, "the text is not valid " + encoding);
            std::string().swap(prefix);
            std::string_view text = strip_bom(*utf8);
            wide_rows.emplace(delim, utf8->size() - text.size(), kPartBytes);
            wide_rows->feed(text);
            impl.vsimem_path = "/vsimem/geoadmin_" + std::to_string(g_vsimem_counter++) + "/" +
                               std::filesystem::path(path).filename().string();
            auto* copy = static_cast<GByte*>(VSIMalloc(utf8->size() + 1));
            if (copy == nullptr)
                throw Error("out of memory transcoding " + path);
            strcpy((char*)copy, utf8->data());
            VSILFILE* f = VSIFileFromMemBuffer(impl.vsimem_path.c_str(), copy, utf8->size(), TRUE);
            if (f == nullptr)
                throw Error("cannot create an in-memory copy of " + path);
            VSIFCloseL(f);
            open_path = impl.vsimem_path;
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
        for (const auto& [row, count] : wide_rows->finish(impl.header_fields, impl.parts)) {
            Subject at = whole;
            at.row = row;
            impl.open_findings.push_back(
                rules.make("READ-ROW-EXTRA-FIELDS", at,
                           {{"count", std::to_string(count)},
                            {"header", std::to_string(impl.header_fields)}}));
        }
        impl.text_path = open_path;
        open_options = {"HEADERS=YES", "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES"};
        impl.dataset = open_dataset(open_path, open_options, capture, path);
    } else if (ext == ".shp" || ext == ".dbf") {
        if (!options.encoding.empty()) {
            impl.dataset = open_dataset(path, {"ENCODING=" + options.encoding}, capture, path);
            impl.encoding = options.encoding;
            impl.encoding_origin = "option";
        } else {
            impl.dataset = open_dataset(path, {}, capture, path);
            OGRLayer* layer =
                impl.dataset->GetLayerCount() > 0 ? impl.dataset->GetLayer(0) : nullptr;
            const char* declared =
                layer != nullptr ? layer->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE") : nullptr;
            if (declared != nullptr && *declared != '\0') {
                impl.encoding = declared;
                const char* cpg = layer->GetMetadataItem("ENCODING_FROM_CPG", "SHAPEFILE");
                impl.encoding_origin = cpg != nullptr && *cpg != '\0'
                                           ? "declared (.cpg)"
                                           : "declared (DBF language id)";
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
                if (encoding.empty()) {
                    // Neither UTF-8 nor GB18030: leave GDAL's default (ISO-8859-1) and say so.
                    impl.dataset = open_dataset(path, {}, capture, path);
                    impl.encoding = "ISO-8859-1";
                    impl.encoding_origin = "GDAL default (not declared, not detected)";
                } else {
                    impl.dataset = open_dataset(path, {"ENCODING=" + encoding}, capture, path);
                    impl.encoding = encoding;
                    impl.encoding_origin = "detected";
                    if (encoding != "UTF-8") {
                        impl.open_findings.push_back(
                            rules.make("READ-ENCODING-DETECTED", whole, {{"encoding", encoding}}));
                    }
                }
            }
        }
    } else {
        impl.dataset = open_dataset(path, {}, capture, path);
    }

    // Layers.
    const AliasTable& aliases = AliasTable::builtin();
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
        if (const OGRSpatialReference* srs = ogr->GetSpatialRef()) {
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
    add_gdal_findings(capture.take(), rules, whole, impl.open_findings);
    return source;
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
        case RecordKind::place_name: {
            int i = field_index("code");
            return i >= 0 ? i : field_index("name");
        }
    }
    return -1;
}

namespace {

std::string fmt(double v) {
    std::ostringstream out;
    out.precision(std::fabs(v) < 1000.0 ? 8 : 12);
    out << v;
    return out.str();
}

std::string gk_crs_label(const GkZone& z, bool prefixed) {
    int code = cgcs2000_gk_epsg(z, prefixed);
    std::string label =
        "CGCS2000 / " + std::string(z.width == 3 ? "3-degree " : "") + "Gauss-Kruger " +
        (prefixed ? "zone " + std::to_string(z.zone)
                  : "CM " + std::to_string(static_cast<int>(z.central_meridian())) + "E");
    if (code != 0)
        label += " (EPSG:" + std::to_string(code) + ")";
    return label;
}

// Every linestring and ring of `g` as CGCS2000 lon/lat vertex sequences.
// `part_polygon` receives, per part, the polygon it is a ring of (-1 for points and lines).
std::vector<std::vector<LonLat>> vertices_in_cgcs2000(const OGRGeometry& g, bool swap_axes,
                                                      const ToCgcs2000& transform,
                                                      std::vector<int>& part_polygon) {
    std::vector<std::vector<LonLat>> parts;
    part_polygon.clear();
    int polygon = -1;
    int polygons = 0;
    std::vector<double> xs, ys;
    auto add_curve = [&](const OGRSimpleCurve& curve) {
        const int n = curve.getNumPoints();
        xs.resize(static_cast<std::size_t>(n));
        ys.resize(static_cast<std::size_t>(n));
        curve.getPoints(xs.data(), sizeof(double), ys.data(), sizeof(double));
        if (swap_axes)
            xs.swap(ys);
        if (!transform.transform_many(xs.size(), xs.data(), ys.data()))
            return;
        std::vector<LonLat> part(xs.size());
        for (std::size_t i = 0; i < xs.size(); ++i)
            part[i] = {xs[i], ys[i]};
        parts.push_back(std::move(part));
        part_polygon.push_back(polygon);
    };
    std::function<void(const OGRGeometry&)> walk = [&](const OGRGeometry& geom) {
        switch (wkbFlatten(geom.getGeometryType())) {
            case wkbPoint: {
                const auto& p = *geom.toPoint();
                double x = swap_axes ? p.getY() : p.getX();
                double y = swap_axes ? p.getX() : p.getY();
                if (transform.transform(x, y)) {
                    parts.push_back({{x, y}});
                    part_polygon.push_back(-1);
                }
                break;
            }
            case wkbLineString:
            case wkbLinearRing:
                add_curve(*geom.toSimpleCurve());
                break;
            case wkbPolygon:
                polygon = polygons++;
                for (const auto* ring : *geom.toPolygon())
                    add_curve(*ring);
                polygon = -1;
                break;
            default:
                if (OGR_GT_IsSubClassOf(geom.getGeometryType(), wkbGeometryCollection) != 0) {
                    for (const auto* sub : *geom.toGeometryCollection())
                        walk(*sub);
                }
        }
    };
    walk(g);
    return parts;
}

// Where the rows of a scan come from.
class RowSource {
  public:
    enum class Kind { row, unreadable, end };
    virtual ~RowSource() = default;
    /// The next row: fills record.fid and record.values (one per field, reusing their
    /// storage), the GDAL messages that came with it, and its geometry (or null; valid
    /// until the next call). At `end`, `messages` holds what GDAL said last.
    virtual Kind next(Record& record, std::vector<detail::GdalCapture::Message>& messages,
                      const OGRGeometry*& geometry) = 0;
};

// Copies a feature's fields into `values`, reusing the strings already there.
void copy_fields(const OGRFeature& feature, std::vector<std::optional<std::string>>& values) {
    const int n = feature.GetFieldCount();
    values.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        auto& v = values[static_cast<std::size_t>(i)];
        if (!feature.IsFieldSetAndNotNull(i)) {
            v.reset();
        } else if (v) {
            v->assign(feature.GetFieldAsString(i));
        } else {
            v.emplace(feature.GetFieldAsString(i));
        }
    }
}

// Reads features on the calling thread; a damaged feature is reported and stepped over.
class DirectRows : public RowSource {
  public:
    DirectRows(OGRLayer* layer, std::int64_t total) : m_layer(layer), m_total(total) {
        m_layer->ResetReading();
    }
    Kind next(Record& record, std::vector<detail::GdalCapture::Message>& messages,
              const OGRGeometry*& geometry) override {
        m_feature.reset(m_layer->GetNextFeature());
        messages = m_capture.take();
        geometry = nullptr;
        if (!m_feature) {
            bool failed = false;
            for (const auto& m : messages)
                failed = failed || m.level >= CE_Failure;
            if (failed && m_total > 0 && m_row < m_total && m_failures < 100) {
                ++m_row;
                ++m_failures;
                m_layer->SetNextByIndex(m_row);
                m_capture.take();
                return Kind::unreadable;
            }
            return Kind::end;
        }
        m_failures = 0;
        ++m_row;
        record.fid = m_feature->GetFID();
        copy_fields(*m_feature, record.values);
        geometry = m_feature->GetGeometryRef();
        return Kind::row;
    }

  private:
    OGRLayer* m_layer;
    std::int64_t m_total;
    detail::GdalCapture m_capture;
    OGRFeatureUniquePtr m_feature;
    std::int64_t m_row = 0;
    int m_failures = 0;
};

// Reads an attribute table on a second thread, so that GDAL's parsing overlaps with the
// work on each row. Rows travel in batches whose storage goes back and forth between the
// threads and is reused: no memory allocated by one thread is freed by the other.
class ThreadedRows : public RowSource {
  public:
    ThreadedRows(OGRLayer* layer, std::int64_t total) : m_layer(layer), m_total(total) {
        for (int i = 0; i < kBatches; ++i)
            m_free.push_back(std::make_unique<Batch>());
        m_thread = std::thread([this] { run(); });
    }
    ~ThreadedRows() override {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }
    ThreadedRows(const ThreadedRows&) = delete;
    ThreadedRows& operator=(const ThreadedRows&) = delete;

    Kind next(Record& record, std::vector<detail::GdalCapture::Message>& messages,
              const OGRGeometry*& geometry) override {
        geometry = nullptr;
        while (!m_current || m_pos >= m_current->rows.size()) {
            std::unique_lock<std::mutex> lock(m_mutex);
            if (m_current) {
                m_free.push_back(std::move(m_current));
                m_changed.notify_all();
            }
            m_changed.wait(lock, [this] { return !m_full.empty() || m_done; });
            if (m_full.empty()) {
                if (m_error)
                    std::rethrow_exception(m_error);
                messages = std::move(m_end_messages);
                return Kind::end;
            }
            m_current = std::move(m_full.front());
            m_full.pop_front();
            m_pos = 0;
        }
        Row& r = m_current->rows[m_pos++];
        messages.swap(r.messages);
        r.messages.clear();
        if (r.unreadable)
            return Kind::unreadable;
        record.fid = r.fid;
        // Copied into the record's own strings: each thread frees only what it allocated.
        record.values.resize(r.values.size());
        for (std::size_t i = 0; i < r.values.size(); ++i) {
            if (!r.values[i]) {
                record.values[i].reset();
            } else if (record.values[i]) {
                record.values[i]->assign(*r.values[i]);
            } else {
                record.values[i].emplace(*r.values[i]);
            }
        }
        return Kind::row;
    }

  private:
    struct Row {
        std::int64_t fid = -1;
        bool unreadable = false;
        std::vector<std::optional<std::string>> values;
        std::vector<detail::GdalCapture::Message> messages;
    };
    struct Batch {
        std::vector<Row> rows;
    };
    static constexpr int kBatches = 8;
    static constexpr std::size_t kRows = 1024;

    void run() {
        try {
            detail::GdalCapture capture;
            m_layer->ResetReading();
            std::int64_t row = 0;
            int failures = 0;
            bool end = false;
            while (!end) {
                std::unique_ptr<Batch> batch;
                {
                    std::unique_lock<std::mutex> lock(m_mutex);
                    m_changed.wait(lock, [this] { return !m_free.empty() || m_stop; });
                    if (m_stop)
                        break;
                    batch = std::move(m_free.front());
                    m_free.pop_front();
                }
                std::size_t used = 0;
                batch->rows.resize(kRows);
                while (used < kRows) {
                    OGRFeatureUniquePtr feature(m_layer->GetNextFeature());
                    auto messages = capture.take();
                    Row& r = batch->rows[used];
                    if (!feature) {
                        bool failed = false;
                        for (const auto& m : messages)
                            failed = failed || m.level >= CE_Failure;
                        if (failed && m_total > 0 && row < m_total && failures < 100) {
                            ++row;
                            ++failures;
                            r.unreadable = true;
                            r.messages = std::move(messages);
                            ++used;
                            m_layer->SetNextByIndex(row);
                            capture.take();
                            continue;
                        }
                        m_end_messages = std::move(messages);
                        end = true;
                        break;
                    }
                    failures = 0;
                    ++row;
                    r.unreadable = false;
                    r.fid = feature->GetFID();
                    r.messages = std::move(messages);
                    copy_fields(*feature, r.values);
                    ++used;
                }
                batch->rows.resize(used);
                std::lock_guard<std::mutex> lock(m_mutex);
                m_full.push_back(std::move(batch));
                m_changed.notify_all();
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_error = std::current_exception();
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        m_done = true;
        m_changed.notify_all();
    }

    OGRLayer* m_layer;
    std::int64_t m_total;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::unique_ptr<Batch>> m_free, m_full;
    std::unique_ptr<Batch> m_current;
    std::size_t m_pos = 0;
    std::vector<detail::GdalCapture::Message> m_end_messages;
    bool m_stop = false;
    bool m_done = false;
    std::exception_ptr m_error;
};

// `g` in CGCS2000 lon/lat, axes put right, as ISO WKB; "" when a vertex fails to transform.
std::string wkb_in_cgcs2000(const OGRGeometry& g, bool swap_axes, const ToCgcs2000& transform) {
    std::unique_ptr<OGRGeometry> copy(g.clone());
    bool ok = true;
    std::vector<double> xs, ys;
    std::function<void(OGRGeometry&)> walk = [&](OGRGeometry& geom) {
        const auto type = wkbFlatten(geom.getGeometryType());
        if (type == wkbPoint) {
            auto& p = *geom.toPoint();
            double x = swap_axes ? p.getY() : p.getX();
            double y = swap_axes ? p.getX() : p.getY();
            ok = ok && transform.transform(x, y);
            p.setX(x);
            p.setY(y);
        } else if ((OGR_GT_IsCurve(type) != 0) && dynamic_cast<OGRSimpleCurve*>(&geom) != nullptr) {
            auto& c = *geom.toSimpleCurve();
            const int n = c.getNumPoints();
            xs.resize(static_cast<std::size_t>(n));
            ys.resize(static_cast<std::size_t>(n));
            c.getPoints(xs.data(), sizeof(double), ys.data(), sizeof(double));
            if (swap_axes)
                xs.swap(ys);
            ok = ok && transform.transform_many(xs.size(), xs.data(), ys.data());
            c.setPoints(n, xs.data(), ys.data());
        } else if (type == wkbPolygon) {
            for (auto* ring : *geom.toPolygon())
                walk(*ring);
        } else if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection) != 0) {
            for (auto* sub : *geom.toGeometryCollection())
                walk(*sub);
        }
    };
    walk(*copy);
    if (!ok)
        return {};
    copy->flattenTo2D();
    std::string out(static_cast<std::size_t>(copy->WkbSize()), '\0');
    copy->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(out.data()), wkbVariantIso);
    return out;
}

// Collects the per-feature coordinate findings of one rule so that a problem shared by
// every feature becomes one layer-level finding instead of thousands.
struct PendingRule {
    std::vector<Finding> findings;
    MessageArgs first_args;
};

// Features per Gauss–Krüger zone, keyed (width, zone, prefixed).
using ZoneKey = std::tuple<int, int, bool>;

}  // namespace

namespace detail {

// What the rows of one part of a layer left for the end of the scan; the parts are folded
// in input order.
struct ScanTally {
    std::map<std::string, PendingRule> pending;
    std::map<ZoneKey, std::int64_t> zone_counts;
    std::int64_t geographic = 0, plain = 0;
    std::int64_t features = 0, unreadable = 0, located = 0;
    Bounds extent;

    void merge(ScanTally&& other) {
        for (auto& [id, p] : other.pending) {
            PendingRule& mine = pending[id];
            if (mine.findings.empty())
                mine.first_args = std::move(p.first_args);
            for (auto& f : p.findings)
                mine.findings.push_back(std::move(f));
        }
        for (const auto& [key, n] : other.zone_counts)
            zone_counts[key] += n;
        geographic += other.geographic;
        plain += other.plain;
        features += other.features;
        unreadable += other.unreadable;
        located += other.located;
        extent.expand(other.extent);
    }
};

// The work of a scan on each row: values checked for their encoding, GDAL's messages,
// coordinates parsed, classified and taken into CGCS2000. One per thread: the coordinate
// transforms it keeps are not shared between threads.
struct RowScanner {
    const RuleSet& rules;
    const ScanOptions& options;
    std::string dataset, layer_name, encoding, coordinate_source;
    std::vector<std::string> field_names;
    bool from_geometry, from_xy, from_lonlat;
    int ix, iy, key_index;
    std::string geometry_field;
    // The CRS coordinates are taken in: --assume-crs, else the declared one, else
    // inferred per feature from the form of its values.
    std::optional<Crs> fixed_crs;
    std::optional<ToCgcs2000> fixed_transform;
    std::optional<GkZone> fixed_zone;
    bool fixed_prefixed = false;
    std::map<int, ToCgcs2000> zone_transforms;  // key: width*100+zone
    std::optional<ToCgcs2000> cgcs2000_identity;
    // The values come from text known to be valid UTF-8 as a whole (a part of a delimited
    // text checked at once): they need no check one by one.
    bool text_valid = false;

    RowScanner(const Layer& layer, const RuleSet& r, const ScanOptions& o)
        : rules(r),
          options(o),
          dataset(layer.m_source->path),
          layer_name(layer.m_name),
          encoding(layer.m_source->encoding),
          coordinate_source(layer.m_coordinate_source),
          from_geometry(coordinate_source == "geometry"),
          from_xy(coordinate_source == "columns x/y"),
          from_lonlat(coordinate_source == "columns lon/lat"),
          ix(from_xy       ? layer.field_index("x")
             : from_lonlat ? layer.field_index("lon")
                           : -1),
          iy(from_xy       ? layer.field_index("y")
             : from_lonlat ? layer.field_index("lat")
                           : -1),
          key_index(layer.key_field_index()),
          geometry_field(from_geometry ? "geometry" : "") {
        for (const auto& f : layer.m_fields)
            field_names.push_back(f.name);
        if (layer.m_assume_crs && !layer.m_assume_crs->empty()) {
            fixed_crs = *layer.m_assume_crs;
        } else if (!layer.m_declared_crs.empty()) {
            fixed_crs = layer.m_declared_crs;
        }
        if (fixed_crs) {
            fixed_transform.emplace(*fixed_crs);
            fixed_zone = fixed_crs->gk_zone();
            fixed_prefixed = fixed_crs->gk_prefixed();
        }
    }

    // A damaged feature: reported; the source stepped over it.
    void unreadable(std::int64_t row, const std::string& reason, ScanTally& tally,
                    std::vector<Finding>& findings) const {
        ++tally.unreadable;
        Subject s{dataset, layer_name, row, -1, "", ""};
        findings.push_back(rules.make("READ-FEATURE-UNREADABLE", s, {{"reason", reason}}));
    }

    // What GDAL said when the rows ended (the row is 0: the layer).
    void end(const std::vector<GdalCapture::Message>& messages,
             std::vector<Finding>& findings) const {
        if (!messages.empty())
            add_gdal_findings(messages, rules, {dataset, layer_name, 0, -1, "", ""}, findings);
    }

    // One row: `record` holds its row, fid and values; its position is filled in here.
    void row(Record& record, std::vector<GdalCapture::Message>& messages,
             const OGRGeometry* geometry, ScanTally& tally, std::vector<Finding>& findings) {
        ++tally.features;
        record.has_position = false;
        record.bounds = Bounds{};
        record.parts.clear();
        record.part_polygon.clear();
        record.wkb.clear();
        record.has_z = false;
        record.geometry_empty = false;
        record.geometry_type.clear();
        // Subjects are made only for findings: this runs for every row.
        auto subject = [&](const std::string& field, bool with_key = true) {
            Subject s{dataset, layer_name, record.row, record.fid, "", field};
            if (with_key && key_index >= 0 && record.values[key_index])
                s.key = *record.values[key_index];
            return s;
        };
        for (std::size_t i = 0; i < field_names.size() && !text_valid; ++i) {
            if (record.values[i] && !is_valid_utf8(*record.values[i])) {
                // Without the key: its bytes may be the invalid ones.
                const Subject sv = subject(field_names[i], false);
                findings.push_back(
                    rules.make("READ-ENCODING-INVALID", sv, {{"encoding", encoding}}));
            }
        }
        if (!messages.empty()) {
            // An error while reading a feature (a truncated .shp record, say) means part of
            // it is lost: that is an unreadable feature, not a mere warning.
            std::vector<detail::GdalCapture::Message> warnings;
            for (auto& m : messages) {
                if (m.level >= CE_Failure) {
                    findings.push_back(rules.make("READ-FEATURE-UNREADABLE",
                                                  subject(from_geometry ? geometry_field : ""),
                                                  {{"reason", m.text}}));
                } else {
                    warnings.push_back(std::move(m));
                }
            }
            add_gdal_findings(warnings, rules, subject(""), findings);
        }

        // ---- raw coordinates (GIS order: x = easting/longitude)
        bool have = false;
        bool is_point = true;
        double minx = 0, miny = 0, maxx = 0, maxy = 0;
        // Source columns for messages.
        const std::string* field_a = &geometry_field;
        const std::string* field_b = &geometry_field;
        if (from_geometry) {
            const OGRGeometry* g = geometry;
            record.geometry_empty = g == nullptr || (g->IsEmpty() != 0);
            if (g != nullptr) {
                record.has_z = (g->Is3D() != 0);
                record.geometry_type = OGRGeometryTypeToName(wkbFlatten(g->getGeometryType()));
            }
            if (g != nullptr && (g->IsEmpty() == 0)) {
                OGREnvelope env;
                g->getEnvelope(&env);
                if (std::isfinite(env.MinX) && std::isfinite(env.MaxX) && std::isfinite(env.MinY) &&
                    std::isfinite(env.MaxY)) {
                    minx = env.MinX, miny = env.MinY, maxx = env.MaxX, maxy = env.MaxY;
                    is_point = wkbFlatten(g->getGeometryType()) == wkbPoint;
                    have = true;
                } else {
                    findings.push_back(
                        rules.make("READ-VALUE-INVALID", subject(geometry_field),
                                   {{"value", "NaN/Inf"}, term("expected", "value.coordinate")}));
                }
            }
        } else if (ix >= 0 && iy >= 0) {
            const auto& va = record.values[ix];
            const auto& vb = record.values[iy];
            field_a = &field_names[ix];
            field_b = &field_names[iy];
            std::optional<double> a, b;
            if (va)
                a = from_lonlat ? parse_angle(*va) : parse_number(*va);
            if (vb)
                b = from_lonlat ? parse_angle(*vb) : parse_number(*vb);
            for (auto [value, parsed, column] :
                 {std::tuple{&va, &a, field_a}, std::tuple{&vb, &b, field_b}}) {
                if (*value && !*parsed) {
                    findings.push_back(
                        rules.make("READ-VALUE-INVALID", subject(*column),
                                   {{"value", **value},
                                    term("expected", from_lonlat ? "value.angle"
                                                                 : "value.coordinate_number")}));
                }
            }
            if (a && b) {
                // Surveying convention: X is the northing, Y the easting.
                double x = from_xy ? *b : *a;
                double y = from_xy ? *a : *b;
                minx = maxx = x;
                miny = maxy = y;
                have = true;
            }
        }

        if (have) {
            const double cx = (minx + maxx) / 2.0;
            const double cy = (miny + maxy) / 2.0;
            CoordClass cls = classify_coordinate(cx, cy);
            // Values a user would read in the file: for x/y columns, X (north) first.
            // Formatted only when a finding needs them: this runs for every row.
            auto shown_a = [&] { return fmt(from_xy ? cy : cx); };
            auto shown_b = [&] { return fmt(from_xy ? cx : cy); };
            auto place = [&] {
                return subject(from_geometry ? geometry_field : *field_a + "," + *field_b);
            };
            const bool projected_other = fixed_crs && fixed_crs->is_projected() && !fixed_zone;
            bool located = false;
            bool swap_axes = false;
            auto place_args = [&] {
                return MessageArgs{
                    {"a", shown_a()}, {"b", shown_b()}, term("what", "coords.these")};
            };
            // Coordinate findings wait until the layer is read (see the folding below).
            auto defer = [&](const std::string& rule, const Subject& subj, const MessageArgs& args,
                             std::optional<std::string> suggested = std::nullopt) {
                auto& p = tally.pending[rule];
                if (p.findings.empty())
                    p.first_args = args;
                p.findings.push_back(rules.make(rule, subj, args));
                p.findings.back().suggested = std::move(suggested);
            };

            if (cls.swapped && !projected_other) {
                MessageArgs args = place_args();
                args.push_back(term("why", cls.form == CoordForm::geographic
                                               ? "axis.lonlat_order"
                                               : "axis.surveying_order"));
                defer("CRS-AXIS-SWAPPED", place(), args, shown_b() + "," + shown_a());
                swap_axes = true;
                std::swap(minx, miny);
                std::swap(maxx, maxy);
            }
            const double ux = (minx + maxx) / 2.0;  // easting of the un-swapped centre

            // Which transform to use.
            const ToCgcs2000* transform = nullptr;
            std::optional<GkZone> value_zone = cls.form == CoordForm::gk_prefixed
                                                   ? gk_zone_from_prefixed_easting(ux)
                                                   : std::nullopt;
            auto inferred_transform = [&]() -> const ToCgcs2000* {
                if (cls.form == CoordForm::geographic) {
                    if (!cgcs2000_identity)
                        cgcs2000_identity.emplace(Crs::cgcs2000());
                    return &*cgcs2000_identity;
                }
                if (value_zone) {
                    int k = value_zone->width * 100 + value_zone->zone;
                    auto it = zone_transforms.find(k);
                    if (it == zone_transforms.end()) {
                        it = zone_transforms
                                 .emplace(k, ToCgcs2000(Crs::gauss_kruger(*value_zone, true)))
                                 .first;
                    }
                    return &it->second;
                }
                return nullptr;
            };
            if (cls.form == CoordForm::geographic)
                ++tally.geographic;
            if (cls.form == CoordForm::gk_plain) {
                ++tally.plain;
                if (!fixed_crs) {
                    Subject easting = place();
                    easting.field = *field_b;
                    defer("CRS-GK-NO-ZONE-PREFIX", easting,
                          {{"easting", fmt(ux)}, term("what", "coords.these")});
                }
            }
            if (value_zone) {
                ++tally.zone_counts[ZoneKey{value_zone->width, value_zone->zone, true}];
            } else if (fixed_zone && cls.form == CoordForm::gk_plain) {
                ++tally.zone_counts[ZoneKey{fixed_zone->width, fixed_zone->zone, false}];
            }

            if (fixed_crs) {
                // Does the value fit the CRS it is declared (or assumed) in?
                std::string found;  // a term: what the values look like
                std::string found_zone;
                if (projected_other) {
                    // Not a Gauss–Krüger CRS: judge after transforming.
                } else if (fixed_crs->is_geographic() && cls.form != CoordForm::geographic &&
                           cls.form != CoordForm::unknown) {
                    found = "crs.found.projected";
                } else if (fixed_zone && cls.form == CoordForm::geographic) {
                    found = "crs.found.lonlat";
                } else if (fixed_zone && cls.form == CoordForm::gk_prefixed && !fixed_prefixed) {
                    found = "crs.found.gk_prefixed";
                } else if (fixed_zone && cls.form == CoordForm::gk_plain && fixed_prefixed) {
                    found = "crs.found.gk_plain";
                } else if (fixed_zone && value_zone && fixed_prefixed &&
                           (value_zone->zone != fixed_zone->zone)) {
                    found = "crs.found.zone";
                    found_zone = std::to_string(value_zone->zone);
                }
                if (!found.empty()) {
                    defer("CRS-DECLARED-MISMATCH", place(),
                          {{"a", shown_a()},
                           {"b", shown_b()},
                           term("found", found),
                           {"found_zone", found_zone},
                           {"declared", fixed_crs->name()}});
                    transform = inferred_transform();  // trust the values over the label
                } else {
                    transform = &*fixed_transform;
                }
            } else {
                transform = inferred_transform();
            }

            const bool impossible = cls.form == CoordForm::unknown && !projected_other;
            if (impossible) {
                defer("CRS-OUT-OF-CHINA", place(), place_args());
                transform = nullptr;
            }

            if (transform != nullptr) {
                double x0 = minx, y0 = miny, x1 = maxx, y1 = maxy;
                bool ok = is_point ? transform->transform(x0, y0)
                                   : transform->transform_bounds(x0, y0, x1, y1);
                if (is_point)
                    x1 = x0, y1 = y0;
                if (!ok) {
                    findings.push_back(
                        rules.make("CRS-TRANSFORM-FAILED", place(),
                                   {{"a", shown_a()},
                                    {"b", shown_b()},
                                    {"crs", fixed_crs ? fixed_crs->name() : std::string("?")}}));
                } else if (!in_china_lonlat((x0 + x1) / 2, (y0 + y1) / 2)) {
                    defer("CRS-OUT-OF-CHINA", place(), place_args());
                } else {
                    record.bounds.expand(x0, y0);
                    record.bounds.expand(x1, y1);
                    if (is_point) {
                        record.has_position = true;
                        record.lon = x0;
                        record.lat = y0;
                    }
                    located = true;
                    if (options.geometry && from_geometry) {
                        record.parts = vertices_in_cgcs2000(*geometry, swap_axes, *transform,
                                                            record.part_polygon);
                    }
                    if (options.wkb && from_geometry) {
                        record.wkb = wkb_in_cgcs2000(*geometry, swap_axes, *transform);
                    }
                }
            }
            if (located) {
                ++tally.located;
                tally.extent.expand(record.bounds);
                // Findings of this feature carry its position.
                for (auto& [id, p] : tally.pending) {
                    if (!p.findings.empty() && p.findings.back().row == record.row) {
                        char wkt[96];
                        std::snprintf(wkt, sizeof wkt, "POINT (%.9f %.9f)",
                                      (record.bounds.min_x + record.bounds.max_x) / 2,
                                      (record.bounds.min_y + record.bounds.max_y) / 2);
                        p.findings.back().geometry_wkt = wkt;
                    }
                }
            }
        }
    }

    // Folds the tally of the whole layer into the summary and the layer-level findings.
    ScanSummary finish(ScanTally& tally, std::vector<Finding>& findings) const {
        ScanSummary summary;
        summary.features = tally.features;
        summary.unreadable = tally.unreadable;
        summary.located = tally.located;
        summary.extent = tally.extent;
        // ---- fold layer-wide problems into one finding each
        for (auto& [id, p] : tally.pending) {
            const auto n = static_cast<std::int64_t>(p.findings.size());
            if (n > 1 && n >= tally.features - tally.unreadable) {
                // One finding for the layer: "all N features", the first one's values shown.
                MessageArgs args = p.first_args;
                for (auto& arg : args) {
                    if (arg.name == "what")
                        arg = term("what", "coords.all");
                    if (arg.name == "found" && id == "CRS-DECLARED-MISMATCH") {
                        arg.name = "found_one";
                        args.push_back(term("found", "crs.found.all_features"));
                        break;
                    }
                }
                args.emplace_back("features", std::to_string(n));
                Subject s{dataset, layer_name, 0, -1, "", p.findings.front().field};
                Finding f = rules.make(id, s, args);
                f.suggested = p.findings.front().suggested;
                findings.push_back(std::move(f));
            } else {
                for (auto& f : p.findings)
                    findings.push_back(std::move(f));
            }
        }
        const Subject layer_subject{dataset, layer_name, 0, -1, "", ""};
        for (const auto& [key, n] : tally.zone_counts) {
            const GkZone z{std::get<0>(key), std::get<1>(key)};
            const bool prefixed = std::get<2>(key);
            summary.zones.push_back(z);
            std::ostringstream cm;
            cm << z.central_meridian();
            findings.push_back(rules.make("CRS-GK-ZONE", layer_subject,
                                          {{"width", std::to_string(z.width)},
                                           {"zone", std::to_string(z.zone)},
                                           {"cm", cm.str()},
                                           term("prefix", prefixed ? "gk.prefixed" : "gk.plain"),
                                           {"count", std::to_string(n)}}));
        }
        // What the values say the CRS is.
        if (tally.geographic > 0 && tally.zone_counts.empty() && tally.plain == 0) {
            summary.inferred_crs = "CGCS2000 longitude/latitude (EPSG:4490)";
            summary.inferred_crs_code = "EPSG:4490";
        } else if (!tally.zone_counts.empty()) {
            std::string all;
            for (const auto& [key, n] : tally.zone_counts) {
                const GkZone z{std::get<0>(key), std::get<1>(key)};
                const bool prefixed = std::get<2>(key);
                if (!all.empty())
                    all += "; ";
                all += gk_crs_label(z, prefixed);
                if (summary.inferred_crs_code.empty() && cgcs2000_gk_epsg(z, prefixed) != 0) {
                    summary.inferred_crs_code =
                        "EPSG:" + std::to_string(cgcs2000_gk_epsg(z, prefixed));
                }
            }
            summary.inferred_crs = all;
        } else if (tally.plain > 0) {
            summary.inferred_crs = "Gauss-Kruger without zone prefix (zone unknown)";
        }
        if (!fixed_crs && coordinate_source != "none" && tally.features > 0) {
            std::string inferred = summary.inferred_crs.empty() ? "?" : summary.inferred_crs;
            findings.push_back(rules.make("CRS-MISSING", layer_subject, {{"inferred", inferred}}));
        }
        return summary;
    }
};

}  // namespace detail

ScanSummary Layer::scan(const RuleSet& rules, const ScanOptions& options,
                        const std::function<void(const Record&)>& on_record, FindingSink& sink) {
    std::vector<Finding> findings;  // of the current row, handed on after it
    OGRLayer* ogr = m_source->dataset->GetLayer(m_index);
    detail::RowScanner scanner(*this, rules, options);
    detail::ScanTally tally;
    const std::int64_t total = m_feature_count > 0 ? m_feature_count : 0;
    detail::GdalCapture capture;  // this thread's messages (PROJ, through GDAL)
    // Attribute tables (registers, spreadsheets) are parsed on a second thread while this
    // one works on the rows; layers with geometry are read here.
    std::unique_ptr<RowSource> source;
    if (scanner.from_geometry) {
        source = std::make_unique<DirectRows>(ogr, total);
    } else {
        source = std::make_unique<ThreadedRows>(ogr, total);
    }
    std::int64_t row = 0;
    Record record;
    std::vector<detail::GdalCapture::Message> messages;
    const OGRGeometry* geometry = nullptr;
    while (true) {
        const RowSource::Kind kind = source->next(record, messages, geometry);
        if (kind == RowSource::Kind::end) {
            scanner.end(messages, findings);
            break;
        }
        ++row;
        if (kind == RowSource::Kind::unreadable) {
            scanner.unreadable(row, messages.back().text, tally, findings);
            sink.add_all(findings);
            continue;
        }
        record.row = row;
        scanner.row(record, messages, geometry, tally, findings);
        sink.add_all(findings);
        if (on_record)
            on_record(record);
        if (options.progress && (row & 0xFFF) == 0)
            options.progress(row, total);
    }
    if (options.progress)
        options.progress(row, total);
    ScanSummary summary = scanner.finish(tally, findings);
    sink.add_all(findings);
    return summary;
}

bool Layer::splittable() const {
    const auto& s = *m_source;
    return !s.text_path.empty() && s.parts.size() > 2 && m_coordinate_source != "geometry" &&
           s.header_fields == static_cast<int>(m_fields.size()) &&
           s.dataset->GetLayer(m_index)->GetLayerDefn()->GetGeomFieldCount() == 0;
}

namespace {

// Reads the records of bytes [begin, end) of a delimited text with GDAL's CSV tokenizer,
// as GDAL's CSV driver reads them: blank lines skipped, empty values NULL, values beyond
// the header dropped (the open reported those rows), missing ones NULL. Fills `records`
// (their storage reused) with fid and values; returns how many; `messages` gets GDAL's.
std::size_t read_text_part(const detail::SourceImpl& source, std::uint64_t begin, std::uint64_t end,
                           const std::vector<bool>& ignored, std::size_t fields,
                           std::vector<GByte>& buffer, std::vector<Record>& records,
                           std::vector<detail::GdalCapture::Message>& messages) {
    detail::GdalCapture capture;
    // The part is read at once and tokenized in memory: GDAL's line reader steps back in
    // the file after every line it reads, a system call each time on a disk file.
    std::vector<GByte>& bytes = buffer;
    bytes.resize(static_cast<std::size_t>(end - begin));
    VSILFILE* in = VSIFOpenL(source.text_path.c_str(), "rb");
    const bool read = in != nullptr && VSIFSeekL(in, begin, SEEK_SET) == 0 &&
                      VSIFReadL(bytes.data(), 1, bytes.size(), in) == bytes.size();
    if (in != nullptr)
        VSIFCloseL(in);
    if (!read)
        throw InputError(source.path, "cannot read the file again: " + capture.last_error());
    static std::atomic<int> counter{0};
    const std::string path = "/vsimem/geoadmin_part_" + std::to_string(counter++) + ".csv";
    VSILFILE* fp = VSIFileFromMemBuffer(path.c_str(), bytes.data(), bytes.size(), FALSE);
    if (fp == nullptr)
        throw Error("cannot tokenize a part of " + source.path + " in memory");
    const char delimiter[2] = {source.delimiter, '\0'};
    // GDAL's CSV driver limits a record to OGR_CSV_MAX_LINE_SIZE bytes, as here.
    const int max_line = std::atoi(CPLGetConfigOption("OGR_CSV_MAX_LINE_SIZE", "10000000"));
    std::size_t n = 0;
    while (char** tokens = CSVReadParseLine3L(fp, static_cast<std::size_t>(std::max(max_line, 0)),
                                              delimiter, true, false, false, true)) {
        if (tokens[0] == nullptr) {
            CSLDestroy(tokens);
            continue;
        }
        if (n == records.size())
            records.emplace_back();
        auto& values = records[n].values;
        values.resize(fields);
        bool more = true;
        for (std::size_t i = 0; i < fields; ++i) {
            more = more && tokens[i] != nullptr;
            if (!more || tokens[i][0] == '\0' || (i < ignored.size() && ignored[i])) {
                values[i].reset();
            } else if (values[i]) {
                values[i]->assign(tokens[i]);
            } else {
                values[i].emplace(tokens[i]);
            }
        }
        CSLDestroy(tokens);
        ++n;
    }
    VSIFCloseL(fp);
    VSIUnlink(path.c_str());
    messages = capture.take();
    return n;
}

}  // namespace

ScanSummary Layer::scan_parallel(const RuleSet& rules, const ScanOptions& options,
                                 const std::vector<PartCallback>& on_record, FindingSink& sink) {
    if (on_record.empty())
        throw Error("internal: scan_parallel without a callback");
    if (on_record.size() == 1 || !splittable()) {
        std::vector<Finding> part;
        const PartCallback& first = on_record.front();
        return scan(
            rules, options,
            [&](const Record& r) {
                first(r, part);
                // Keep the order of scan() and callback findings, row by row.
                sink.add_all(part);
            },
            sink);
    }

    // Parts of consecutive records: each thread reads a part, learns from the parts before
    // it which row it starts at, then scans its rows and hands them to its callback.
    const detail::SourceImpl& source = *m_source;
    const std::size_t parts = source.parts.size() - 1;
    const std::size_t threads = std::min(on_record.size(), parts);
    struct Part {
        std::int64_t rows = -1;   // known once read
        std::int64_t first = -1;  // rows before it, known once every earlier part is read
        std::vector<Finding> findings;
        detail::ScanTally tally;
        bool scanned = false;
    };
    std::vector<Part> done(parts);
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next_part = 0;
    std::size_t next_flush = 0;  // the first part whose findings are not yet in the sink
    std::int64_t rows_done = 0;
    bool failed = false;
    std::vector<std::exception_ptr> errors(threads);

    auto work = [&](std::size_t t) {
        try {
            detail::GdalCapture capture;  // this thread's messages (PROJ, through GDAL)
            detail::RowScanner scanner(*this, rules, options);
            std::vector<Record> records;
            std::vector<GByte> buffer;
            std::vector<detail::GdalCapture::Message> messages, none;
            for (;;) {
                std::size_t k;
                {
                    std::lock_guard<std::mutex> lock(mutex);
                    if (failed || next_part == parts)
                        return;
                    k = next_part++;
                }
                const std::size_t n =
                    read_text_part(source, source.parts[k], source.parts[k + 1], m_ignored,
                                   m_fields.size(), buffer, records, messages);
                // Values split from valid UTF-8 at ASCII delimiters and quotes are valid.
                scanner.text_valid = is_valid_utf8(
                    std::string_view(reinterpret_cast<const char*>(buffer.data()), buffer.size()));
                std::int64_t first = 0;
                {
                    std::unique_lock<std::mutex> lock(mutex);
                    done[k].rows = static_cast<std::int64_t>(n);
                    // Number the parts whose predecessors are all read.
                    for (std::size_t j = 0; j < parts && done[j].rows >= 0; ++j) {
                        if (done[j].first < 0)
                            done[j].first = j == 0 ? 0 : done[j - 1].first + done[j - 1].rows;
                    }
                    changed.notify_all();
                    changed.wait(lock, [&] { return done[k].first >= 0 || failed; });
                    if (failed)
                        return;
                    first = done[k].first;
                }
                Part& part = done[k];
                for (std::size_t i = 0; i < n; ++i) {
                    Record& r = records[i];
                    r.row = first + static_cast<std::int64_t>(i) + 1;
                    r.fid = r.row;
                    scanner.row(r, none, nullptr, part.tally, part.findings);
                    on_record[t](r, part.findings);
                }
                scanner.end(messages, part.findings);
                std::lock_guard<std::mutex> lock(mutex);
                // Hand on the findings of every part done whose predecessors are all in.
                part.scanned = true;
                for (; next_flush < parts && done[next_flush].scanned; ++next_flush)
                    sink.add_all(done[next_flush].findings);
                rows_done += static_cast<std::int64_t>(n);
                if (options.progress && t == 0)
                    options.progress(rows_done, 0);
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex);
            errors[t] = std::current_exception();
            failed = true;
            changed.notify_all();
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t)
        pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool)
        th.join();
    for (const auto& e : errors) {
        if (e)
            std::rethrow_exception(e);
    }
    if (options.progress)
        options.progress(rows_done, rows_done);

    detail::RowScanner scanner(*this, rules, options);
    detail::ScanTally tally;
    for (auto& part : done)
        tally.merge(std::move(part.tally));
    std::vector<Finding> findings;
    ScanSummary summary = scanner.finish(tally, findings);
    sink.add_all(findings);
    return summary;
}

}  // namespace geoadmin
