#include "checks/names/impl.hpp"

namespace geoadmin {

NameChecker::Impl::Parts NameChecker::Impl::parts(const ScopeEntry& e) const {
    std::string_view s(arena);
    s = s.substr(e.arena, s.find('\n', e.arena) - e.arena);
    Parts p;
    const size_t tab = s.find('\t');
    p.key = s.substr(0, tab);
    p.name = s.substr(tab + 1);
    p.scope_kind = e.scope_kind;
    const int digits = e.scope_kind == NameScope::country    ? 0
                       : e.scope_kind == NameScope::province ? 2
                                                             : 6;
    if (digits > 0) {
        p.scope = std::to_string(e.scope);
        p.scope.insert(0, static_cast<size_t>(digits) - std::min<size_t>(p.scope.size(), digits),
                       '0');
    }
    return p;
}

MessageArgs NameChecker::Impl::scope_args(const Parts& p) {
    const char* scope = "scope.built_up_area";
    switch (p.scope_kind) {
        case NameScope::country:
            scope = "scope.country";
            break;
        case NameScope::province:
            scope = "scope.province";
            break;
        case NameScope::county:
            scope = "scope.county";
            break;
        default:
            break;
    }
    return {term("scope", scope), {"scope_code", std::string(p.scope)}};
}

Subject NameChecker::Impl::entry_subject(const ScopeEntry& e, const Parts& p,
                                         const char* field) const {
    Subject s;
    s.dataset = layers[static_cast<size_t>(e.layer)].first;
    s.layer = layers[static_cast<size_t>(e.layer)].second;
    s.row = e.row;
    s.key = std::string(p.key);
    s.field = field;
    return s;
}

void NameChecker::Impl::merge(Impl& other) {
    stats.records += other.stats.records;
    stats.in_scope += other.stats.in_scope;
    if (arena.size() + other.arena.size() > 0xF0000000U ||
        code_arena.size() + other.code_arena.size() > 0xF0000000U)
        throw Error("names check: more codes and names than this build can hold (4 GB)");
    take_over(codes, code_arena, other.codes, other.code_arena, [](CodeEntry& e, auto base) {
        if (e.value >> 63)
            e.text += base;
    });
    take_over(scope_entries, arena, other.scope_entries, other.arena,
              [](ScopeEntry& e, auto base) { e.arena += base; });
    for (auto& p : other.pending)
        pending.push_back(std::move(p));
    other.stats = {};
    other.pending.clear();
}

void NameChecker::Impl::in_input_order(std::vector<Finding>& out, size_t start) const {
    auto position = [this](const Finding& f) {
        size_t layer = 0;
        while (layer < layers.size() &&
               (layers[layer].first != f.dataset || layers[layer].second != f.layer))
            ++layer;
        return std::pair(layer, f.row);
    };
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(start), out.end(),
                     [&](const Finding& a, const Finding& b) { return position(a) < position(b); });
}

void NameChecker::Impl::finish(std::vector<Finding>& out) {
    // The three orders are sorted at once (two of them on other threads): the entries of
    // one group in input order, the first of them the original.
    auto sorted_scope = [this](bool wanted, std::uint64_t ScopeEntry::*hash) {
        std::vector<Keyed> keyed;
        if (!wanted)
            return keyed;
        keyed.reserve(scope_entries.size());
        for (size_t i = 0; i < scope_entries.size(); ++i) {
            const ScopeEntry& e = scope_entries[i];
            keyed.push_back({e.*hash, input_order(e.layer, e.row), static_cast<std::uint32_t>(i)});
        }
        sort_by_high_bits(
            keyed, [](const Keyed& k) { return k.hash; }, std::less<>());
        return keyed;
    };
    auto by_sound = std::async(std::launch::async, sorted_scope, rules.enabled("NAME-HOMOPHONE"),
                               &ScopeEntry::sound_hash);
    auto by_name = std::async(std::launch::async, sorted_scope, rules.enabled("NAME-DUPLICATE"),
                              &ScopeEntry::name_hash);

    // Codes: duplicates within the input, and pending parents the input itself holds.
    sort_by_high_bits(
        codes, [](const CodeEntry& c) { return c.value; },
        [](const CodeEntry& a, const CodeEntry& b) {
            return std::tie(a.value, a.layer, a.row) < std::tie(b.value, b.layer, b.row);
        });
    const size_t code_findings = out.size();
    for (size_t k = 1; k < codes.size(); ++k) {
        const CodeEntry& prev = codes[k - 1];
        const CodeEntry& cur = codes[k];
        if (cur.value != prev.value)
            continue;
        std::string text;
        if ((cur.value >> 63) != 0U) {
            size_t end = code_arena.find('\n', cur.text);
            text = code_arena.substr(cur.text, end - cur.text);
            std::string prev_text =
                code_arena.substr(prev.text, code_arena.find('\n', prev.text) - prev.text);
            if (prev_text != text)
                continue;  // a hash collision
        } else {
            size_t len = cur.value % 16;
            text = std::to_string(cur.value / 16);
            text.insert(0, len > text.size() ? len - text.size() : 0, '0');
        }
        Subject s;
        s.dataset = layers[cur.layer].first;
        s.layer = layers[cur.layer].second;
        s.row = cur.row;
        s.key = text;
        s.field = "code";
        emit(out, "NAME-CODE-DUPLICATE", s,
             {{"code", text}, {"other_row", std::to_string(prev.row)}});
    }
    in_input_order(out, code_findings);
    // In input order, whichever shard checked the record.
    std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
        return std::tie(a.layer, a.row) < std::tie(b.layer, b.row);
    });
    for (auto& p : pending) {
        CodeEntry probe{code_number(p.code), 0, 0, 0};
        if (std::binary_search(codes.begin(), codes.end(), probe))
            continue;
        out.push_back(std::move(p.finding));
    }
    pending.clear();

    // Duplicates: same name (hash) in the same group and scope.
    const std::vector<Keyed> idx_name = by_name.get();
    const std::vector<Keyed> idx_sound = by_sound.get();
    // A group: entries [k, end) of `idx` with one hash.
    auto group_end = [](const std::vector<Keyed>& idx, size_t k) {
        size_t end = k + 1;
        while (end < idx.size() && idx[end].hash == idx[k].hash)
            ++end;
        return end;
    };
    const size_t duplicate_findings = out.size();
    for (size_t k = 0; k < idx_name.size();) {
        const size_t end = group_end(idx_name, k);
        if (end - k == 1) {
            ++k;
            continue;
        }
        const ScopeEntry& first = scope_entries[idx_name[k].index];
        Parts fp = parts(first);
        for (size_t j = k + 1; j < end; ++j) {
            const ScopeEntry& e = scope_entries[idx_name[j].index];
            Parts p = parts(e);
            if (p.name != fp.name || p.scope != fp.scope || p.scope_kind != fp.scope_kind)
                continue;  // a hash collision, not a duplicate
            MessageArgs args = scope_args(p);
            args.insert(args.end(), {{"name", std::string(p.name)},
                                     {"other_row", std::to_string(first.row)},
                                     {"other_key", std::string(fp.key)}});
            emit(out, "NAME-DUPLICATE", entry_subject(e, p, "name"), args);
        }
        k = end;
    }
    in_input_order(out, duplicate_findings);
    const size_t homophone_findings = out.size();
    for (size_t k = 0; k < idx_sound.size();) {
        const size_t end = group_end(idx_sound, k);
        if (end - k > 1) {
            const ScopeEntry& first = scope_entries[idx_sound[k].index];
            Parts fp = parts(first);
            const std::string first_sound = romanizer.sound_key(fp.name);
            std::unordered_set<std::string_view> seen{fp.name};
            for (size_t j = k + 1; j < end; ++j) {
                const ScopeEntry& e = scope_entries[idx_sound[j].index];
                Parts p = parts(e);
                if (p.scope != fp.scope || p.scope_kind != fp.scope_kind ||
                    !seen.insert(p.name).second)
                    continue;
                const std::string sound = romanizer.sound_key(p.name);
                if (sound != first_sound)
                    continue;  // a hash collision
                MessageArgs args = scope_args(p);
                args.insert(args.end(), {{"name", std::string(p.name)},
                                         {"other_name", std::string(fp.name)},
                                         {"other_row", std::to_string(first.row)},
                                         {"other_key", std::string(fp.key)},
                                         {"sound", sound}});
                emit(out, "NAME-HOMOPHONE", entry_subject(e, p, "name"), args);
            }
        }
        k = end;
    }
    in_input_order(out, homophone_findings);
}

}  // namespace geoadmin
