// Internal: what a VectorSource holds (shared with its layers).
#pragma once

#include <gdal_priv.h>

#include <cstdint>
#include <string>
#include <vector>

#include <map>

#include "geoadmin/core/finding.hpp"
#include "geoadmin/core/rules.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin::detail {

struct SourceImpl {
    std::string path;  // as the user named it
    std::string
        vsimem_path;  // a copy read instead (in memory or a temporary file), removed on close
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
/// GDAL's messages as READ-GDAL-MESSAGE findings about `subject`, each text once with its
/// count, in the order they first came.
inline void add_gdal_findings(const std::vector<GdalCapture::Message>& messages,
                              const RuleSet& rules, const Subject& subject,
                              std::vector<Finding>& out) {
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

}  // namespace geoadmin::detail
