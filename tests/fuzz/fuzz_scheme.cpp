// libFuzzer target: marker-number schemes. The input is a pattern and a number separated
// by a newline; a pattern RE2 cannot take is a UsageError, never a crash, and a number is
// matched in time linear in its length.
#include <cstddef>
#include <cstdint>
#include <string>

#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const geoadmin::RuleSet rules = geoadmin::RuleSet::builtin();
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::size_t nl = text.find('\n');
    const std::string pattern = nl == std::string::npos ? text : text.substr(0, nl);
    const std::string number = nl == std::string::npos ? text : text.substr(nl + 1);
    try {
        const geoadmin::MarkerNumbering numbering(rules, pattern);
        (void)numbering.parse(number);
    } catch (const geoadmin::UsageError&) {
    }
    const geoadmin::MarkerNumbering provincial(rules, "provincial");
    (void)provincial.parse(number);
    return 0;
}
