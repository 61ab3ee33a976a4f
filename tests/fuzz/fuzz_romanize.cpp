// libFuzzer target: the romanizer, on any bytes, in both styles and with tone marks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "geoadmin/text/romanize.hpp"
#include "geoadmin/text/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::string text = geoadmin::make_valid_utf8(bytes);
    const auto& romanizer = geoadmin::Romanizer::builtin();
    geoadmin::RomanizeOptions options;
    (void)romanizer.romanize(text, options);
    options.tones = true;
    options.sign = (size % 2) == 1;
    (void)romanizer.romanize(text, options);
    return 0;
}
