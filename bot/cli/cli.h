// The `lessonbook` command line: serve, migrate, export, import, check-config. Each subcommand
// returns the process exit code: 0 done, 1 failed at run time, 2 bad usage or configuration.
#pragma once

#include <iosfwd>
#include <string>

#include "bot/config.h"
#include "bot/domain.h"
#include "bot/status.h"

namespace lessonbook {

class Store;

int RunCli(int argc, char** argv);

// The local web chat's workspace, created on first use with the configured timezone.
Result<Workspace> EnsureLocalWorkspace(Store& store, const Config& config);
// Where lessons without a `workspace` field go: the single Slack/Teams workspace when exactly
// one is installed, else the local web one.
Result<Workspace> DefaultWorkspace(Store& store, const Config& config);

struct ImportReport {
  int inserted = 0;
  int updated = 0;
};
// Reads a JSONL or CSV file (format "jsonl", "csv", or "" to go by the file name) into the store
// in one transaction: all lessons or none.
Result<ImportReport> ImportFile(Store& store, const Config& config, const std::string& path,
                                std::string format);
// Writes every lesson (of one workspace when workspace_external_id is not empty) as md, csv or
// jsonl.
Status ExportLessons(Store& store, const Config& config, const std::string& format,
                     const std::string& workspace_external_id, std::ostream& out);

int Serve(const Config& config);

}  // namespace lessonbook
