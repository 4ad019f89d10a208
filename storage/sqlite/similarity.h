// Lesson similarity for living lessons: the significant terms of a lesson's text and how much two
// lessons share them. Pure functions, no SQLite: the store finds candidates with the FTS index
// (bm25 over these terms) and scores them with TermSimilarity, so one threshold works for short
// and long lessons alike.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lessonbook::sqlite {

// A significant word of a text: as written (lower case, for the FTS query, which stems it
// itself) and its light stem (for comparing texts: "tests", "tested", "testing" -> "test").
struct Term {
  std::string word;
  std::string stem;
  double weight = 1;  // kTitleWeight for a word of the title: the title says what the idea is
};

// Default: a title word counts this much more than a body word.
inline constexpr double kTitleWeight = 1.5;

// The text's words without stop words ("the", "we", "got", "results"…), numbers and one-letter
// words, one per stem, in order of first appearance.
std::vector<Term> SignificantTerms(std::string_view text);
// The same for a lesson: the title's terms first, weighing kTitleWeight, then the body's.
std::vector<Term> SignificantTerms(std::string_view title, std::string_view body);

// How much a and b share: the cosine of their weighted stem sets,
// Σ(shared) w_a·w_b / sqrt(Σ w_a² · Σ w_b²), 0 … 1 (1: the same stems). 0 when either is empty.
double TermSimilarity(const std::vector<Term>& a, const std::vector<Term>& b);

}  // namespace lessonbook::sqlite
