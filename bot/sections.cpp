#include "bot/sections.h"

namespace lessonbook {

const std::vector<BookSection>& DefaultSections() {
  static const std::vector<BookSection> kSections = {
      {"seo", "SEO and keyphrases"},
      {"offers", "Offers and promotions"},
      {"email", "Email"},
      {"landing-pages", "Landing pages"},
      {"social", "Social"},
      {"events", "Events"},
      {"analysts-influencers", "Analysts and influencers"},
      {"testing", "Testing"},
      {"content", "Content"},
      {"paid", "Paid"},
  };
  return kSections;
}

}  // namespace lessonbook
