#pragma once

// Internal: the archive schema's migrations (data-schemas/archive/NNN-name.sql), compiled
// in by cmake/EmbedData.cmake.

#include <cstddef>
#include <string_view>

namespace geoadmin::detail {

struct EmbeddedMigration {
    int version;
    std::string_view name;
    std::string_view sql;
};

extern const EmbeddedMigration kArchiveMigrations[];
extern const std::size_t kArchiveMigrationCount;

}  // namespace geoadmin::detail
