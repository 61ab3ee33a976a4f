#pragma once

// Internal: GDAL set-up and the one place GDAL's error messages are captured.

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace geoadmin::detail {

/// Registers GDAL's drivers once and sets the options geoadmin relies on.
void ensure_gdal();

/// A path a source can be opened from: a regular file or a folder. Special files are
/// refused (InputError saying why) before anything opens them: opening a FIFO with no
/// writer would wait for ever. Defined in source.cpp.
void check_input_file(const std::string& path);

/// A file on disk or inside what GDAL's virtual file systems open (/vsizip/ for a file in
/// a zip, and the others): every read of an input goes through these.
struct FileStat {
    bool exists = false;
    bool directory = false;
    std::uint64_t size = 0;
};
FileStat stat_file(const std::string& path);
/// The first `n` bytes of a file (all of it when shorter; "" when it cannot be read).
std::string read_head(const std::string& path, std::size_t n);
/// The whole file, or nullopt when it cannot be read.
std::optional<std::string> read_whole(const std::string& path);
/// A path's extension in lower case, with its dot (".csv"), or "".
std::string lower_extension(const std::string& path);
/// The same file with another extension ("x.shp" → "x.dbf"), as is and in capitals, the
/// first that exists, or "".
std::string sibling_file(const std::string& path, const std::string& extension);

/// Reads a file from start to end.
class FileReader {
  public:
    explicit FileReader(const std::string& path);
    ~FileReader();
    FileReader(const FileReader&) = delete;
    FileReader& operator=(const FileReader&) = delete;
    bool is_open() const { return m_file != nullptr; }
    /// Up to `n` bytes into `into`; how many were read (0 at the end).
    std::size_t read(char* into, std::size_t n);
    /// Whether no byte is left.
    bool at_end();

  private:
    VSILFILE* m_file = nullptr;
};

/// While alive, GDAL (and PROJ, through GDAL) messages on this thread are collected
/// instead of printed. Nests: an inner capture hides messages from an outer one.
class GdalCapture {
  public:
    GdalCapture();
    ~GdalCapture();
    GdalCapture(const GdalCapture&) = delete;
    GdalCapture& operator=(const GdalCapture&) = delete;

    struct Message {
        CPLErr level;
        int code;
        std::string text;
    };
    /// Messages since construction or the last take().
    std::vector<Message> take();
    /// The last error-level message text, or "" (does not clear).
    std::string last_error() const;
    /// The first message (any level) whose text holds `needle`, or "" (does not clear).
    std::string find(std::string_view needle) const;

  private:
    static void CPL_STDCALL handler(CPLErr level, CPLErrorNum code, const char* msg);
    std::vector<Message> m_messages;
};

/// An output file written under a temporary name beside it (same folder, same extension,
/// so the same GDAL driver) and renamed to its name only when complete: a run that fails
/// leaves neither a half-written file nor a damaged earlier one. A directory at `path` is
/// an OutputError, never replaced.
class PendingFile {
  public:
    explicit PendingFile(std::string path);
    PendingFile(const PendingFile&) = delete;
    PendingFile& operator=(const PendingFile&) = delete;
    PendingFile(PendingFile&&) noexcept;
    PendingFile& operator=(PendingFile&&) = delete;
    /// Removes the temporary file (and a GeoPackage's journals) unless committed.
    ~PendingFile();
    const std::string& path() const { return m_path; }
    /// Where to write now.
    const std::string& temp() const { return m_temp; }
    /// Puts the complete file in place of `path` (replacing a file there).
    void commit();

  private:
    std::string m_path, m_temp;
    bool m_done = false;
};

/// A vector dataset being written (see PendingFile).
struct VectorOutput {
    PendingFile file;
    GDALDatasetUniquePtr ds;
    std::string driver;
    /// Closes the dataset (GDAL's errors on flush are OutputErrors) and commits the file.
    void commit();
};

/// A new vector dataset for `path`, with the driver its extension picks from `drivers`
/// ({".gpkg", "GPKG"}, ...; case ignored). Throws UsageError naming `option` for another
/// extension, OutputError when GDAL cannot create it.
VectorOutput create_vector_output(const std::string& path, const std::string& option,
                                  const std::vector<std::pair<std::string, std::string>>& drivers);

/// CGCS2000 longitude/latitude (EPSG:4490) in GIS axis order, for outputs.
OGRSpatialReference cgcs2000_srs();

}  // namespace geoadmin::detail
