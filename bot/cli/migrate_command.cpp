// `lessonbook migrate --from LOCATION --to LOCATION`: moves a whole database from one store to
// another (SQLite to PostgreSQL, or back) with storage/copy_store.h and prints what was copied.
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "bot/cli/cli.h"
#include "bot/log.h"
#include "storage/copy_store.h"
#include "storage/store.h"
#include "storage/store_location.h"

namespace lessonbook {
namespace {

constexpr const char* kUsage =
    "usage: lessonbook migrate --from sqlite://lessonbook.db --to "
    "postgres://USER:PASSWORD@HOST:5432/DATABASE (or back: --from postgres://… --to "
    "sqlite://FILE); without --from and --to, migrate applies the schema migrations to "
    "LESSONBOOK_DB";

bool SameLocation(const StoreLocation& a, const StoreLocation& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == StoreLocation::Kind::kPostgres) return a.target == b.target;
  std::error_code ec;
  const auto pa = std::filesystem::weakly_canonical(a.target, ec);
  const auto pb = std::filesystem::weakly_canonical(b.target, ec);
  return pa == pb;
}

// Removes a SQLite file (and its WAL files) that this command created and left empty.
void RemoveCreatedFile(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
}

void PrintReport(const CopyReport& r, const std::string& from, const std::string& to) {
  std::cout << "copied " << from << " to " << to << " (schema version " << r.schema_version
            << ") in " << std::fixed << std::setprecision(1) << r.copy_seconds << " s\n";
  std::cout << "  " << std::left << std::setw(24) << "table" << std::right << std::setw(10)
            << "source" << std::setw(10) << "target"
            << "\n";
  for (const CopyReport::Table& t : r.tables) {
    std::cout << "  " << std::left << std::setw(24) << t.name << std::right << std::setw(10)
              << t.source_rows << std::setw(10) << t.target_rows << "\n";
  }
  std::cout << "  " << std::left << std::setw(24) << "total" << std::right << std::setw(20)
            << r.total_rows() << "\n";
  std::cout << "not copied: schema_migrations (each store keeps its own), leases (leadership, "
               "taken anew by the next server), the search index (rebuilt by the target)\n";
}

}  // namespace

int MigrateStoreCommand(const std::string& from, const std::string& to) {
  if (from.empty() || to.empty()) {
    std::cerr << "lessonbook migrate: " << (from.empty() ? "--from" : "--to") << " is missing\n"
              << kUsage << "\n";
    return 2;
  }
  Result<StoreLocation> source_at = ParseStoreLocation(from);
  if (!source_at.ok()) {
    std::cerr << "lessonbook migrate: --from: " << source_at.status().message() << "\n";
    return 2;
  }
  Result<StoreLocation> target_at = ParseStoreLocation(to);
  if (!target_at.ok()) {
    std::cerr << "lessonbook migrate: --to: " << target_at.status().message() << "\n";
    return 2;
  }
  const std::string shown_from = RedactDbLocation(from);
  const std::string shown_to = RedactDbLocation(to);
  if (SameLocation(*source_at, *target_at)) {
    std::cerr << "lessonbook migrate: --from and --to name the same database (" << shown_to
              << "): copy into a new, empty one\n";
    return 2;
  }

  Result<std::unique_ptr<Store>> source = OpenStoreAsIs(from);
  if (!source.ok()) {
    std::cerr << "lessonbook migrate: cannot open the source " << shown_from << ": "
              << source.status().message() << "; nothing was copied\n";
    return source.status().code() == Status::Code::kNotFound ? 2 : 1;
  }
  std::error_code ec;
  const bool creates_file = target_at->kind == StoreLocation::Kind::kSqlite &&
                            !std::filesystem::exists(target_at->target, ec);
  Result<std::unique_ptr<Store>> target = OpenStore(to);
  if (!target.ok()) {
    std::cerr << "lessonbook migrate: cannot open the target " << shown_to << ": "
              << target.status().message() << "; nothing was copied\n";
    if (creates_file) RemoveCreatedFile(target_at->target);
    return 1;
  }

  LogInfo("store.migrate.start", {{"from", shown_from}, {"to", shown_to}});
  Result<CopyReport> report = CopyStore(**source, **target);
  if (!report.ok()) {
    LogError("store.migrate.failed",
             {{"from", shown_from}, {"to", shown_to}, {"error", report.status().message()}});
    std::cerr << "lessonbook migrate: " << report.status().message()
              << "\nnothing was copied: the target is as it was, the source untouched\n";
    target->reset();
    if (creates_file) RemoveCreatedFile(target_at->target);
    return 1;
  }
  PrintReport(*report, shown_from, shown_to);
  if (!report->verify_failure.empty()) {
    LogError("store.migrate.unverified",
             {{"from", shown_from}, {"to", shown_to}, {"error", report->verify_failure}});
    std::cerr << "lessonbook migrate: the copy was committed but does not check out: "
              << report->verify_failure
              << "\ndo not switch to the target; empty it (a new database) and copy again\n";
    return 1;
  }
  LogInfo("store.migrate.done",
          {{"from", shown_from}, {"to", shown_to}, {"rows", std::to_string(report->total_rows())}});
  std::cout << "verified: every table's row count matches; the target's search finds "
            << report->search_found << " of " << report->search_sampled
            << " sampled lessons by their title words; integrity " << report->target_integrity
            << " (" << std::fixed << std::setprecision(1) << report->verify_seconds << " s)\n"
            << "next: set LESSONBOOK_DB=" << shown_to << " for every server and start them; keep "
            << shown_from << " as a backup (it was not changed)\n";
  return 0;
}

}  // namespace lessonbook
