// The Book of Learning's chapters: the workspace's section tags with their titles, in book order.
// A workspace's list comes from its `sections` setting (`settings sections …`), else the default.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bot/domain.h"
#include "bot/status.h"

namespace lessonbook {

class Store;

struct BookSection {
  std::string tag;    // "landing-pages"
  std::string title;  // "Landing pages"

  bool operator==(const BookSection&) const = default;
};

// Default: seo, offers, email, landing-pages, social, events, analysts-influencers, testing,
// content, paid.
const std::vector<BookSection>& DefaultSections();

// The workspace setting holding its list, in the form SectionListText writes; "" means default.
inline constexpr std::string_view kSectionsSetting = "sections";
inline constexpr std::size_t kMaxSections = 30;
inline constexpr std::size_t kMaxSectionTitleBytes = 80;

// Parses `seo="SEO and keyphrases", email=Email, landing-pages="Landing pages"`: comma-separated
// tag=title pairs, tags normalized like lesson tags, titles in quotes when they hold a comma.
// InvalidArgument naming the fix for a missing title, a bad tag or title, a duplicate tag or
// title, an unclosed quote, or fewer than 1 or more than kMaxSections sections.
Result<std::vector<BookSection>> ParseSectionList(std::string_view text);

// The list in the form ParseSectionList reads (titles with spaces or commas in quotes).
std::string SectionListText(const std::vector<BookSection>& sections);

// The workspace's chapters: its `sections` setting, or DefaultSections() when it has none or it
// cannot be read or parsed (that case is logged).
std::vector<BookSection> WorkspaceSections(Store& store, WorkspaceId ws);

}  // namespace lessonbook
