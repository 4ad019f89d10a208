#include "bot/sections.h"

#include <algorithm>

#include "bot/command_parser.h"
#include "bot/log.h"
#include "bot/text.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

constexpr std::string_view kLeftQuote = "\xE2\x80\x9C";   // “
constexpr std::string_view kRightQuote = "\xE2\x80\x9D";  // ”
constexpr std::string_view kExample = "seo=\"SEO and keyphrases\", email=Email";

// The length of a quote character at s[i], or 0.
std::size_t QuoteAt(std::string_view s, std::size_t i) {
  if (s[i] == '"') return 1;
  if (s.substr(i, 3) == kLeftQuote || s.substr(i, 3) == kRightQuote) return 3;
  return 0;
}

Status Bad(std::string what) {
  return Status::InvalidArgument(std::move(what) + "; write the sections as tag=title pairs "
                                 "separated by commas, e.g. settings sections " +
                                 std::string(kExample));
}

// The title of one pair as typed: unquoted, or wholly in one pair of quotes.
Result<std::string> ParseTitle(std::string_view raw, const std::string& tag) {
  std::string_view t = TrimView(raw);
  std::size_t open = t.empty() ? 0 : QuoteAt(t, 0);
  if (open > 0) {
    t.remove_prefix(open);
    std::size_t close = 0;
    for (std::size_t i = 0; i < t.size() && close == 0; ++i) {
      if (std::size_t q = QuoteAt(t, i); q > 0) {
        if (i + q != t.size()) {
          return Bad("the title of \"" + tag + "\" has text after its closing quote, or a quote "
                     "inside it (titles cannot hold quotes)");
        }
        close = q;
        t = t.substr(0, i);
      }
    }
    if (close == 0) return Bad("the title of \"" + tag + "\" has no closing quote");
  } else {
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (QuoteAt(t, i) > 0) return Bad("the title of \"" + tag + "\" cannot hold quotes");
    }
  }
  std::string title = Trim(t);
  if (title.empty()) {
    return Bad("section \"" + tag + "\" needs a title, e.g. " + tag + "=\"Its chapter title\"");
  }
  if (title.size() > kMaxSectionTitleBytes || !IsValidUtf8(title)) {
    return Bad("the title of \"" + tag + "\" must be text of at most " +
               std::to_string(kMaxSectionTitleBytes) + " bytes");
  }
  for (unsigned char c : title) {
    if (c < 0x20 || c == 0x7f) return Bad("the title of \"" + tag + "\" must be one line of text");
  }
  return title;
}

}  // namespace

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

Result<std::vector<BookSection>> ParseSectionList(std::string_view text) {
  if (!IsValidUtf8(text)) return Bad("the list is not valid UTF-8 text");
  // Split on commas outside quotes.
  std::vector<std::string_view> items;
  bool quoted = false;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (std::size_t q = QuoteAt(text, i); q > 0) {
      quoted = !quoted;
      i += q;
      continue;
    }
    if (text[i] == ',' && !quoted) {
      items.push_back(text.substr(begin, i - begin));
      begin = i + 1;
    }
    ++i;
  }
  if (quoted) return Bad("a quote is not closed");
  items.push_back(text.substr(begin));

  std::vector<BookSection> out;
  for (std::string_view item : items) {
    item = TrimView(item);
    if (item.empty()) continue;  // "a=A, , b=B" or a trailing comma
    std::size_t eq = item.find('=');
    std::string_view tag_text = TrimView(item.substr(0, eq));
    auto tag = NormalizeTag(tag_text);
    if (!tag.ok()) {
      return Bad("section tags are lesson tags: " + tag.status().message());
    }
    if (eq == std::string_view::npos) {
      return Bad("section \"" + *tag + "\" needs a title, e.g. " + *tag + "=\"Its chapter title\"");
    }
    auto title = ParseTitle(item.substr(eq + 1), *tag);
    if (!title.ok()) return title.status();
    for (const BookSection& s : out) {
      if (s.tag == *tag) return Bad("section \"" + *tag + "\" is listed twice; keep one");
      if (AsciiLower(s.title) == AsciiLower(*title)) {
        return Bad("sections \"" + s.tag + "\" and \"" + *tag + "\" have the same title \"" +
                   *title + "\"; give each chapter its own title");
      }
    }
    out.push_back({*tag, *title});
  }
  if (out.empty()) return Bad("the list has no sections");
  if (out.size() > kMaxSections) {
    return Bad("the list has " + std::to_string(out.size()) + " sections, at most " +
               std::to_string(kMaxSections) + " are allowed; merge some");
  }
  return out;
}

std::string SectionListText(const std::vector<BookSection>& sections) {
  std::string out;
  for (const BookSection& s : sections) {
    bool quote = s.title.find_first_of(" ,=") != std::string::npos;
    out += (out.empty() ? "" : ", ") + s.tag + "=" + (quote ? "\"" + s.title + "\"" : s.title);
  }
  return out;
}

std::vector<BookSection> WorkspaceSections(Store& store, WorkspaceId ws) {
  auto stored = store.GetSetting(ws, kSectionsSetting);
  if (!stored.ok()) {
    LogWarn("sections.unreadable", {{"ws", std::to_string(ws)},
                                    {"error", stored.status().ToString()},
                                    {"using", "default"}});
    return DefaultSections();
  }
  if (!stored->has_value() || TrimView(**stored).empty()) return DefaultSections();
  auto parsed = ParseSectionList(**stored);
  if (!parsed.ok()) {
    LogWarn("sections.unreadable", {{"ws", std::to_string(ws)},
                                    {"error", parsed.status().message()},
                                    {"using", "default"}});
    return DefaultSections();
  }
  return std::move(*parsed);
}

}  // namespace lessonbook
