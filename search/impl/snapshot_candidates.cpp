// Candidate generation of the typeahead snapshot (typeahead_snapshot.hpp): the prefix matches
// by binary search, the substring and fuzzy candidates from the trigram postings (prefix
// filtering: only the rarest lists are counted), and word similarity over stored trigram ids.
#include <algorithm>
#include <cmath>

#include "typeahead_snapshot.hpp"

namespace sonique::search {
namespace {

bool contains(std::string_view s, std::string_view part) {
    return s.find(part) != std::string_view::npos;
}

}  // namespace

// Tiers 0 and 1: the folded name or its key starts with the query's, or a word of the name does.
void TypeaheadSnapshot::prefix_candidates(std::string_view qf, std::string_view qk,
                                          std::vector<uint32_t>& out) const {
    Seen& seen = scratch().seen_prefix;
    seen.start(entries_.size());
    auto from = [&](const std::vector<uint32_t>& sorted, auto get, std::string_view q) {
        auto it = std::lower_bound(sorted.begin(), sorted.end(), q,
                                   [&](uint32_t e, std::string_view v) { return get(e) < v; });
        for (; it != sorted.end() && get(*it).substr(0, q.size()) == q; ++it)
            if (seen.first(*it)) out.push_back(*it);
    };
    from(
        by_folded_, [this](uint32_t e) { return folded(e); }, qf);
    if (!qk.empty())
        from(
            by_key_, [this](uint32_t e) { return key(e); }, qk);
    auto word = [this](const WordStart& w) { return folded(w.entry).substr(w.offset); };
    auto it = std::lower_bound(words_.begin(), words_.end(), qf,
                               [&](const WordStart& w, std::string_view v) { return word(w) < v; });
    for (; it != words_.end() && word(*it).substr(0, qf.size()) == qf; ++it)
        if (seen.first(it->entry)) out.push_back(it->entry);
}

// Every entry that the full clause can match: a substring of the name or key (read from the
// postings of the query's rarest inner trigram; every entry when the query has none), a key with
// at least 0.3 of the query key's trigrams (similarity >= 0.3 needs that: below), a name with at
// least 0.6 of the folded query's trigrams (word similarity >= 0.6 needs that). The fuzzy ones
// come from the counts of the rarest lists (count_all: every such entry holds one of them), their
// exact counts from the other lists. The caller checks each exactly.
size_t TypeaheadSnapshot::full_candidates(const Query& q, std::vector<uint32_t>& out) const {
    const size_t start = out.size();
    Seen& seen = scratch().seen_full;
    std::vector<Trigram>& tri = scratch().tri;
    seen.start(entries_.size());
    auto substring = [&](const Postings& p, std::string_view text, auto of) {
        inner_trigrams(text, *words_chars_, tri);
        if (tri.empty()) {
            for (uint32_t e = 0; e < entries_.size(); ++e)
                if (seen.first(e)) out.push_back(e);
            return;
        }
        // A name holding text holds every inner trigram of it, so the names in both of the two
        // rarest postings hold every such name: only they are checked (a name holding the
        // trigrams but not the text can only match fuzzily, and the fuzzy candidates below
        // cover it). The smaller list is walked and each name looked up in the other by a
        // forward search, cheaper than comparing text for every name of the rarest list.
        Range best{nullptr, nullptr}, second{nullptr, nullptr};
        for (Trigram t : tri) {
            Range r = p.range(t);
            if (r.size() == 0) return;  // no name holds text
            if (!best.begin || r.size() < best.size()) {
                second = best;
                best = r;
            } else if ((!second.begin || r.size() < second.size()) && r.begin != best.begin) {
                second = r;
            }
        }
        const uint32_t* in = second.begin;
        for (const uint32_t* e = best.begin; e != best.end; ++e) {
            if (in) {
                in = std::lower_bound(in, second.end, *e);
                if (in == second.end) break;
                if (*in != *e) continue;
            }
            if (contains(of(*e), text) && seen.first(*e)) out.push_back(*e);
        }
    };
    substring(folded_trigrams_, q.qf, [this](uint32_t e) { return folded(e); });
    if (!q.qk.empty()) substring(key_trigrams_, q.qk, [this](uint32_t e) { return key(e); });
    // Every name holding the folded query or its key is among those: the fuzzy candidates below
    // are names that do not.
    const size_t substrings = out.size() - start;
    if (!q.qk.empty()) {
        // similarity = c / (a + b - c) >= 0.3 needs c >= 0.3 (a + b) / 1.3 (a margin for float4).
        double a = static_cast<double>(q.qk_set.size());
        for (uint32_t e : q.ck.touched) {
            double b = key_trigram_n_[e];
            double need = 0.3 * (a + b) / 1.3 - 0.01;  // rest: at most one each
            if (static_cast<double>(q.ck.n[e] + q.k_rest.size()) >= need && q.exact_k(e) >= need &&
                seen.first(e))
                out.push_back(e);
        }
    }
    double u = static_cast<double>(q.qf_set.size());
    for (uint32_t e : q.cf.touched)
        if (static_cast<double>(q.cf.n[e] + q.f_rest.size()) >= 0.59 * u &&
            q.exact_f(e) >= 0.59 * u && seen.first(e))
            out.push_back(e);
    return substrings;
}

TypeaheadSnapshot::Range TypeaheadSnapshot::Postings::range(Trigram t) const {
    auto it = std::lower_bound(trigrams.begin(), trigrams.end(), t);
    if (it == trigrams.end() || *it != t) return {nullptr, nullptr};
    size_t i = static_cast<size_t>(it - trigrams.begin());
    return {entries.data() + starts[i], entries.data() + starts[i + 1]};
}

size_t TypeaheadSnapshot::Postings::plan(const std::vector<Trigram>& q, size_t counted_lists,
                                         std::vector<Range>& counted,
                                         std::vector<Range>& rest) const {
    counted.clear();
    rest.clear();
    for (Trigram t : q) {
        Range r = range(t);
        if (r.size() > 0) counted.push_back(r);  // an absent trigram is in no list
    }
    std::sort(counted.begin(), counted.end(),
              [](const Range& a, const Range& b) { return a.size() < b.size(); });
    size_t cost = 0;
    for (const Range& r : counted)
        cost += r.size();
    // The most frequent lists are left out (at most q.size() - counted_lists of them) only
    // while each is at least twice all the smaller ones together: a name then costs a binary
    // search in it rather than a count of every posting, which pays only when the list
    // dominates (a trigram such as "  s"); lists of similar sizes are all counted.
    const size_t may_skip = q.size() - std::min(q.size(), counted_lists);
    while (rest.size() < may_skip && counted.size() > 1 &&
           counted.back().size() >= 2 * (cost - counted.back().size())) {
        cost -= counted.back().size();
        rest.push_back(counted.back());
        counted.pop_back();
    }
    return cost;
}

void TypeaheadSnapshot::Postings::count(const std::vector<Range>& lists, Counts& c,
                                        size_t entries_count) {
    c.start(entries_count);
    for (const Range& r : lists)
        for (const uint32_t* e = r.begin; e != r.end; ++e)
            if (c.n[*e]++ == 0) c.touched.push_back(*e);
}

void TypeaheadSnapshot::start_query(Query& q, std::string_view qf, std::string_view qk,
                                    bool full) const {
    q.qf = qf;
    q.qk = qk;
    q.blank_qf = " " + std::string(qf);
    q.counted = false;
    trigram_set(qf, *words_chars_, q.qf_set);
    trigram_set(qk, *words_chars_, q.qk_set);
    const auto& ids = folded_trigrams_.trigrams;
    if (q.holds.size() != ids.size()) {
        q.holds.assign(ids.size(), 0);
        q.lastpos.assign(ids.size(), -1);
        q.held.clear();
    }
    for (uint32_t id : q.held)
        q.holds[id] = 0;
    q.held.clear();
    for (Trigram t : q.qf_set) {
        auto it = std::lower_bound(ids.begin(), ids.end(), t);
        if (it == ids.end() || *it != t) continue;  // in no name
        auto id = static_cast<uint32_t>(it - ids.begin());
        q.holds[id] = 1;
        q.held.push_back(id);
    }
    // The fewest common trigrams a fuzzy candidate can have (full_candidates' two filters): a
    // name >= 0.59 of the folded query's; a key c >= 0.3 (a + b) / 1.3 - 0.01 with c <= b, so
    // c >= 0.3 a - 0.013. Prefix filtering then counts the size - m + 1 rarest lists.
    const size_t u = q.qf_set.size(), a = q.qk_set.size();
    const auto m_f = static_cast<size_t>(std::ceil(0.59 * static_cast<double>(u)));
    const auto m_k =
        std::max<size_t>(1, static_cast<size_t>(std::ceil(0.3 * static_cast<double>(a) - 0.013)));
    // Without the full clause (a short query) the counts only rank prefix matches: no list is
    // left out.
    q.count_cost =
        folded_trigrams_.plan(q.qf_set, full ? u - std::min(u, m_f) + 1 : u, q.f_counted,
                              q.f_rest) +
        key_trigrams_.plan(q.qk_set, full ? a - std::min(a, m_k) + 1 : a, q.k_counted, q.k_rest);
}

// How many of the query's trigrams each name holds, over the postings for all names at once:
// cheaper than intersecting each candidate's own trigrams when candidates are many, and always
// needed for the full clause, whose candidates come from those counts.
void TypeaheadSnapshot::count_all(Query& q) const {
    if (q.counted) return;
    Postings::count(q.f_counted, q.cf, entries_.size());
    Postings::count(q.k_counted, q.ck, entries_.size());
    q.counted = true;
}

// How many of the folded query's trigrams (distinct) the folded name of e holds, from its stored
// sequence: lastpos (all -1 between calls) marks the ids already counted.
int TypeaheadSnapshot::folded_common(Query& q, uint32_t e) const {
    const uint32_t* seq = seq_ids_.data() + seq_start_[e];
    const uint32_t* end = seq_ids_.data() + seq_start_[e + 1];
    int n = 0;
    for (const uint32_t* t = seq; t != end; ++t)
        if (q.holds[*t] && q.lastpos[*t] < 0) {
            q.lastpos[*t] = 0;
            ++n;
        }
    for (const uint32_t* t = seq; t != end; ++t)
        q.lastpos[*t] = -1;
    return n;
}

// pg_trgm's word_similarity(): iterate_word_similarity's extent search (flags 0, PostgreSQL 15),
// with the name's distinct trigrams numbered by their ids in folded_trigrams_.
float TypeaheadSnapshot::word_sim(Query& q, uint32_t e) const {
    const int ulen1 = static_cast<int>(q.qf_set.size());
    const uint32_t* seq = seq_ids_.data() + seq_start_[e];
    const int len2 = static_cast<int>(seq_start_[e + 1] - seq_start_[e]);
    if (ulen1 == 0 || len2 == 0) return 0.0f;
    auto sml = [ulen1](int count, int ulen2) {
        return static_cast<float>(count) / static_cast<float>(ulen1 + ulen2 - count);
    };
    std::vector<int>& lastpos = q.lastpos;
    const std::vector<uint8_t>& found = q.holds;
    int ulen2 = 0, count = 0, upper = -1, lower = -1;
    float smlr_max = 0.0f;
    for (int i = 0; i < len2; ++i) {
        uint32_t t = seq[i];
        if (lower >= 0 || found[t]) {
            if (lastpos[t] < 0) {
                ++ulen2;
                if (found[t]) ++count;
            }
            lastpos[t] = i;
        }
        if (!found[t]) continue;
        upper = i;
        if (lower == -1) {
            lower = i;
            ulen2 = 1;
        }
        float smlr_cur = sml(count, ulen2);
        int tmp_count = count, tmp_ulen2 = ulen2, prev_lower = lower;
        for (int tmp_lower = lower; tmp_lower <= upper; ++tmp_lower) {
            float smlr_tmp = sml(tmp_count, tmp_ulen2);
            if (smlr_tmp > smlr_cur) {
                smlr_cur = smlr_tmp;
                ulen2 = tmp_ulen2;
                lower = tmp_lower;
                count = tmp_count;
            }
            uint32_t tt = seq[tmp_lower];
            if (lastpos[tt] == tmp_lower) {
                --tmp_ulen2;
                if (found[tt]) --tmp_count;
            }
        }
        smlr_max = std::max(smlr_max, smlr_cur);
        for (int tmp_lower = prev_lower; tmp_lower < lower; ++tmp_lower) {
            uint32_t tt = seq[tmp_lower];
            if (lastpos[tt] == tmp_lower) lastpos[tt] = -1;
        }
    }
    for (int i = 0; i < len2; ++i)
        lastpos[seq[i]] = -1;
    return smlr_max;
}

}  // namespace sonique::search
