#include "storage/sqlite/snippet_maker.h"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <functional>

#include "storage/sqlite/fts5_api.h"

namespace lessonbook::sqlite {

namespace {

// A token of a text: its bytes in the text, and the token itself (folded, stemmed) in `folded`.
struct Token {
  int start = 0;
  int end = 0;
  size_t at = 0;
  size_t size = 0;
};

struct Tokens {
  std::string folded;
  std::vector<Token> list;

  std::string_view Folded(size_t i) const { return {folded.data() + list[i].at, list[i].size}; }
  // Empty, keeping the memory for the next text.
  void Clear() {
    folded.clear();
    list.clear();
  }
};

int Collect(void* context, int flags, const char* token, int size, int start, int end) {
  // A colocated token (a synonym) shares its position with the one before; the porter and
  // unicode61 tokenizers make none, and snippet() skips them too.
  if ((flags & FTS5_TOKEN_COLOCATED) != 0) return SQLITE_OK;
  auto* tokens = static_cast<Tokens*>(context);
  tokens->list.push_back(
      {start, end, tokens->folded.size(), static_cast<size_t>(std::max(size, 0))});
  tokens->folded.append(token, static_cast<size_t>(std::max(size, 0)));
  return SQLITE_OK;
}

// A word's occurrence: the word's place in the query, its first token's position, its tokens.
struct Instance {
  size_t word = 0;
  int position = 0;
  int size = 0;
};

// The instances of text's tokens, by position, then by the words' order (as FTS5's xInst).
std::vector<Instance> InstancesOf(const Tokens& text, const std::vector<Tokens>& words) {
  std::vector<Instance> out;
  const size_t n = text.list.size();
  for (size_t at = 0; at < n; ++at) {
    for (size_t w = 0; w < words.size(); ++w) {
      const size_t size = words[w].list.size();
      if (size == 0 || at + size > n) continue;
      bool same = true;
      for (size_t k = 0; k < size && same; ++k) same = text.Folded(at + k) == words[w].Folded(k);
      if (same) out.push_back({w, static_cast<int>(at), static_cast<int>(size)});
    }
  }
  return out;
}

// The positions that start a sentence: the first token, and each token with whitespace and
// then '.' or ':' before it.
std::vector<int> SentenceStarts(std::string_view text, const Tokens& tokens) {
  std::vector<int> out;
  for (size_t i = 0; i < tokens.list.size(); ++i) {
    if (i == 0) {
      out.push_back(0);
      continue;
    }
    int b = tokens.list[i].start - 1;
    while (b >= 0 && (text[b] == ' ' || text[b] == '\t' || text[b] == '\n' || text[b] == '\r')) {
      --b;
    }
    if (b >= 0 && b != tokens.list[i].start - 1 && (text[b] == '.' || text[b] == ':')) {
      out.push_back(static_cast<int>(i));
    }
  }
  return out;
}

// The score of the window [start, start + span); with `centred`, also where the window centred
// on the instances inside it starts, kept inside the column's `length` tokens.
int WindowScore(const std::vector<Instance>& instances, size_t words, int length, int start,
                int span, int* centred) {
  // Which words were seen: bits of a word for queries of up to 64 words, else a vector.
  std::uint64_t seen_bits = 0;
  std::vector<bool> seen_more(words > 64 ? words : 0, false);
  const auto seen = [&](size_t word) {
    if (words <= 64) {
      const bool was = (seen_bits >> word & 1U) != 0;
      seen_bits |= std::uint64_t{1} << word;
      return was;
    }
    const bool was = seen_more[word];
    seen_more[word] = true;
    return was;
  };
  int score = 0;
  std::int64_t first = -1;
  std::int64_t last = 0;
  const std::int64_t end = static_cast<std::int64_t>(start) + span;
  for (const Instance& inst : instances) {
    if (inst.position < start || inst.position >= end) continue;
    score += seen(inst.word) ? 1 : 1000;
    if (first < 0) first = inst.position;
    last = inst.position + inst.size;
  }
  if (centred != nullptr) {
    std::int64_t adjusted = first - (span - (last - first)) / 2;
    if (adjusted + span > length) adjusted = length - span;
    if (adjusted < 0) adjusted = 0;
    *centred = static_cast<int>(adjusted);
  }
  return score;
}

// The runs of overlapping instances, one after another (FTS5's coalesced instances).
class Runs {
 public:
  explicit Runs(const std::vector<Instance>& instances) : instances_(instances) { Next(); }

  void Next() {
    start = -1;
    end = -1;
    for (; next_ < instances_.size(); ++next_) {
      const Instance& inst = instances_[next_];
      const int last = inst.position - 1 + inst.size;
      if (start < 0) {
        start = inst.position;
        end = last;
      } else if (inst.position <= end) {
        end = std::max(end, last);
      } else {
        break;
      }
    }
  }

  int start = -1;  // the run's first token, -1 after the last run
  int end = -1;    // its last token

 private:
  const std::vector<Instance>& instances_;
  size_t next_ = 0;
};

// Tokenizes text with lessons_fts's tokenizer (FTS5_TOKENIZE_DOCUMENT or _QUERY) into *out.
using TokenizeText = std::function<void(std::string_view text, int flags, Tokens* out)>;

// snippet() of text for the query's phrases (each word's tokens), tokenized by `tokenize`.
// `column` is where the text's tokens go (cleared first).
std::string SnippetOf(const TokenizeText& tokenize, std::string_view text,
                      const std::vector<Tokens>& phrases, std::string_view open,
                      std::string_view close, std::string_view ellipsis, int tokens,
                      Tokens& column) {
  column.Clear();
  tokenize(text, FTS5_TOKENIZE_DOCUMENT, &column);
  const std::vector<Instance> instances = InstancesOf(column, phrases);
  const int length = static_cast<int>(column.list.size());
  // Sentence starts only count when the column is longer than a snippet.
  const std::vector<int> sentences =
      length > tokens ? SentenceStarts(text, column) : std::vector<int>{};
  int best_score = 0;
  int best_start = 0;
  for (const Instance& inst : instances) {
    int centred = 0;
    const int score =
        WindowScore(instances, phrases.size(), length, inst.position, tokens, &centred);
    if (score > best_score) {
      best_score = score;
      best_start = centred;
    }
    if (sentences.empty()) continue;
    size_t s = 0;  // the last sentence starting at or before the instance
    while (s + 1 < sentences.size() && sentences[s + 1] <= inst.position) ++s;
    if (sentences[s] >= inst.position) continue;
    const int sentence_score =
        WindowScore(instances, phrases.size(), length, sentences[s], tokens, nullptr) +
        (sentences[s] == 0 ? 120 : 100);
    if (sentence_score > best_score) {
      best_score = sentence_score;
      best_start = sentences[s];
    }
  }

  const int range_start = best_start;
  const int range_end = best_start + tokens - 1;
  std::string out;
  if (best_start > 0) out.append(ellipsis);
  Runs run(instances);
  while (run.start >= 0 && run.start < best_start) run.Next();
  size_t copied = 0;  // text before this byte is in out
  const auto copy_to = [&](int end) {
    const auto to = static_cast<size_t>(end);
    if (to > copied) out.append(text.substr(copied, to - copied));
    copied = to;
  };
  for (int i = 0; i < length; ++i) {
    const Token& t = column.list[static_cast<size_t>(i)];
    if (range_end > 0) {
      if (i < range_start || i > range_end) continue;
      if (range_start > 0 && i == range_start) copied = static_cast<size_t>(t.start);
    }
    if (i == run.start) {
      copy_to(t.start);
      out.append(open);
    }
    if (i == run.end) {
      copy_to(t.end);
      out.append(close);
      run.Next();
    }
    if (range_end > 0 && i == range_end) {
      copy_to(t.end);
      if (i >= run.start && i < run.end) out.append(close);
    }
  }
  if (range_end >= length - 1) {
    out.append(text.substr(copied));
  } else {
    out.append(ellipsis);
  }
  return out;
}

}  // namespace

// A text's token list longer than this is not kept for the next page (lessons are a few dozen
// tokens; 4,096 are ~120 KiB with their folded text).
constexpr size_t kKeptTokens = 4096;

// The tokenizer, and the token lists of a text and of the words, kept from one page to the next
// so a page's texts are tokenized without allocating once the lists have grown.
struct SnippetMaker::Tokenizer {
  fts5_tokenizer calls{};
  Fts5Tokenizer* made = nullptr;
  Tokens column;
  std::vector<Tokens> phrases;
  ~Tokenizer() {
    if (made != nullptr) calls.xDelete(made);
  }
};

SnippetMaker::SnippetMaker(sqlite3* db) : tokenizer_(std::make_unique<Tokenizer>()) {
  fts5_api* api = Fts5Api(db);
  void* user_data = nullptr;
  if (api == nullptr ||
      api->xFindTokenizer(api, "porter", &user_data, &tokenizer_->calls) != SQLITE_OK) {
    throw SQLite::Exception("FTS5's porter tokenizer is not available for snippets");
  }
  const char* arguments[] = {"unicode61", "remove_diacritics", "2"};
  if (tokenizer_->calls.xCreate(user_data, arguments, 3, &tokenizer_->made) != SQLITE_OK) {
    tokenizer_->made = nullptr;
    throw SQLite::Exception("making the porter unicode61 tokenizer failed");
  }
}

SnippetMaker::~SnippetMaker() = default;

std::string SnippetMaker::Snippet(std::string_view text, const std::vector<std::string>& words,
                                  std::string_view open, std::string_view close,
                                  std::string_view ellipsis, int tokens) {
  return Snippets({text}, words, open, close, ellipsis, tokens).front();
}

std::vector<std::string> SnippetMaker::Snippets(const std::vector<std::string_view>& texts,
                                                const std::vector<std::string>& words,
                                                std::string_view open, std::string_view close,
                                                std::string_view ellipsis, int tokens) {
  const TokenizeText tokenize = [this](std::string_view text, int flags, Tokens* out) {
    const int rc = tokenizer_->calls.xTokenize(tokenizer_->made, out, flags, text.data(),
                                               static_cast<int>(text.size()), Collect);
    if (rc != SQLITE_OK) throw SQLite::Exception("tokenizing a snippet failed", rc);
  };
  std::vector<Tokens>& phrases = tokenizer_->phrases;  // tokenized once for all the texts
  phrases.resize(words.size());
  for (size_t w = 0; w < words.size(); ++w) {
    phrases[w].Clear();
    tokenize(words[w], FTS5_TOKENIZE_QUERY, &phrases[w]);
  }
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (std::string_view text : texts) {
    out.push_back(SnippetOf(tokenize, text, phrases, open, close, ellipsis, tokens,
                            tokenizer_->column));
  }
  // A long text's lists are let go, so a reader keeps little between pages.
  if (tokenizer_->column.list.capacity() > kKeptTokens) tokenizer_->column = Tokens{};
  return out;
}

}  // namespace lessonbook::sqlite
