#include "storage/sqlite/fts_rank.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include "storage/sqlite/fts5_api.h"

namespace lessonbook::sqlite {
namespace {

// Per query (FTS5 auxiliary data): the average row length and each phrase's IDF.
struct QueryData {
  FtsTotals totals;
  double avgdl = 0;
  std::vector<double> idf;
  std::vector<double> freq;  // scratch, per row
};

int CountRow(const Fts5ExtensionApi*, Fts5Context*, void* user) {
  ++*static_cast<sqlite3_int64*>(user);
  return SQLITE_OK;
}

// The table's row count and total tokens, as bm25 reads them.
int ReadTotals(const Fts5ExtensionApi* api, Fts5Context* fts, FtsTotals* totals) {
  sqlite3_int64 rows = 0;
  sqlite3_int64 tokens = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
  *totals = FtsTotals{rows, tokens};
  return rc;
}

int GetQueryData(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_value* hits_value,
                 QueryData** out) {
  auto* data = static_cast<QueryData*>(api->xGetAuxdata(fts, 0));
  if (data != nullptr) {
    *out = data;
    return SQLITE_OK;
  }
  auto* fresh = new QueryData;
  const int phrases = api->xPhraseCount(fts);
  int rc = ReadTotals(api, fts, &fresh->totals);
  const sqlite3_int64 rows = fresh->totals.rows;
  if (rc == SQLITE_OK) fresh->avgdl = fresh->totals.AverageLength();
  std::vector<sqlite3_int64> known;  // from "n,n,n"; any other text: none known
  if (const unsigned char* text = sqlite3_value_text(hits_value)) {
    const char* p = reinterpret_cast<const char*>(text);
    while (*p != '\0') {
      char* end = nullptr;
      known.push_back(std::strtoll(p, &end, 10));
      if (end == p || (*end != ',' && *end != '\0')) {
        known.clear();
        break;
      }
      p = *end == ',' ? end + 1 : end;
    }
  }
  if (static_cast<int>(known.size()) != phrases) known.clear();
  for (int i = 0; rc == SQLITE_OK && i < phrases; ++i) {
    sqlite3_int64 hit = 0;
    if (!known.empty() && known[i] >= 0) {
      hit = known[i];
    } else {
      rc = api->xQueryPhrase(fts, i, &hit, CountRow);
    }
    fresh->idf.push_back(Bm25Idf(rows, hit));
  }
  fresh->freq.resize(fresh->idf.size());
  if (rc == SQLITE_OK)
    rc = api->xSetAuxdata(fts, fresh, [](void* p) { delete static_cast<QueryData*>(p); });
  else
    delete fresh;
  if (rc == SQLITE_OK) *out = fresh;
  return rc;
}

// Notes the table's totals in state once per statement (the auxiliary data marks it done).
int NoteTotals(const Fts5ExtensionApi* api, Fts5Context* fts, FtsRankState* state) {
  if (api->xGetAuxdata(fts, 0) != nullptr) return SQLITE_OK;
  FtsTotals totals;
  const int rc = ReadTotals(api, fts, &totals);
  if (rc != SQLITE_OK) return rc;
  state->KeepTotals(totals);
  static int done_marker = 0;
  return api->xSetAuxdata(fts, &done_marker, nullptr);
}

// The row's token count, kept in state for its generation.
int RowTokens(const Fts5ExtensionApi* api, Fts5Context* fts, FtsRankState* state, int* tokens) {
  const sqlite3_int64 rowid = api->xRowid(fts);
  if (state->TokensOf(rowid, tokens)) return SQLITE_OK;
  const int rc = api->xColumnSize(fts, -1, tokens);
  if (rc == SQLITE_OK) state->Keep(rowid, *tokens);
  return rc;
}

constexpr int kFirstWeight = 1;  // values: phrase counts, weights...

// lb_bm25(fts_table, phrase_counts, column weights...): FTS5's bm25 (k1 1.2, b 0.75). Its user
// data is the connection's FtsRankState.
void Bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int n_values,
          sqlite3_value** values) {
  if (n_values < kFirstWeight) {
    sqlite3_result_error(ctx, "lb_bm25: the phrase counts argument is missing", -1);
    return;
  }
  auto* state = static_cast<FtsRankState*>(api->xUserData(fts));
  ++state->scored_rows;
  QueryData* data = nullptr;
  int rc = GetQueryData(api, fts, values[0], &data);
  int instances = 0;
  if (rc == SQLITE_OK && !state->Totals()) state->KeepTotals(data->totals);
  if (rc == SQLITE_OK) {
    std::fill(data->freq.begin(), data->freq.end(), 0.0);
    rc = api->xInstCount(fts, &instances);
  }
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0;
    int column = 0;
    int offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc == SQLITE_OK) {
      const double w = (n_values - kFirstWeight > column)
                           ? sqlite3_value_double(values[kFirstWeight + column])
                           : 1.0;
      data->freq[phrase] += w;
    }
  }
  double length = 0;
  if (rc == SQLITE_OK) {
    int tokens = 0;
    rc = RowTokens(api, fts, state, &tokens);
    length = tokens;
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  double score = 0.0;
  for (size_t i = 0; i < data->idf.size(); ++i) {
    score += Bm25Term(data->idf[i], data->freq[i], length, data->avgdl);
  }
  sqlite3_result_double(ctx, -1.0 * score);
}


// lb_phrase_weight(lessons_fts, weights...): the sum over the row's phrase instances of their
// column's weight (1.0 past the weights given), as lb_bm25 sums them per phrase.
void PhraseWeight(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx,
                  int n_values, sqlite3_value** values) {
  auto* state = static_cast<FtsRankState*>(api->xUserData(fts));
  int rc = NoteTotals(api, fts, state);
  int instances = 0;
  if (rc == SQLITE_OK) rc = api->xInstCount(fts, &instances);
  double weight = 0.0;
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0;
    int column = 0;
    int offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc == SQLITE_OK) weight += n_values > column ? sqlite3_value_double(values[column]) : 1.0;
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  sqlite3_result_double(ctx, weight);
}

// lb_row_tokens(lessons_fts): the row's token count over all columns (bm25's length; in a MATCH
// query only: FTS5 knows the row of no other).
void RowTokensFunction(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int,
                       sqlite3_value**) {
  auto* state = static_cast<FtsRankState*>(api->xUserData(fts));
  int tokens = 0;
  int rc = NoteTotals(api, fts, state);
  if (rc == SQLITE_OK) rc = RowTokens(api, fts, state, &tokens);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  sqlite3_result_int(ctx, tokens);
}

}  // namespace

void FtsRankState::UseGeneration(std::int64_t generation) {
  if (generation == generation_) return;
  generation_ = generation;
  totals_.reset();
  tokens_.Clear();
}

bool FtsRankState::TokensOf(std::int64_t rowid, int* tokens) const {
  return generation_ >= 0 && tokens_.Get(rowid, tokens);
}

void FtsRankState::Keep(std::int64_t rowid, int tokens) {
  if (generation_ >= 0) tokens_.Keep(rowid, tokens);
}

bool RowTokenCounts::Get(std::int64_t rowid, int* tokens) const {
  if (rowid < 0 || rowid >= static_cast<std::int64_t>(plus_one_.size())) return false;
  const std::uint16_t kept = plus_one_[static_cast<size_t>(rowid)];
  if (kept == 0) return false;
  *tokens = kept - 1;
  return true;
}

bool RowTokenCounts::Keep(std::int64_t rowid, int tokens) {
  if (rowid < 0 || rowid >= kMaxRowid || tokens < 0 ||
      tokens >= std::numeric_limits<std::uint16_t>::max()) {
    return false;
  }
  const auto at = static_cast<size_t>(rowid);
  if (at >= plus_one_.size()) {
    size_t size = std::max<size_t>(plus_one_.size(), 1024);
    while (size <= at) size *= 2;
    plus_one_.resize(size, 0);
  }
  plus_one_[at] = static_cast<std::uint16_t>(tokens + 1);
  return true;
}

bool RegisterFtsRank(sqlite3* db, FtsRankState* state) {
  fts5_api* api = Fts5Api(db);
  return api != nullptr &&
         api->xCreateFunction(api, kFtsRankFunction, state, Bm25, nullptr) == SQLITE_OK &&
         api->xCreateFunction(api, kPhraseWeightFunction, state, PhraseWeight, nullptr) ==
             SQLITE_OK &&
         api->xCreateFunction(api, kRowTokensFunction, state, RowTokensFunction, nullptr) ==
             SQLITE_OK;
}

std::string PhraseHitsArgument(const std::vector<std::int64_t>& hits) {
  std::string out;
  for (std::int64_t h : hits) {
    if (!out.empty()) out += ',';
    out += std::to_string(h);
  }
  return out;
}

}  // namespace lessonbook::sqlite
