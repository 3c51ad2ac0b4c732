#include "common/accept_backoff.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace inferd {

AcceptBackoff::Decision AcceptBackoff::OnFailure(std::string_view error, TimePoint now) {
  ++unlogged_failures_;
  Decision decision{delay_, std::nullopt};
  delay_ = std::min(delay_ * 2, options_.max_delay);
  if (!last_log_ || now - *last_log_ >= options_.log_interval) {
    const auto interval_s =
        std::chrono::duration_cast<std::chrono::seconds>(options_.log_interval).count();
    decision.log_line =
        absl::StrCat(listener_, " listener: accept failed: ", std::string(error), " (",
                     unlogged_failures_, unlogged_failures_ == 1 ? " failure" : " failures",
                     " since the last report; retrying after ", decision.delay.count(),
                     " ms, at most one report per ", interval_s,
                     " s; out of file descriptors? raise `ulimit -n` or close idle connections)");
    last_log_ = now;
    unlogged_failures_ = 0;
  }
  return decision;
}

}  // namespace inferd
