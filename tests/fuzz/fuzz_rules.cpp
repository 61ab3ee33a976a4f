// libFuzzer target: the --rules file parser. Any text is applied to the built-in rules or
// refused with a ConfigError naming the key; never a crash, an overflow or an exception of
// another kind.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const geoadmin::RuleSet builtin = geoadmin::RuleSet::builtin();
    geoadmin::RuleSet rules = builtin;
    try {
        rules.apply_overrides_json(std::string_view(reinterpret_cast<const char*>(data), size),
                                   "fuzz.json");
    } catch (const geoadmin::ConfigError&) {
    }
    return 0;
}
