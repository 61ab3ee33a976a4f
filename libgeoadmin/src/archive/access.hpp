#pragma once

// Internal: the GDAL dataset behind an Archive, for the import's layer writes.

#include <gdal_priv.h>

#include "geoadmin/archive/database.hpp"

namespace geoadmin::detail {

struct ArchiveAccess {
    static GDALDataset* dataset(Archive& archive);
};

}  // namespace geoadmin::detail
