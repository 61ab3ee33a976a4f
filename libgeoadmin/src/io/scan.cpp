#include <condition_variable>
#include <mutex>
#include <thread>

#include "geoadmin/io/source.hpp"
#include "io/row_scanner.hpp"
#include "io/rows.hpp"

namespace geoadmin {

using detail::DirectRows;
using detail::read_text_part;
using detail::RowSource;
using detail::ThreadedRows;

ScanSummary Layer::scan(const RuleSet& rules, const ScanOptions& options,
                        const std::function<void(const Record&)>& on_record, FindingSink& sink) {
    std::vector<Finding> findings;  // of the current row, handed on after it
    OGRLayer* ogr = m_source->dataset->GetLayer(m_index);
    detail::RowScanner scanner(*this, rules, options);
    detail::ScanTally tally;
    const std::int64_t total = m_feature_count > 0 ? m_feature_count : 0;
    detail::GdalCapture capture;  // this thread's messages (PROJ, through GDAL)
    // Attribute tables (registers, spreadsheets) are parsed on a second thread while this
    // one works on the rows; layers with geometry are read here.
    std::unique_ptr<RowSource> source;
    if (scanner.from_geometry) {
        source = std::make_unique<DirectRows>(ogr, total);
    } else {
        source = std::make_unique<ThreadedRows>(ogr, total);
    }
    std::int64_t row = 0;
    Record record;
    std::vector<detail::GdalCapture::Message> messages;
    const OGRGeometry* geometry = nullptr;
    while (true) {
        const RowSource::Kind kind = source->next(record, messages, geometry);
        if (kind == RowSource::Kind::end) {
            scanner.end(messages, findings);
            break;
        }
        ++row;
        if (kind == RowSource::Kind::unreadable) {
            scanner.unreadable(row, messages.back().text, tally, findings);
            sink.add_all(findings);
            continue;
        }
        record.row = row;
        scanner.row(record, messages, geometry, tally, findings);
        sink.add_all(findings);
        if (options.observe)
            options.observe(record);
        if (on_record)
            on_record(record);
        if (options.progress && (row & 0xFFF) == 0)
            options.progress(row, total);
    }
    if (options.progress)
        options.progress(row, total);
    ScanSummary summary = scanner.finish(tally, findings);
    sink.add_all(findings);
    return summary;
}

bool Layer::splittable() const {
    const auto& s = *m_source;
    return !s.text_path.empty() && s.parts.size() > 2 && m_coordinate_source != "geometry" &&
           s.header_fields == static_cast<int>(m_fields.size()) &&
           s.dataset->GetLayer(m_index)->GetLayerDefn()->GetGeomFieldCount() == 0;
}

ScanSummary Layer::scan_parallel(const RuleSet& rules, const ScanOptions& options,
                                 const std::vector<PartCallback>& on_record, FindingSink& sink) {
    if (on_record.empty())
        throw Error("internal: scan_parallel without a callback");
    if (on_record.size() == 1 || !splittable()) {
        std::vector<Finding> part;
        const PartCallback& first = on_record.front();
        return scan(
            rules, options,
            [&](const Record& r) {
                first(r, part);
                // Keep the order of scan() and callback findings, row by row.
                sink.add_all(part);
            },
            sink);
    }

    // Parts of consecutive records: each thread reads a part, learns from the parts before
    // it which row it starts at, then scans its rows and hands them to its callback.
    const detail::SourceImpl& source = *m_source;
    const std::size_t parts = source.parts.size() - 1;
    const std::size_t threads = std::min(on_record.size(), parts);
    struct Part {
        std::int64_t rows = -1;   // known once read
        std::int64_t first = -1;  // rows before it, known once every earlier part is read
        std::vector<Finding> findings;
        detail::ScanTally tally;
        bool scanned = false;
    };
    std::vector<Part> done(parts);
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next_part = 0;
    std::size_t next_flush = 0;  // the first part whose findings are not yet in the sink
    std::int64_t rows_done = 0;
    bool failed = false;
    std::vector<std::exception_ptr> errors(threads);

    auto work = [&](std::size_t t) {
        try {
            detail::GdalCapture capture;  // this thread's messages (PROJ, through GDAL)
            detail::RowScanner scanner(*this, rules, options);
            std::vector<Record> records;
            std::vector<GByte> buffer;
            std::vector<detail::GdalCapture::Message> messages, none;
            for (;;) {
                std::size_t k;
                {
                    std::lock_guard<std::mutex> lock(mutex);
                    if (failed || next_part == parts)
                        return;
                    k = next_part++;
                }
                const std::size_t n =
                    read_text_part(source, source.parts[k], source.parts[k + 1], m_ignored,
                                   m_fields.size(), buffer, records, messages);
                // Values split from valid UTF-8 at ASCII delimiters and quotes are valid.
                scanner.text_valid = is_valid_utf8(
                    std::string_view(reinterpret_cast<const char*>(buffer.data()), buffer.size()));
                std::int64_t first = 0;
                {
                    std::unique_lock<std::mutex> lock(mutex);
                    done[k].rows = static_cast<std::int64_t>(n);
                    // Number the parts whose predecessors are all read.
                    for (std::size_t j = 0; j < parts && done[j].rows >= 0; ++j) {
                        if (done[j].first < 0)
                            done[j].first = j == 0 ? 0 : done[j - 1].first + done[j - 1].rows;
                    }
                    changed.notify_all();
                    changed.wait(lock, [&] { return done[k].first >= 0 || failed; });
                    if (failed)
                        return;
                    first = done[k].first;
                }
                Part& part = done[k];
                for (std::size_t i = 0; i < n; ++i) {
                    Record& r = records[i];
                    r.row = first + static_cast<std::int64_t>(i) + 1;
                    r.fid = r.row;
                    scanner.row(r, none, nullptr, part.tally, part.findings);
                    if (options.observe)
                        options.observe(r);
                    on_record[t](r, part.findings);
                }
                scanner.end(messages, part.findings);
                std::lock_guard<std::mutex> lock(mutex);
                // Hand on the findings of every part done whose predecessors are all in.
                part.scanned = true;
                for (; next_flush < parts && done[next_flush].scanned; ++next_flush)
                    sink.add_all(done[next_flush].findings);
                rows_done += static_cast<std::int64_t>(n);
                if (options.progress && t == 0)
                    options.progress(rows_done, 0);
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex);
            errors[t] = std::current_exception();
            failed = true;
            changed.notify_all();
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t)
        pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool)
        th.join();
    for (const auto& e : errors) {
        if (e)
            std::rethrow_exception(e);
    }
    if (options.progress)
        options.progress(rows_done, rows_done);

    detail::RowScanner scanner(*this, rules, options);
    detail::ScanTally tally;
    for (auto& part : done)
        tally.merge(std::move(part.tally));
    std::vector<Finding> findings;
    ScanSummary summary = scanner.finish(tally, findings);
    sink.add_all(findings);
    return summary;
}

}  // namespace geoadmin
