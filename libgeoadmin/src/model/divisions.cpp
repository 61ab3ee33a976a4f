#include "geoadmin/model/divisions.hpp"

#include <algorithm>

#include "embedded_data.hpp"

namespace geoadmin {

// ---------------------------------------------------------------------------------------
// Division codes

namespace {

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

inline std::string_view trim_ascii(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

}  // namespace

std::string normalize_division_code(std::string_view code) {
    code = trim_ascii(code);
    if (!all_digits(code) || (code.size() != 6 && code.size() != 9 && code.size() != 12))
        return {};
    std::string c(code);
    if (c.size() == 12 && c.compare(9, 3, "000") == 0)
        c.resize(9);
    if (c.size() == 9 && c.compare(6, 3, "000") == 0)
        c.resize(6);
    return c;
}

std::string division_parent(std::string_view c) {
    if (c.size() == 12)
        return std::string(c.substr(0, 9));
    if (c.size() == 9)
        return std::string(c.substr(0, 6));
    if (c.size() != 6)
        return {};
    if (c.substr(2) == "0000")
        return {};  // a province
    if (c.substr(4) == "00")
        return std::string(c.substr(0, 2)) + "0000";
    return std::string(c.substr(0, 4)) + "00";
}

const DivisionTable& DivisionTable::builtin() {
    static const DivisionTable table = [] {
        DivisionTable t;
        t.m_origin = "2023 statistics division codes (built in)";
        std::string_view text = detail::kDivisionsCsv;
        size_t pos = text.find('\n') + 1;  // header
        t.m_entries.reserve(50000);
        while (pos < text.size()) {
            size_t end = text.find('\n', pos);
            if (end == std::string_view::npos)
                end = text.size();
            std::string_view line = text.substr(pos, end - pos);
            size_t comma = line.find(',');
            if (comma != std::string_view::npos)
                t.add(line.substr(0, comma), line.substr(comma + 1));
            pos = end + 1;
        }
        t.finalize();
        return t;
    }();
    return table;
}

std::uint64_t division_code_key(std::string_view digits) {
    std::uint64_t v = 0;
    for (char c : digits)
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    return v * 16 + digits.size();
}

void DivisionTable::add(std::string_view code, std::string_view name) {
    std::string c = normalize_division_code(code);
    if (c.empty())
        return;
    std::uint64_t key = division_code_key(c);
    if (!m_entries.empty() && m_entries.back().first >= key)
        m_unsorted = true;
    m_entries.emplace_back(key, std::string(name));
}

namespace {
// The slot of a key in a table of 2^bits slots: the high bits of a multiplicative hash.
std::size_t key_slot(std::uint64_t key, int bits) {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
}
}  // namespace

void DivisionTable::finalize() const {
    m_unsorted = false;
    std::stable_sort(m_entries.begin(), m_entries.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    m_entries.erase(std::unique(m_entries.begin(), m_entries.end(),
                                [](const auto& a, const auto& b) { return a.first == b.first; }),
                    m_entries.end());
    // Open addressing with the keys in the slots themselves: a lookup touches one cache
    // line of the table, and the entry only when its name is wanted.
    m_bits = 4;
    while ((std::size_t{1} << m_bits) < m_entries.size() * 2)
        ++m_bits;
    const std::size_t size = std::size_t{1} << m_bits;
    m_slot_keys.assign(size, 0);
    m_slot_entries.assign(size, 0);
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        std::uint64_t key = m_entries[i].first;
        std::size_t h = key_slot(key, m_bits);
        while (m_slot_keys[h] != 0)
            h = (h + 1) & (size - 1);
        m_slot_keys[h] = key;
        m_slot_entries[h] = static_cast<std::uint32_t>(i);
    }
}

std::ptrdiff_t DivisionTable::slot(std::string_view code) const {
    if (code.empty() || code.size() > 15 || !all_digits(code))
        return -1;
    if (m_unsorted || m_slot_keys.empty())
        finalize();
    const std::uint64_t key = division_code_key(code);  // never 0: the length is part of it
    const std::size_t mask = m_slot_keys.size() - 1;
    for (std::size_t h = key_slot(key, m_bits);; h = (h + 1) & mask) {
        const std::uint64_t k = m_slot_keys[h];
        if (k == key)
            return static_cast<std::ptrdiff_t>(h);
        if (k == 0)
            return -1;
    }
}

const std::string* DivisionTable::name(std::string_view code) const {
    const std::ptrdiff_t h = slot(code);
    return h < 0 ? nullptr : &m_entries[m_slot_entries[static_cast<std::size_t>(h)]].second;
}

bool DivisionTable::contains(std::string_view code) const {
    return slot(code) >= 0;
}

}  // namespace geoadmin
