// libFuzzer target: the register row parser's values — numbers (full-width digits,
// thousands separators), angles (decimal, DMS with every kind of mark), division codes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "geoadmin/model/divisions.hpp"
#include "geoadmin/text/values.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)geoadmin::parse_number(text);
    (void)geoadmin::parse_angle(text);
    (void)geoadmin::fold_width(text);
    (void)geoadmin::trim(text);
    const std::string code = geoadmin::normalize_division_code(text);
    (void)geoadmin::division_code_key(code);
    (void)geoadmin::DivisionTable::builtin().contains(code);
    return 0;
}
