#include "geoadmin/io/sinks.hpp"
#include "geoadmin/text/text.hpp"
#include "io/finding_json.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <utility>

#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

nlohmann::json detail::finding_to_json(const Finding& f, Lang lang, const RuleSet& rules) {
    nlohmann::json j;
    j["rule"] = f.rule;
    j["severity"] = std::string(to_string(f.severity));
    j["dataset"] = f.dataset;
    j["layer"] = f.layer;
    j["row"] = f.row;
    if (f.fid >= 0)
        j["fid"] = f.fid;
    j["key"] = f.key;
    j["field"] = f.field;
    std::string zh = rules.message(f, Lang::zh);
    std::string en = rules.message(f, Lang::en);
    j["message"] = lang == Lang::zh ? zh : en;
    j["message_zh"] = std::move(zh);
    j["message_en"] = std::move(en);
    if (f.suggested)
        j["suggested"] = *f.suggested;
    if (f.geometry_wkt)
        j["geometry"] = *f.geometry_wkt;
    return j;
}

namespace {

std::string severity_label(Severity s, Lang lang) {
    if (lang == Lang::en)
        return std::string(to_string(s));
    switch (s) {
        case Severity::error:
            return "错误";
        case Severity::warning:
            return "警告";
        case Severity::info:
            return "提示";
    }
    return "";
}

std::string location(const Finding& f) {
    std::string where = f.dataset;
    if (!f.layer.empty() && f.layer != std::filesystem::path(f.dataset).stem().string()) {
        where += " [" + f.layer + "]";
    }
    if (f.row > 0)
        where += ":" + std::to_string(f.row);
    return where;
}

// ---------------------------------------------------------------- text

class TextSink : public FindingSink {
  public:
    TextSink(std::ostream& out, Lang lang, const RuleSet& rules)
        : m_out(out), m_lang(lang), m_rules(rules) {}

    // The summary comes before the details, so a text report is written when it closes:
    // it is meant for a person, who reads the counts first.
    void add(Finding finding) override { m_findings.push_back(std::move(finding)); }

    void close() override {
        const std::vector<Finding>& findings = m_findings;
        const bool zh = m_lang == Lang::zh;
        SeverityCounts c = count_by_severity(findings);
        if (zh) {
            m_out << "检查结果：" << c.error << " 个错误，" << c.warning << " 个警告，" << c.info
                  << " 条提示\n";
        } else {
            m_out << "Findings: " << c.error << " error(s), " << c.warning << " warning(s), "
                  << c.info << " info\n";
        }
        if (findings.empty())
            return;
        // Counts per rule and severity, most severe first.
        std::map<std::pair<int, std::string>, std::size_t> per_rule;
        for (const auto& f : findings)
            ++per_rule[{-static_cast<int>(f.severity), f.rule}];
        for (const auto& [k, n] : per_rule) {
            auto s = static_cast<Severity>(-k.first);
            const RuleInfo* info = m_rules.find(k.second);
            std::string title = info == nullptr ? "" : (zh ? info->title_zh : info->title_en);
            // Chinese labels are two characters, four columns wide: pad by columns, not bytes.
            std::string label = severity_label(s, m_lang);
            m_out << "  " << label << std::string(zh ? 4 : 9 - label.size(), ' ') << std::left
                  << std::setw(26) << k.second << std::right << std::setw(7) << n << "  " << title
                  << "\n";
        }
        m_out << (zh ? "\n问题清单：\n" : "\nDetails:\n");
        for (const auto& f : findings) {
            m_out << severity_label(f.severity, m_lang) << "  " << f.rule << "  " << location(f);
            if (!f.key.empty())
                m_out << " [" << shortened(f.key, 80) << "]";  // the JSON keeps it whole
            if (!f.field.empty())
                m_out << " " << (zh ? "字段 " : "field ") << f.field;
            m_out << (zh ? "：" : ": ") << m_rules.message(f, m_lang);
            if (f.suggested)
                m_out << (zh ? "（建议：" : " (suggested: ") << *f.suggested << (zh ? "）" : ")");
            m_out << "\n";
        }
        m_out.flush();
    }

  private:
    std::ostream& m_out;
    Lang m_lang;
    const RuleSet& m_rules;
    std::vector<Finding> m_findings;
};

// ---------------------------------------------------------------- JSON Lines

class JsonLinesSink : public FindingSink {
  public:
    JsonLinesSink(std::ostream& out, Lang lang, const RuleSet& rules)
        : m_out(out), m_lang(lang), m_rules(rules) {}
    void add(Finding finding) override {
        m_out << detail::finding_to_json(finding, m_lang, m_rules)
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
    }
    void close() override { m_out.flush(); }

  private:
    std::ostream& m_out;
    Lang m_lang;
    const RuleSet& m_rules;
};

class JsonLinesFileSink : public FindingSink {
  public:
    JsonLinesFileSink(const std::string& path, Lang lang, const RuleSet& rules)
        : m_pending(path), m_file(m_pending.temp(), std::ios::binary), m_sink(m_file, lang, rules) {
        if (!m_file)
            throw OutputError(path, "cannot create the file");
    }
    void add(Finding finding) override { m_sink.add(std::move(finding)); }
    void close() override {
        m_sink.close();
        m_file.close();
        if (m_file.fail())
            throw OutputError(m_pending.path(), "writing failed");
        m_pending.commit();
    }

  private:
    detail::PendingFile m_pending;
    std::ofstream m_file;
    JsonLinesSink m_sink;
};

// ---------------------------------------------------------------- GDAL files

class OgrSink : public FindingSink {
  public:
    OgrSink(std::string path, std::string driver, Lang lang, const RuleSet& rules)
        : m_path(std::move(path)), m_driver(std::move(driver)), m_lang(lang), m_rules(rules) {
        m_srs.importFromEPSG(4490);
        m_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    }

    void add(Finding finding) override {
        detail::GdalCapture capture;
        open(capture);
        write(finding, capture);
        if (++m_in_transaction == kTransactionSize) {
            m_ds->CommitTransaction();
            m_ds->StartTransaction();
            m_in_transaction = 0;
        }
    }

    void close() override {
        detail::GdalCapture capture;
        open(capture);
        if (m_layers.empty())
            layer_for(wkbNone, capture);
        m_ds->CommitTransaction();
        capture.take();
        m_ds.reset();  // GDAL 3.6 has no Close(): errors on flush arrive through the capture
        for (const auto& m : capture.take()) {
            if (m.level >= CE_Failure)
                throw OutputError(m_path, "closing failed: " + m.text);
        }
        m_pending->commit();
    }

  private:
    static constexpr std::size_t kTransactionSize = 100000;

    void open(detail::GdalCapture& capture) {
        if (m_ds)
            return;
        detail::ensure_gdal();
        GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(m_driver.c_str());
        if (drv == nullptr)
            throw OutputError(m_path, "GDAL has no " + m_driver + " driver");
        m_pending.emplace(m_path);
        m_ds.reset(drv->Create(m_pending->temp().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!m_ds)
            throw OutputError(m_path, "cannot create: " + capture.last_error());
        m_ds->StartTransaction();
    }

    // GeoPackage: one layer per geometry type (QGIS styles each); others: one layer.
    OGRLayer* layer_for(OGRwkbGeometryType type, detail::GdalCapture& capture) {
        std::string name = "findings";
        OGRwkbGeometryType layer_type = wkbUnknown;
        if (m_driver == "GPKG") {
            switch (wkbFlatten(type)) {
                case wkbPoint:
                case wkbMultiPoint:
                    name = "findings_point", layer_type = wkbMultiPoint;
                    break;
                case wkbLineString:
                case wkbMultiLineString:
                    name = "findings_line", layer_type = wkbMultiLineString;
                    break;
                case wkbPolygon:
                case wkbMultiPolygon:
                    name = "findings_polygon", layer_type = wkbMultiPolygon;
                    break;
                case wkbNone:
                    name = "findings", layer_type = wkbNone;
                    break;
                default:
                    name = "findings_other", layer_type = wkbGeometryCollection;
            }
        }
        auto it = m_layers.find(name);
        if (it != m_layers.end())
            return it->second;
        std::vector<const char*> lco;
        if (m_driver == "CSV") {
            lco = {"WRITE_BOM=YES", "GEOMETRY=AS_WKT", nullptr};
            layer_type = wkbUnknown;
        } else {
            lco = {nullptr};
        }
        OGRLayer* layer = m_ds->CreateLayer(name.c_str(), layer_type == wkbNone ? nullptr : &m_srs,
                                            layer_type, const_cast<char**>(lco.data()));
        if (layer == nullptr)
            throw OutputError(m_path, "cannot create layer " + name + ": " + capture.last_error());
        for (const char* field : {"rule", "severity", "dataset", "layer", "key", "field", "message",
                                  "message_zh", "message_en", "suggested"}) {
            OGRFieldDefn fd(field, OFTString);
            layer->CreateField(&fd);
            if (std::string(field) == "layer") {
                OGRFieldDefn row("row", OFTInteger64);
                layer->CreateField(&row);
                OGRFieldDefn fid("source_fid", OFTInteger64);
                layer->CreateField(&fid);
            }
        }
        m_layers[name] = layer;
        return layer;
    }

    void write(const Finding& f, detail::GdalCapture& capture) {
        OGRGeometry* geom = nullptr;
        if (f.geometry_wkt)
            OGRGeometryFactory::createFromWkt(f.geometry_wkt->c_str(), &m_srs, &geom);
        OGRGeometryUniquePtr owned(geom);
        if (owned && m_driver == "GPKG") {
            OGRwkbGeometryType t = wkbFlatten(owned->getGeometryType());
            if (t == wkbPoint)
                owned.reset(OGRGeometryFactory::forceToMultiPoint(owned.release()));
            else if (t == wkbLineString)
                owned.reset(OGRGeometryFactory::forceToMultiLineString(owned.release()));
            else if (t == wkbPolygon)
                owned.reset(OGRGeometryFactory::forceToMultiPolygon(owned.release()));
        }
        OGRLayer* layer = layer_for(owned ? owned->getGeometryType() : wkbNone, capture);
        OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        feature->SetField("rule", f.rule.c_str());
        feature->SetField("severity", std::string(to_string(f.severity)).c_str());
        feature->SetField("dataset", f.dataset.c_str());
        feature->SetField("layer", f.layer.c_str());
        feature->SetField("row", static_cast<GIntBig>(f.row));
        if (f.fid >= 0)
            feature->SetField("source_fid", static_cast<GIntBig>(f.fid));
        feature->SetField("key", f.key.c_str());
        feature->SetField("field", f.field.c_str());
        const std::string zh = m_rules.message(f, Lang::zh);
        const std::string en = m_rules.message(f, Lang::en);
        feature->SetField("message", (m_lang == Lang::zh ? zh : en).c_str());
        feature->SetField("message_zh", zh.c_str());
        feature->SetField("message_en", en.c_str());
        if (f.suggested)
            feature->SetField("suggested", f.suggested->c_str());
        if (owned && layer->GetGeomType() != wkbNone)
            feature->SetGeometryDirectly(owned.release());
        if (layer->CreateFeature(feature.get()) != OGRERR_NONE)
            throw OutputError(m_path, "cannot write a finding: " + capture.last_error());
    }

    std::string m_path;
    std::string m_driver;
    Lang m_lang;
    const RuleSet& m_rules;
    OGRSpatialReference m_srs;
    std::optional<detail::PendingFile> m_pending;  // declared first: outlives m_ds
    GDALDatasetUniquePtr m_ds;
    std::map<std::string, OGRLayer*> m_layers;
    std::size_t m_in_transaction = 0;
};

std::string lower_ext(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

}  // namespace

std::unique_ptr<FindingSink> make_text_sink(std::ostream& out, Lang lang, const RuleSet& rules) {
    return std::make_unique<TextSink>(out, lang, rules);
}

std::unique_ptr<FindingSink> make_jsonl_sink(std::ostream& out, Lang lang, const RuleSet& rules) {
    return std::make_unique<JsonLinesSink>(out, lang, rules);
}

std::vector<std::string> file_sink_extensions() {
    return {".jsonl", ".csv", ".gpkg", ".geojson"};
}

std::unique_ptr<FindingSink> make_file_sink(const std::string& path, Lang lang,
                                            const RuleSet& rules) {
    const std::string ext = lower_ext(path);
    if (ext == ".jsonl")
        return std::make_unique<JsonLinesFileSink>(path, lang, rules);
    if (ext == ".csv")
        return std::make_unique<OgrSink>(path, "CSV", lang, rules);
    if (ext == ".gpkg")
        return std::make_unique<OgrSink>(path, "GPKG", lang, rules);
    if (ext == ".geojson" || ext == ".json")
        return std::make_unique<OgrSink>(path, "GeoJSON", lang, rules);
    throw UsageError("-o " + path + ": unknown output format '" + ext +
                     "'; use .jsonl, .csv, .gpkg or .geojson");
}

}  // namespace geoadmin
