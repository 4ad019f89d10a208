// SqliteStore::SimilarLessons: lessons like a given one, for living lessons.
//
// Candidates come from the FTS index: bm25 over the lesson's significant words (each an FTS
// string, so lesson text is never FTS syntax), OR-joined, restricted to title and body, with the
// workspace scope inside the MATCH. bm25 alone cannot be compared across lessons (it grows with
// the number of words), so each candidate is then scored by TermSimilarity (0 … 1), which one
// threshold serves for short and long lessons.
//
// Frequent words are left out of the candidate query: an OR of words that half the Book holds
// matches nearly every lesson, and bm25 scores every match (107 ms per new lesson at 100,000
// lessons). Each word's lessons are counted up to a bound (kFrequentShare of the store's
// lessons, at least kFrequentFloor), and only the kMaxQueryTerms rarest words under it are
// asked for. They carry nearly all of bm25's weight anyway (a frequent word's idf is near 0), so
// the best candidates stay the same; the candidates' similarity still counts every word.
//
// As in a search: the workspace scope leaves the MATCH when no other workspace ever had a lesson
// (it matched every lesson: at 1,000,000 lessons FTS5 walked that whole doclist twice per new
// lesson, for the AND and for bm25's count of the phrase), and the score is lb_bm25 fed with the
// words' counts just taken (exact under the bound), not bm25 counting each word again.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/fts_query.h"
#include "storage/sqlite/fts_rank.h"
#include "storage/sqlite/lessons_state.h"
#include "storage/sqlite/similarity.h"
#include "storage/sqlite/sqlite_store.h"

namespace lessonbook::sqlite {
namespace {

// Default: the query uses at most this many words, the rarest first.
constexpr size_t kMaxQueryTerms = 16;
// Default: a word held by more than this share of the lessons is frequent...
constexpr double kFrequentShare = 0.02;
// ...and by more than this many (so a small Book never leaves out a word).
constexpr std::int64_t kFrequentFloor = 100;
// Default: bm25's best this many candidates are scored.
constexpr int kCandidates = 60;
constexpr int kMaxLimit = 20;

struct CandidateQuery {
  std::vector<std::string> words;
  std::vector<std::int64_t> counts;  // lessons holding each word; -1: more than the bound
  bool all_required = false;         // AND-joined (every word frequent), else OR-joined
};

std::string SimilarMatch(WorkspaceId ws, const CandidateQuery& query, WorkspaceScope scope) {
  std::string match = scope == WorkspaceScope::kInMatch
                          ? "ws:" + QuoteFtsString("w" + std::to_string(ws)) + " AND "
                          : "";
  match += "{title body} : (";
  for (size_t i = 0; i < query.words.size(); ++i) {
    if (i > 0) match += query.all_required ? " AND " : " OR ";
    match += QuoteFtsString(query.words[i]);
  }
  match += ")";
  return match;
}

// The words to ask the index for: the rarest kMaxQueryTerms of those under the frequency bound
// (title words first among equals); when every word is frequent, the first three (the title's
// first), all required, so the candidates still share the idea's words. `stored`: the lesson is
// in the index itself, so each of its words counts it once.
CandidateQuery CandidateWords(Connection& conn, const std::vector<Term>& terms, bool stored) {
  std::int64_t lessons = 0;  // an upper bound (ids of deleted lessons count): cheap to read
  {
    CachedStatement q(conn, "SELECT coalesce(max(id), 0) FROM lessons");
    if (q->executeStep()) lessons = q->getColumn(0).getInt64();
  }
  const auto bound = std::max<std::int64_t>(
      kFrequentFloor, static_cast<std::int64_t>(static_cast<double>(lessons) * kFrequentShare));
  struct Counted {
    std::int64_t count;
    size_t order;
  };
  std::vector<Counted> rare;
  std::vector<size_t> frequent;
  CachedStatement q(conn,
                    "SELECT count(*) FROM (SELECT rowid FROM lessons_fts WHERE lessons_fts "
                    "MATCH ? LIMIT ?)");
  for (size_t i = 0; i < terms.size(); ++i) {
    q->reset();
    q->bind(1, "{title body} : " + QuoteFtsString(terms[i].word));
    q->bind(2, bound + 1);
    const std::int64_t count = q->executeStep() ? q->getColumn(0).getInt64() : 0;
    // A word only the lesson itself holds finds no candidate: it would take a place for nothing.
    if (count > bound) {
      frequent.push_back(i);
    } else if (count > (stored ? 1 : 0)) {
      rare.push_back({count, i});
    }
  }
  CandidateQuery out;
  if (rare.empty()) {
    out.all_required = true;
    for (size_t i = 0; i < frequent.size() && i < 3; ++i) {
      out.words.push_back(terms[frequent[i]].word);
      out.counts.push_back(-1);
    }
    return out;
  }
  std::stable_sort(rare.begin(), rare.end(),
                   [](const Counted& a, const Counted& b) { return a.count < b.count; });
  if (rare.size() > kMaxQueryTerms) rare.resize(kMaxQueryTerms);
  for (const Counted& c : rare) {
    out.words.push_back(terms[c.order].word);
    out.counts.push_back(c.count);
  }
  return out;
}

}  // namespace

Result<std::vector<SimilarLesson>> SqliteStore::SimilarLessons(const Lesson& lesson, int limit,
                                                               double min_similarity) {
  return Guarded("finding similar lessons", [&]() -> Result<std::vector<SimilarLesson>> {
    std::vector<SimilarLesson> out;
    limit = std::clamp(limit, 0, kMaxLimit);
    const std::vector<Term> terms = SignificantTerms(lesson.title, lesson.body);
    if (terms.empty() || limit == 0) return out;
    ConnectionLease reader = pool_->Reader();
    ReadSnapshot snapshot(reader.conn());
    const LessonsState state = ReadLessonsState(reader.conn(), lesson.workspace_id);
    reader.conn().Rank().UseGeneration(state.generation);
    const CandidateQuery query = CandidateWords(reader.conn(), terms, lesson.id != 0);
    if (query.words.empty()) return out;  // no other lesson holds any of its words
    // bm25's phrases in the MATCH's order: the scope's (counted by lb_bm25), then the words'.
    std::vector<std::int64_t> hits;
    if (state.Scope() == WorkspaceScope::kInMatch) hits.push_back(-1);
    hits.insert(hits.end(), query.counts.begin(), query.counts.end());
    std::vector<LessonId> candidates;
    {
      CachedStatement q(reader.conn(), "SELECT rowid, " + std::string(kFtsRankFunction) +
                                           "(lessons_fts, ?, " + kFtsRankWeights +
                                           ") AS score FROM lessons_fts WHERE lessons_fts MATCH "
                                           "? AND rowid <> ? ORDER BY score, rowid LIMIT ?");
      q->bind(1, PhraseHitsArgument(hits));
      q->bind(2, SimilarMatch(lesson.workspace_id, query, state.Scope()));
      q->bind(3, static_cast<std::int64_t>(lesson.id));
      q->bind(4, kCandidates);
      while (q->executeStep()) candidates.push_back(q->getColumn(0).getInt64());
    }
    for (LessonId id : candidates) {
      std::optional<Lesson> other = LoadLesson(reader.conn(), lesson.workspace_id, id);
      if (!other) continue;
      const double similarity = TermSimilarity(terms, SignificantTerms(other->title, other->body));
      if (similarity < min_similarity) continue;
      out.push_back(SimilarLesson{std::move(*other), similarity});
    }
    std::stable_sort(out.begin(), out.end(), [](const SimilarLesson& a, const SimilarLesson& b) {
      if (a.similarity != b.similarity) return a.similarity > b.similarity;
      return a.lesson.id > b.lesson.id;  // the newer one first on a tie
    });
    if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
    return out;
  });
}

}  // namespace lessonbook::sqlite
