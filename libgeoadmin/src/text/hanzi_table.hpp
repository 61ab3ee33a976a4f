// The character table generated at build time from the Unihan database
// (gen/make_hanzi_table.cpp). Sorted by code point.
#pragma once

#include <cstddef>
#include <cstdint>

namespace geoadmin::detail {

struct HanziEntry {
    char32_t cp;
    std::uint16_t tgh;       // number in the 2013 table (1-8105), 0 when not in it
    std::uint8_t flags;      // 1 standard, 2 traditional form of `target`, 4 variant of `target`
    std::uint32_t readings;  // offset of "chang2 zhang3" in kHanziReadings, usual reading first
    char32_t target;         // the standard character, for flags 2 and 4
};

extern const HanziEntry kHanziTable[];
extern const std::size_t kHanziTableSize;
extern const char kHanziReadings[];

}  // namespace geoadmin::detail
