#include "bot/people.h"

#include "bot/text.h"

namespace lessonbook {

std::string UserIdFromMention(std::string_view mention, Platform platform) {
  std::string v = Trim(mention);
  if (v.size() > 3 && v.rfind("<@", 0) == 0 && v.back() == '>') {
    v = v.substr(2, v.size() - 3);
    size_t bar = v.find('|');
    if (bar != std::string::npos) v = v.substr(0, bar);
    return v;
  }
  if (!v.empty() && v[0] == '@') v.erase(0, 1);
  if (v.empty()) return "";
  if (platform == Platform::kWeb && v.rfind("web:", 0) != 0) return "web:" + v;
  return v;
}

std::string ChannelIdFromMention(std::string_view mention) {
  std::string v = Trim(mention);
  if (v.size() > 3 && v.rfind("<#", 0) == 0 && v.back() == '>') {
    v = v.substr(2, v.size() - 3);
    size_t bar = v.find('|');
    if (bar != std::string::npos) v = v.substr(0, bar);
    return v;
  }
  return "";
}

}  // namespace lessonbook
