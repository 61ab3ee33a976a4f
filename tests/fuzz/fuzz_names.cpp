// libFuzzer target: the per-record name checker. The input is split at newlines into the
// values of one record (name, code, category, admin_code, romanization) of a layer with
// those columns; every rule of the record runs, then the layer-wide ones.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "geoadmin/checks/names.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/core/sink.hpp"
#include "geoadmin/io/source.hpp"
#include "geoadmin/text/romanize.hpp"
#include "geoadmin/text/text.hpp"

namespace {
struct Fixture {
    geoadmin::RuleSet rules = geoadmin::RuleSet::builtin();
    std::unique_ptr<geoadmin::VectorSource> source;
    Fixture() {
        const std::string path = "/tmp/geoadmin-fuzz-names-header.csv";
        std::ofstream(path) << "name,code,category,admin_code,romanization\n"
                               "横溪村,330523101001,村,330523101,Hengxi Cun\n";
        source =
            std::make_unique<geoadmin::VectorSource>(geoadmin::VectorSource::open(path, {}, rules));
    }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture fixture;
    geoadmin::NameCheckOptions options;
    options.threads = 1;
    geoadmin::NameChecker checker(fixture.rules, geoadmin::Romanizer::builtin(), options);
    geoadmin::VectorSink sink;
    checker.begin_layer("fuzz.csv", fixture.source->layers().front(), sink);
    geoadmin::Record record;
    record.row = 1;
    record.values.resize(5);
    const std::string text =
        geoadmin::make_valid_utf8(std::string_view(reinterpret_cast<const char*>(data), size));
    std::size_t start = 0;
    for (std::size_t i = 0; i < record.values.size() && start <= text.size(); ++i) {
        const std::size_t nl = text.find('\n', start);
        record.values[i] = text.substr(start, nl == std::string::npos ? nl : nl - start);
        start = nl == std::string::npos ? text.size() + 1 : nl + 1;
    }
    std::vector<geoadmin::Finding> findings;
    checker.check(record, findings);
    record.row = 2;  // the same record again: duplicates and homophones
    checker.check(record, findings);
    checker.finish(sink);
    return 0;
}
