// CopyStore: export from one store, import into another in one transaction, then verify.
#include "storage/copy_store.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "storage/store.h"

namespace lessonbook {
namespace {

// Passes everything on to the target's sink and keeps the source's row count of each table.
class CountingSink final : public DataSink {
 public:
  explicit CountingSink(DataSink& target) : target_(target) {}

  std::vector<std::string> TableOrder() const override { return target_.TableOrder(); }
  Status BeginTable(const std::string& table, const std::vector<std::string>& columns) override {
    table_ = table;
    return target_.BeginTable(table, columns);
  }
  Status AddRows(const std::vector<std::vector<DataValue>>& rows) override {
    return target_.AddRows(rows);
  }
  Status EndTable(std::int64_t rows, std::int64_t last_id) override {
    counts_[table_] = rows;
    return target_.EndTable(rows, last_id);
  }

  const std::map<std::string, std::int64_t>& counts() const { return counts_; }

 private:
  DataSink& target_;
  std::string table_;
  std::map<std::string, std::int64_t> counts_;
};

// The words of a lesson's title that both full-text indexes keep (letters and digits, at least
// three bytes), at most four of them.
std::vector<std::string> TitleWords(const std::string& title) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (word.size() >= 3 && words.size() < 4) words.push_back(word);
    word.clear();
  };
  for (unsigned char c : title) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) {
      word += static_cast<char>(c);
    } else {
      flush();
    }
  }
  flush();
  return words;
}

// True when a search for the lesson's own title words (all of them, no fallback to any word),
// narrowed to its author and creation second, finds it.
Result<bool> FindsItself(Store& store, const Lesson& lesson,
                         const std::vector<std::string>& words) {
  LessonQuery q;
  q.workspace_id = lesson.workspace_id;
  q.words = words;
  q.author = lesson.author;
  q.since = lesson.created_at;
  q.until = lesson.created_at + std::chrono::seconds(1);
  q.limit = 50;
  Result<SearchPage> page = store.SearchLessons(q);
  if (!page.ok()) return page.status();
  if (page->any_words) return false;
  for (const SearchHit& hit : page->hits) {
    if (hit.lesson.id == lesson.id) return true;
  }
  return false;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Result<CopyReport> CopyStore(Store& source, Store& target, const CopyOptions& options) {
  Result<int> source_version = source.SchemaVersion();
  if (!source_version.ok()) return source_version.status();
  Result<int> target_version = target.SchemaVersion();
  if (!target_version.ok()) return target_version.status();
  if (*source_version == 0) {
    return Status::InvalidArgument(
        "the source holds no Lessonbook database (no migration was "
        "ever applied to it)");
  }
  if (*source_version > *target_version) {
    return Status::InvalidArgument(
        "the source is at schema version " + std::to_string(*source_version) +
        ", newer than this lessonbook's " + std::to_string(*target_version) +
        ": copy it with the lessonbook version that wrote it");
  }
  if (*source_version != *target_version) {
    return Status::InvalidArgument(
        "the source is at schema version " + std::to_string(*source_version) +
        " and the target at " + std::to_string(*target_version) +
        ": bring the source up to date first (LESSONBOOK_DB=<source> lessonbook migrate, with "
        "this lessonbook), then copy again");
  }
  CopyReport report;
  report.schema_version = *source_version;

  const auto copy_start = std::chrono::steady_clock::now();
  std::map<std::string, std::int64_t> source_counts;
  Result<ImportedData> imported = target.ImportData([&](DataSink& sink) {
    CountingSink counting(sink);
    Status s = source.ExportData(counting);
    source_counts = counting.counts();
    return s;
  });
  if (!imported.ok()) return imported.status();
  report.copy_seconds = SecondsSince(copy_start);

  const auto verify_start = std::chrono::steady_clock::now();
  std::string differences;
  for (const auto& [name, rows] : imported->rows_by_table) {
    auto it = source_counts.find(name);
    const std::int64_t from = it == source_counts.end() ? -1 : it->second;
    report.tables.push_back({name, from, rows});
    if (from != rows) {
      differences += " " + name + " (source " + std::to_string(from) + ", target " +
                     std::to_string(rows) + ")";
    }
  }
  if (source_counts.size() != imported->rows_by_table.size()) {
    differences += " (the source sent " + std::to_string(source_counts.size()) +
                   " tables, the target took " + std::to_string(imported->rows_by_table.size()) +
                   ")";
  }
  if (!differences.empty()) {
    report.verify_failure = "the row counts differ:" + differences;
    return report;
  }

  // Search: sampled lessons, spread over all of them.
  Result<std::int64_t> lessons = source.CountLessons(std::nullopt);
  if (!lessons.ok()) {
    report.verify_failure = "cannot count the source's lessons: " + lessons.status().message();
    return report;
  }
  const std::int64_t samples = std::max(0, options.search_samples);
  const std::int64_t step = samples == 0 ? 0 : std::max<std::int64_t>(1, *lessons / samples);
  std::vector<Lesson> sampled;
  if (step > 0) {
    std::int64_t index = 0;
    Status walked = source.ForEachLesson(std::nullopt, [&](const Lesson& l) {
      if (index++ % step == 0 && static_cast<std::int64_t>(sampled.size()) < samples) {
        sampled.push_back(l);
      }
      return Status::Ok();
    });
    if (!walked.ok()) {
      report.verify_failure = "cannot read the source's lessons: " + walked.message();
      return report;
    }
  }
  std::string missing;
  for (const Lesson& l : sampled) {
    const std::vector<std::string> words = TitleWords(l.title);
    if (words.empty()) continue;
    Result<bool> in_source = FindsItself(source, l, words);
    if (!in_source.ok()) {
      report.verify_failure = "the source's search failed: " + in_source.status().message();
      return report;
    }
    if (!*in_source) continue;  // not comparable: the source's own search misses it
    ++report.search_sampled;
    Result<bool> in_target = FindsItself(target, l, words);
    if (!in_target.ok()) {
      report.verify_failure = "the target's search failed: " + in_target.status().message();
      return report;
    }
    if (*in_target) {
      ++report.search_found;
    } else if (missing.size() < 200) {
      missing += " #" + std::to_string(l.id);
    }
  }
  if (report.search_found != report.search_sampled) {
    report.verify_failure = "the target's search does not find " +
                            std::to_string(report.search_sampled - report.search_found) + " of " +
                            std::to_string(report.search_sampled) +
                            " sampled lessons by their title words:" + missing;
    return report;
  }
  Result<std::string> integrity = target.CheckIntegrity();
  report.target_integrity = integrity.ok() ? *integrity : integrity.status().message();
  if (report.target_integrity != "ok") {
    report.verify_failure = "the target's integrity check says: " + report.target_integrity;
  }
  report.verify_seconds = SecondsSince(verify_start);
  return report;
}

}  // namespace lessonbook
