// SqliteStore::SimilarLessons: lessons like a given one, for living lessons.
//
// Candidates come from the FTS index: bm25 over the lesson's significant words (each an FTS
// string, so lesson text is never FTS syntax), OR-joined, restricted to title and body, with the
// workspace scope inside the MATCH. bm25 alone cannot be compared across lessons (it grows with
// the number of words), so each candidate is then scored by TermSimilarity (0 … 1), which one
// threshold serves for short and long lessons.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/fts_query.h"
#include "storage/sqlite/similarity.h"
#include "storage/sqlite/sqlite_store.h"

namespace lessonbook::sqlite {
namespace {

// Default: the query uses at most this many words (the title's come first).
constexpr size_t kMaxQueryTerms = 40;
// Default: bm25's best this many candidates are scored.
constexpr int kCandidates = 60;
constexpr int kMaxLimit = 20;

std::string SimilarMatch(WorkspaceId ws, const std::vector<Term>& terms) {
  std::string match = "ws:" + QuoteFtsString("w" + std::to_string(ws)) + " AND {title body} : (";
  for (size_t i = 0; i < terms.size() && i < kMaxQueryTerms; ++i) {
    if (i > 0) match += " OR ";
    match += QuoteFtsString(terms[i].word);
  }
  match += ")";
  return match;
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
    SQLite::Transaction snapshot(reader.db());
    std::vector<LessonId> candidates;
    {
      CachedStatement q(reader.conn(),
                        "SELECT rowid FROM lessons_fts WHERE lessons_fts MATCH ? AND rowid <> ? "
                        "ORDER BY rank LIMIT ?");
      q->bind(1, SimilarMatch(lesson.workspace_id, terms));
      q->bind(2, static_cast<std::int64_t>(lesson.id));
      q->bind(3, kCandidates);
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
