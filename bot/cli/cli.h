// The `lessonbook` command line: serve, migrate, export, import, check-config, backup, purge,
// rotate-key. Each subcommand
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

// Operations (bot/cli/operations.cpp).
// The workspace an operator names: "T0123" (Slack team id or Teams tenant id), "slack:T0123"
// when the same id exists on two platforms, or the numeric id from `lessonbook` output.
Result<Workspace> FindWorkspaceForOperation(Store& store, const std::string& id);
// `backup FILE`: an online copy of the database, safe while `serve` runs.
int BackupCommand(Store& store, const Config& config, const std::string& file);
// `purge --workspace ID [--yes]`: deletes everything of one workspace after confirmation (a
// terminal prompt, or --yes; without either it refuses).
int PurgeCommand(Store& store, const std::string& id, bool yes);
// `rotate-key [--new-key-file FILE]`: re-encrypts every stored secret from LESSONBOOK_DATA_KEY
// to the new key (LESSONBOOK_DATA_KEY_NEW or the file) in one transaction.
int RotateKeyCommand(Store& store, const Config& config, const std::string& new_key_file);
// `migrate --from LOCATION --to LOCATION` (bot/cli/migrate_command.cpp): copies the whole
// database at `from` (read only) into the empty database at `to`, verifies it and prints the
// rows per table. Locations: a file path, sqlite://PATH or postgres://…; passwords never printed.
int MigrateStoreCommand(const std::string& from, const std::string& to);
// OK when every stored secret opens with LESSONBOOK_DATA_KEY; else Unauthenticated naming the
// workspace and the reason (`serve` refuses to start on it).
Status CheckStoredSecrets(Store& store, const Config& config);

}  // namespace lessonbook
