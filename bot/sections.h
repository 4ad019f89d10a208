// The Book of Learning's chapters: the workspace's section tags with their titles, in book order.
#pragma once

#include <string>
#include <vector>

namespace lessonbook {

struct BookSection {
  std::string tag;    // "landing-pages"
  std::string title;  // "Landing pages"
};

// Default: seo, offers, email, landing-pages, social, events, analysts-influencers, testing,
// content, paid.
const std::vector<BookSection>& DefaultSections();

}  // namespace lessonbook
