#include <fstream>
#include <map>

#include "bot/cli/cli.h"
#include "bot/interchange.h"
#include "bot/sections.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The workspace a file names by its external id.
Result<Workspace> FindByExternalId(Store& store, const std::string& external_id) {
  for (Platform p : {Platform::kSlack, Platform::kTeams, Platform::kWeb}) {
    auto w = store.FindWorkspace(p, external_id);
    if (w.ok()) return w;
    if (w.status().code() != Status::Code::kNotFound) return w.status();
  }
  return Status::NotFound("workspace \"" + external_id +
                          "\" is not installed here; install Lessonbook there first, or remove "
                          "the workspace field to import into the default workspace");
}

}  // namespace

Result<ImportReport> ImportFile(Store& store, const Config& config, const std::string& path,
                                std::string format) {
  if (format.empty()) {
    if (EndsWith(path, ".csv")) format = "csv";
    else if (EndsWith(path, ".jsonl") || EndsWith(path, ".ndjson") || EndsWith(path, ".json")) format = "jsonl";
    else return Status::InvalidArgument("cannot tell the format of " + path + " from its name; add --format csv or --format jsonl");
  }
  if (format != "csv" && format != "jsonl") {
    return Status::InvalidArgument("--format must be csv or jsonl, got \"" + format + "\"");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  SystemClock clock;
  auto parsed = format == "csv" ? ReadCsv(in, clock.Now()) : ReadJsonl(in, clock.Now());
  if (!parsed.ok()) return Status::InvalidArgument(path + ": " + parsed.status().message());
  auto fallback = DefaultWorkspace(store, config);
  if (!fallback.ok()) return fallback.status();
  std::map<std::string, WorkspaceId> by_external;
  std::vector<Lesson> lessons;
  lessons.reserve(parsed->size());
  for (size_t i = 0; i < parsed->size(); ++i) {
    InterchangeLesson& item = (*parsed)[i];
    WorkspaceId ws = fallback->id;
    if (!item.workspace.empty()) {
      auto it = by_external.find(item.workspace);
      if (it == by_external.end()) {
        auto w = FindByExternalId(store, item.workspace);
        if (!w.ok()) {
          return Status::InvalidArgument(path + ": lesson " + std::to_string(i + 1) + ": " +
                                         w.status().message());
        }
        it = by_external.emplace(item.workspace, w->id).first;
      }
      ws = it->second;
    }
    item.lesson.workspace_id = ws;
    lessons.push_back(std::move(item.lesson));
  }
  auto counts = store.ImportLessons(lessons);
  if (!counts.ok()) return Status::InvalidArgument(path + ": " + counts.status().message());
  return ImportReport{counts->inserted, counts->updated};
}

Status ExportLessons(Store& store, const Config& config, const std::string& format,
                     const std::string& workspace_external_id, std::ostream& out) {
  if (format != "md" && format != "csv" && format != "jsonl") {
    return Status::InvalidArgument("--format must be md, csv or jsonl, got \"" + format + "\"");
  }
  auto fallback = DefaultWorkspace(store, config);
  if (!fallback.ok()) return fallback.status();
  std::optional<WorkspaceId> only;
  std::string timezone = fallback->timezone;
  WorkspaceId chapters_of = fallback->id;  // the Markdown book's chapters: that workspace's sections
  if (!workspace_external_id.empty()) {
    auto w = FindByExternalId(store, workspace_external_id);
    if (!w.ok()) return w.status();
    only = w->id;
    timezone = w->timezone;
    chapters_of = w->id;
  }
  auto all = store.ListWorkspaces();
  if (!all.ok()) return all.status();
  std::map<WorkspaceId, std::string> external;  // "" for the default workspace
  for (const auto& w : *all) external[w.id] = w.id == fallback->id ? "" : w.external_id;

  if (format == "md") {
    std::vector<Lesson> lessons;
    Status s = store.ForEachLesson(only, [&](const Lesson& l) {
      lessons.push_back(l);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    WriteMarkdownBook(out, lessons, WorkspaceSections(store, chapters_of), timezone);
    return out ? Status::Ok() : Status::Unavailable("could not write the export");
  }
  if (format == "csv") out << CsvHeaderLine() << "\n";
  Status s = store.ForEachLesson(only, [&](const Lesson& l) {
    const std::string& ws = external[l.workspace_id];
    out << (format == "csv" ? ToCsvLine(l, ws) : ToJsonLine(l, ws)) << "\n";
    return out ? Status::Ok() : Status::Unavailable("could not write the export");
  });
  return s;
}

}  // namespace lessonbook
