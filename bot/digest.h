// The weekly digest: what a channel learns on Monday morning — the week's new lessons by Book of
// Learning chapter, the flop of the week, what people searched for and did not find, and a link
// to the Book — and the scheduler job that creates each week's digest exactly once.
#pragma once

#include <string>

#include "bot/clock.h"
#include "bot/domain.h"
#include "bot/message.h"
#include "bot/status.h"

namespace lessonbook {

class Store;

struct DigestOptions {
  std::string public_url;   // Default: none. With it, the digest links to the Book page.
  int max_per_section = 5;  // Default: 5 lessons per chapter, then "and N more".
  int max_misses = 5;       // Default: 5 searches that found nothing.
};

struct Digest {
  Message message;
  bool quiet = false;  // no new lessons and no unanswered searches
};

// The digest of the lessons created in [from, to). `late_by` > 0 says the digest is late.
Result<Digest> BuildDigest(Store& store, const Workspace& ws, Time from, Time to,
                           const DigestOptions& options, std::chrono::seconds late_by);

// Creates the digest of every subscription whose weekly time has passed in the current week and
// whose digest for that ISO week does not exist yet: the run and its outbox message are
// committed together, so a restart, a second tick or a clock jump never makes a second one. A
// server that was down at the due time creates it when it is back within the same week; the
// digest says it is late only when it is more than a day late. Returns how many it created.
int CreateDueDigests(Store& store, Time now, const DigestOptions& options);

// The workspace setting: on a quiet week send one line ("line", the default) or nothing ("skip").
inline constexpr const char* kQuietDigestSetting = "quiet_digest";

}  // namespace lessonbook
