// choose_transcode (transcode_choice.hpp).
#include "transcode_choice.hpp"

#include <algorithm>

#include "call.hpp"

namespace sonique::subsonic {

std::optional<server::TranscodePlan> choose_transcode(const StreamAsk& ask,
                                                      const SourceAudio& source) {
    int64_t cap = 0;  // the lower of the two caps that are set
    for (int64_t c : {ask.max_bit_rate, ask.user_max_bit_rate})
        if (c > 0) cap = cap > 0 ? std::min(cap, c) : c;
    std::optional<server::TranscodeFormat> target;
    if (ask.format && !ask.format->empty()) {
        if (*ask.format == "raw") return std::nullopt;
        target = server::parse_transcode_format(*ask.format);
        if (!target && *ask.format != source.suffix)
            throw SubsonicError(kGeneric, "Parameter format must be raw, opus, mp3 or aac");
    }
    // A file already in the format asked for, and under the cap, is sent as it is (unless it
    // must start later: only a transcode can).
    const bool under_cap = cap == 0 || (source.bit_rate_kbps > 0 && source.bit_rate_kbps <= cap);
    const bool same_kind = !target || *ask.format == source.suffix;
    if (same_kind && under_cap && (!target || ask.time_offset_s == 0)) return std::nullopt;
    server::TranscodePlan plan;
    plan.format = target.value_or(server::TranscodeFormat::kOpus);
    int64_t rate = server::default_bit_rate(plan.format);
    if (cap > 0) rate = std::min(rate, cap);
    plan.bit_rate_kbps = static_cast<int>(std::clamp<int64_t>(
        rate, server::min_bit_rate(plan.format), server::max_bit_rate(plan.format)));
    plan.offset_s = ask.time_offset_s;
    return plan;
}

}  // namespace sonique::subsonic
