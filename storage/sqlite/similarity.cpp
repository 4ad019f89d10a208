#include "storage/sqlite/similarity.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "storage/sqlite/text.h"

namespace lessonbook::sqlite {
namespace {

// English function words and words every marketing lesson uses without carrying its idea.
const std::set<std::string_view>& StopWords() {
  static const std::set<std::string_view> kWords = {
      "a", "about", "after", "again", "all", "almost", "also", "am", "an", "and", "any", "are",
      "as", "at", "be", "because", "been", "before", "being", "better", "between", "both", "but",
      "by", "can", "could", "did", "do", "does", "doing", "done", "down", "during", "each", "even",
      "ever", "every", "few", "for", "from", "further", "get", "gets", "getting", "got", "had",
      "has", "have", "having", "he", "her", "here", "him", "his", "how", "however", "i", "if", "in",
      "into", "is", "it", "its", "just", "less", "lot", "lots", "made", "make", "makes", "making",
      "many", "may", "me", "might", "more", "most", "much", "must", "my", "need", "needs", "never",
      "next", "no", "nor", "not", "now", "of", "off", "often", "on", "once", "one", "only", "or",
      "other", "our", "ours", "out", "over", "own", "per", "quite", "rather", "really", "result",
      "results", "same", "she", "should", "so", "some", "still", "such", "target", "than", "that",
      "the", "their", "them", "then", "there", "these", "they", "thing", "things", "this", "those",
      "though", "through", "time", "times", "to", "too", "twice", "under", "until", "up", "us",
      "use", "used", "using", "very", "was", "way", "we", "well", "went", "were", "what", "when",
      "where", "which", "while", "who", "whom", "why", "will", "with", "without", "work", "worked",
      "works", "would", "yet", "you", "your", "lesson", "learned", "learnt", "next", "week",
      "weeks", "month", "months", "x", "vs", "via", "etc", "instead", "new", "old", "good", "bad",
      "great", "big", "small", "two", "three", "first", "last",
      // How it went, not what it was about: "X raised Y" and "X did not raise Y" share the idea
      // (one contradicts the other) but "X raised Y" and "Z raised W" do not.
      "increase", "raise", "lift", "improve", "boost", "reduce", "beat", "outperform", "double",
      "triple", "higher", "lower", "best", "worse", "worst", "drop", "fell", "rose", "grew", "won",
      "win", "lost", "lose", "rate", "conversion", "convert", "performance", "perform", "outsold",
      "success", "successful", "helped", "help", "gave", "give", "brought", "bring", "produced",
      "led"};
  return kWords;
}

std::string Stem(std::string w);

// The stop words' stems, so every inflection of one is a stop word too ("raised", "raises").
const std::set<std::string>& StopStems() {
  static const std::set<std::string> kStems = [] {
    std::set<std::string> out;
    for (std::string_view w : StopWords()) out.insert(Stem(std::string(w)));
    return out;
  }();
  return kStems;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A light English stemmer: plurals, -ed, -ing, -ly. Both texts go through it, so it only has to
// be consistent, not linguistically right.
std::string Stem(std::string w) {
  auto cut = [&w](size_t n) { w.resize(w.size() - n); };
  if (EndsWith(w, "'s")) cut(2);
  if (w.size() > 4 && EndsWith(w, "ies")) {
    cut(3);
    w += 'y';
  } else if (w.size() > 4 && EndsWith(w, "sses")) {
    cut(2);
  } else if (w.size() > 3 && EndsWith(w, "s") && !EndsWith(w, "ss") && !EndsWith(w, "us") &&
             !EndsWith(w, "is")) {
    cut(1);
  }
  if (w.size() > 5 && EndsWith(w, "ing")) {
    cut(3);
  } else if (w.size() > 4 && EndsWith(w, "ed")) {
    cut(2);
  } else if (w.size() > 5 && EndsWith(w, "ly")) {
    cut(2);
  }
  // "testing" -> "test", "shipped" -> "shipp" -> "ship"; "offered" -> "offer".
  if (w.size() > 3 && w[w.size() - 1] == w[w.size() - 2] && w.back() != 's' && w.back() != 'l') {
    cut(1);
  }
  if (w.size() > 4 && EndsWith(w, "e")) cut(1);  // "discounte(d)", "page" vs "pag(ing)"
  return w;
}

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

}  // namespace

std::vector<Term> SignificantTerms(std::string_view text) {
  const std::string clean = CleanText(text);
  std::vector<Term> out;
  std::set<std::string> seen;
  size_t i = 0;
  while (i < clean.size()) {
    while (i < clean.size() && !IsWordByte(static_cast<unsigned char>(clean[i]))) ++i;
    size_t start = i;
    while (i < clean.size() && (IsWordByte(static_cast<unsigned char>(clean[i])) ||
                                (clean[i] == '\'' && i + 1 < clean.size() &&
                                 IsWordByte(static_cast<unsigned char>(clean[i + 1]))))) {
      ++i;
    }
    if (i == start) continue;
    std::string word = clean.substr(start, i - start);
    for (char& c : word) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    const bool has_letter = std::any_of(word.begin(), word.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
    });
    if (!has_letter || word.size() < 2 || StopWords().count(word) ||
        !HasSearchableCharacter(word)) {
      continue;
    }
    std::string stem = Stem(word);
    if (stem.empty() || StopStems().count(stem) || !seen.insert(stem).second) continue;
    // The apostrophe is not a token character for FTS: the query gets the word without it.
    std::string query_word;
    for (char c : word) {
      if (c != '\'') query_word += c;
    }
    out.push_back(Term{std::move(query_word), std::move(stem)});
  }
  return out;
}

std::vector<Term> SignificantTerms(std::string_view title, std::string_view body) {
  std::vector<Term> out = SignificantTerms(title);
  for (Term& t : out) t.weight = kTitleWeight;
  std::set<std::string> seen;
  for (const Term& t : out) seen.insert(t.stem);
  for (Term& t : SignificantTerms(body)) {
    if (seen.insert(t.stem).second) out.push_back(std::move(t));
  }
  return out;
}

double TermSimilarity(const std::vector<Term>& a, const std::vector<Term>& b) {
  std::map<std::string_view, double> weights_a;
  double norm_a = 0;
  for (const Term& t : a) {
    if (weights_a.emplace(t.stem, t.weight).second) norm_a += t.weight * t.weight;
  }
  std::set<std::string_view> seen_b;
  double norm_b = 0;
  double shared = 0;
  for (const Term& t : b) {
    if (!seen_b.insert(t.stem).second) continue;
    norm_b += t.weight * t.weight;
    auto it = weights_a.find(t.stem);
    if (it != weights_a.end()) shared += it->second * t.weight;
  }
  if (norm_a == 0 || norm_b == 0) return 0;
  return std::min(1.0, shared / std::sqrt(norm_a * norm_b));
}

}  // namespace lessonbook::sqlite
