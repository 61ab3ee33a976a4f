// Internal: where a scan's rows come from: GDAL's features one by one, attribute tables
// parsed on a second thread, or one part of a delimited text read into memory.
#pragma once

#include <cpl_csv.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/io/source.hpp"
#include "io/gdal_util.hpp"
#include "io/source_impl.hpp"

namespace geoadmin::detail {

class RowSource {
  public:
    enum class Kind { row, unreadable, end };
    virtual ~RowSource() = default;
    /// The next row: fills record.fid and record.values (one per field, reusing their
    /// storage), the GDAL messages that came with it, and its geometry (or null; valid
    /// until the next call). At `end`, `messages` holds what GDAL said last.
    virtual Kind next(Record& record, std::vector<detail::GdalCapture::Message>& messages,
                      const OGRGeometry*& geometry) = 0;
};

// Copies a feature's fields into `values`, reusing the strings already there.
inline void copy_fields(const OGRFeature& feature,
                        std::vector<std::optional<std::string>>& values) {
    const int n = feature.GetFieldCount();
    values.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        auto& v = values[static_cast<std::size_t>(i)];
        if (!feature.IsFieldSetAndNotNull(i)) {
            v.reset();
        } else if (v) {
            v->assign(feature.GetFieldAsString(i));
        } else {
            v.emplace(feature.GetFieldAsString(i));
        }
    }
}

// Reads features on the calling thread; a damaged feature is reported and stepped over.
class DirectRows : public RowSource {
  public:
    DirectRows(OGRLayer* layer, std::int64_t total) : m_layer(layer), m_total(total) {
        m_layer->ResetReading();
    }
    Kind next(Record& record, std::vector<detail::GdalCapture::Message>& messages,
              const OGRGeometry*& geometry) override {
        m_feature.reset(m_layer->GetNextFeature());
        messages = m_capture.take();
        geometry = nullptr;
        if (!m_feature) {
            bool failed = false;
            for (const auto& m : messages)
                failed = failed || m.level >= CE_Failure;
            if (failed && m_total > 0 && m_row < m_total && m_failures < 100) {
                ++m_row;
                ++m_failures;
                m_layer->SetNextByIndex(m_row);
                m_capture.take();
                return Kind::unreadable;
            }
            return Kind::end;
        }
        m_failures = 0;
        ++m_row;
        record.fid = m_feature->GetFID();
        copy_fields(*m_feature, record.values);
        geometry = m_feature->GetGeometryRef();
        return Kind::row;
    }

  private:
    OGRLayer* m_layer;
    std::int64_t m_total;
    detail::GdalCapture m_capture;
    OGRFeatureUniquePtr m_feature;
    std::int64_t m_row = 0;
    int m_failures = 0;
};

// Reads an attribute table on a second thread, so that GDAL's parsing overlaps with the
// work on each row. Rows travel in batches whose storage goes back and forth between the
// threads and is reused: no memory allocated by one thread is freed by the other.
class ThreadedRows : public RowSource {
  public:
    ThreadedRows(OGRLayer* layer, std::int64_t total) : m_layer(layer), m_total(total) {
        for (int i = 0; i < kBatches; ++i)
            m_free.push_back(std::make_unique<Batch>());
        m_thread = std::thread([this] { run(); });
    }
    ~ThreadedRows() override {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }
    ThreadedRows(const ThreadedRows&) = delete;
    ThreadedRows& operator=(const ThreadedRows&) = delete;

    Kind next(Record& record, std::vector<detail::GdalCapture::Message>& messages,
              const OGRGeometry*& geometry) override {
        geometry = nullptr;
        while (!m_current || m_pos >= m_current->rows.size()) {
            std::unique_lock<std::mutex> lock(m_mutex);
            if (m_current) {
                m_free.push_back(std::move(m_current));
                m_changed.notify_all();
            }
            m_changed.wait(lock, [this] { return !m_full.empty() || m_done; });
            if (m_full.empty()) {
                if (m_error)
                    std::rethrow_exception(m_error);
                messages = std::move(m_end_messages);
                return Kind::end;
            }
            m_current = std::move(m_full.front());
            m_full.pop_front();
            m_pos = 0;
        }
        Row& r = m_current->rows[m_pos++];
        messages.swap(r.messages);
        r.messages.clear();
        if (r.unreadable)
            return Kind::unreadable;
        record.fid = r.fid;
        // Copied into the record's own strings: each thread frees only what it allocated.
        record.values.resize(r.values.size());
        for (std::size_t i = 0; i < r.values.size(); ++i) {
            if (!r.values[i]) {
                record.values[i].reset();
            } else if (record.values[i]) {
                record.values[i]->assign(*r.values[i]);
            } else {
                record.values[i].emplace(*r.values[i]);
            }
        }
        return Kind::row;
    }

  private:
    struct Row {
        std::int64_t fid = -1;
        bool unreadable = false;
        std::vector<std::optional<std::string>> values;
        std::vector<detail::GdalCapture::Message> messages;
    };
    struct Batch {
        std::vector<Row> rows;
    };
    static constexpr int kBatches = 8;
    static constexpr std::size_t kRows = 1024;

    void run() {
        try {
            detail::GdalCapture capture;
            m_layer->ResetReading();
            std::int64_t row = 0;
            int failures = 0;
            bool end = false;
            while (!end) {
                std::unique_ptr<Batch> batch;
                {
                    std::unique_lock<std::mutex> lock(m_mutex);
                    m_changed.wait(lock, [this] { return !m_free.empty() || m_stop; });
                    if (m_stop)
                        break;
                    batch = std::move(m_free.front());
                    m_free.pop_front();
                }
                std::size_t used = 0;
                batch->rows.resize(kRows);
                while (used < kRows) {
                    OGRFeatureUniquePtr feature(m_layer->GetNextFeature());
                    auto messages = capture.take();
                    Row& r = batch->rows[used];
                    if (!feature) {
                        bool failed = false;
                        for (const auto& m : messages)
                            failed = failed || m.level >= CE_Failure;
                        if (failed && m_total > 0 && row < m_total && failures < 100) {
                            ++row;
                            ++failures;
                            r.unreadable = true;
                            r.messages = std::move(messages);
                            ++used;
                            m_layer->SetNextByIndex(row);
                            capture.take();
                            continue;
                        }
                        m_end_messages = std::move(messages);
                        end = true;
                        break;
                    }
                    failures = 0;
                    ++row;
                    r.unreadable = false;
                    r.fid = feature->GetFID();
                    r.messages = std::move(messages);
                    copy_fields(*feature, r.values);
                    ++used;
                }
                batch->rows.resize(used);
                std::lock_guard<std::mutex> lock(m_mutex);
                m_full.push_back(std::move(batch));
                m_changed.notify_all();
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_error = std::current_exception();
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        m_done = true;
        m_changed.notify_all();
    }

    OGRLayer* m_layer;
    std::int64_t m_total;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::unique_ptr<Batch>> m_free, m_full;
    std::unique_ptr<Batch> m_current;
    std::size_t m_pos = 0;
    std::vector<detail::GdalCapture::Message> m_end_messages;
    bool m_stop = false;
    bool m_done = false;
    std::exception_ptr m_error;
};

// `g` in CGCS2000 lon/lat, axes put right, as ISO WKB; "" when a vertex fails to transform.

// Reads the records of bytes [begin, end) of a delimited text with GDAL's CSV tokenizer,
// as GDAL's CSV driver reads them: blank lines skipped, empty values NULL, values beyond
// the header dropped (the open reported those rows), missing ones NULL. Fills `records`
// (their storage reused) with fid and values; returns how many; `messages` gets GDAL's.
inline std::size_t read_text_part(const detail::SourceImpl& source, std::uint64_t begin,
                                  std::uint64_t end, const std::vector<bool>& ignored,
                                  std::size_t fields, std::vector<GByte>& buffer,
                                  std::vector<Record>& records,
                                  std::vector<detail::GdalCapture::Message>& messages) {
    detail::GdalCapture capture;
    // The part is read at once and tokenized in memory: GDAL's line reader steps back in
    // the file after every line it reads, a system call each time on a disk file.
    std::vector<GByte>& bytes = buffer;
    bytes.resize(static_cast<std::size_t>(end - begin));
    VSILFILE* in = VSIFOpenL(source.text_path.c_str(), "rb");
    const bool read = in != nullptr && VSIFSeekL(in, begin, SEEK_SET) == 0 &&
                      VSIFReadL(bytes.data(), 1, bytes.size(), in) == bytes.size();
    if (in != nullptr)
        VSIFCloseL(in);
    if (!read)
        throw InputError(source.path, "cannot read the file again: " + capture.last_error());
    static std::atomic<int> counter{0};
    const std::string path = "/vsimem/geoadmin_part_" + std::to_string(counter++) + ".csv";
    VSILFILE* fp = VSIFileFromMemBuffer(path.c_str(), bytes.data(), bytes.size(), FALSE);
    if (fp == nullptr)
        throw Error("cannot tokenize a part of " + source.path + " in memory");
    const char delimiter[2] = {source.delimiter, '\0'};
    // GDAL's CSV driver limits a record to OGR_CSV_MAX_LINE_SIZE bytes, as here.
    const int max_line = std::atoi(CPLGetConfigOption("OGR_CSV_MAX_LINE_SIZE", "10000000"));
    std::size_t n = 0;
    while (char** tokens = CSVReadParseLine3L(fp, static_cast<std::size_t>(std::max(max_line, 0)),
                                              delimiter, true, false, false, true)) {
        if (tokens[0] == nullptr) {
            CSLDestroy(tokens);
            continue;
        }
        if (n == records.size())
            records.emplace_back();
        auto& values = records[n].values;
        values.resize(fields);
        bool more = true;
        for (std::size_t i = 0; i < fields; ++i) {
            more = more && tokens[i] != nullptr;
            if (!more || tokens[i][0] == '\0' || (i < ignored.size() && ignored[i])) {
                values[i].reset();
            } else if (values[i]) {
                values[i]->assign(tokens[i]);
            } else {
                values[i].emplace(tokens[i]);
            }
        }
        CSLDestroy(tokens);
        ++n;
    }
    VSIFCloseL(fp);
    VSIUnlink(path.c_str());
    messages = capture.take();
    return n;
}

}  // namespace geoadmin::detail
