#include "bot/cli/cli.h"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

#include "bot/local_time.h"
#include "bot/log.h"
#include "bot/question_set.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

// Loads and checks the configuration; prints the problems and returns nullopt when unusable.
std::optional<Config> LoadChecked(const std::string& file) {
  auto config = LoadConfig(ProcessEnvironment(), file);
  if (!config.ok()) {
    std::cerr << "lessonbook: " << config.status().message() << "\n";
    return std::nullopt;
  }
  auto problems = CheckConfig(*config);
  if (!problems.empty()) {
    std::cerr << "lessonbook: the configuration has problems:\n";
    for (const auto& p : problems) std::cerr << "  - " << p << "\n";
    return std::nullopt;
  }
  LogLevel level;
  if (ParseLogLevel(config->log_level, &level)) SetLogLevel(level);
  return *config;
}

std::unique_ptr<Store> Open(const Config& config) {
  auto store = OpenStore(config.db);
  if (!store.ok()) {
    std::cerr << "lessonbook: cannot open the database " << RedactDbLocation(config.db) << ": "
              << store.status().message() << "\n";
    return nullptr;
  }
  return std::move(*store);
}

int CheckConfigCommand(const std::string& file) {
  auto config = LoadConfig(ProcessEnvironment(), file);
  if (!config.ok()) {
    std::cout << "not ok: " << config.status().message() << "\n";
    return 2;
  }
  for (const auto& [name, value] : config->Describe()) {
    std::cout << name << "=" << value << "\n";
  }
  auto problems = CheckConfig(*config);
  if (auto sets = LoadQuestionSets(config->prompts_dir); !sets.ok()) {
    problems.push_back("LESSONBOOK_PROMPTS_DIR: " + sets.status().message());
  }
  std::cout << "\nmode: "
            << (config->HasSlackCredentials() ? "Slack " : "")
            << (config->HasTeamsCredentials() ? "Teams " : "")
            << (config->WebOpenWithoutToken()
                    ? "local web chat, open on loopback without a token"
                    : (config->web_token.empty() ? "web chat disabled (no LESSONBOOK_WEB_TOKEN)"
                                                 : "web chat with LESSONBOOK_WEB_TOKEN"))
            << "\n";
  if (problems.empty()) {
    std::cout << "ok: the configuration is usable\n";
    return 0;
  }
  std::cout << "not ok:\n";
  for (const auto& p : problems) std::cout << "  - " << p << "\n";
  return 2;
}

int ListOutboxCommand(Store& store, const std::string& status, int limit) {
  std::optional<OutboxStatus> wanted;
  if (status == "pending") wanted = OutboxStatus::kPending;
  if (status == "sent") wanted = OutboxStatus::kSent;
  if (status == "failed") wanted = OutboxStatus::kFailed;
  auto rows = store.ListOutbox(wanted, limit);
  if (!rows.ok()) {
    std::cerr << "lessonbook outbox: " << rows.status().message() << "\n";
    return 1;
  }
  std::cout << "id\tstatus\tplatform\ttarget\tattempts\tcreated\tnext_attempt\tlast_error\n";
  for (const auto& r : *rows) {
    std::string target = r.target.size() > 60 ? r.target.substr(0, 57) + "..." : r.target;
    std::cout << r.id << "\t" << OutboxStatusName(r.status) << "\t" << PlatformName(r.platform)
              << "\t" << target << "\t" << r.attempts << "\t" << FormatRfc3339(r.created_at)
              << "\t" << (r.status == OutboxStatus::kPending ? FormatRfc3339(r.next_attempt_at) : "-")
              << "\t" << (r.last_error.empty() ? "-" : r.last_error) << "\n";
  }
  std::cout << rows->size() << (rows->size() == 1 ? " message" : " messages") << "\n";
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{"Lessonbook: your team's Book of Learning, in Slack, Teams and the browser"};
  app.require_subcommand(1);
  std::string config_file;
  app.add_option("--config", config_file,
                 "A KEY=VALUE file of settings (the environment wins over it)")
      ->check(CLI::ExistingFile);

  auto* serve = app.add_subcommand("serve", "Run the webhook server, web chat and scheduler");
  auto* migrate = app.add_subcommand(
      "migrate", "Apply database migrations and exit; with --from and --to, copy a whole "
                 "database into another, empty one (SQLite to PostgreSQL or back)");
  std::string migrate_from, migrate_to;
  migrate->add_option("--from", migrate_from,
                      "The database to copy (read only): a file path, sqlite://PATH or "
                      "postgres://USER:PASSWORD@HOST:PORT/DATABASE");
  migrate->add_option("--to", migrate_to,
                      "The empty database to fill: sqlite://PATH, a file path or postgres://…");
  auto* check = app.add_subcommand("check-config", "Print the settings (secrets redacted) and "
                                                   "report missing or malformed ones");
  auto* exp = app.add_subcommand("export", "Write every lesson as Markdown, CSV or JSONL");
  std::string export_format = "jsonl", export_output, export_workspace;
  exp->add_option("--format", export_format, "md, csv or jsonl")
      ->check(CLI::IsMember({"md", "csv", "jsonl"}))
      ->capture_default_str();
  exp->add_option("-o,--output", export_output, "File to write (default: standard output)");
  exp->add_option("--workspace", export_workspace,
                  "Only this workspace (Slack team id or Teams tenant id)");
  auto* imp = app.add_subcommand("import", "Read lessons from a CSV or JSONL file; lessons with "
                                           "an id update that lesson, so importing twice "
                                           "changes nothing");
  std::string import_file, import_format;
  imp->add_option("FILE", import_file, "The .csv or .jsonl file")->required();
  imp->add_option("--format", import_format, "csv or jsonl (default: from the file name)")
      ->check(CLI::IsMember({"csv", "jsonl"}));

  auto* outbox = app.add_subcommand("outbox", "Inspect the outbox of messages the bot sends");
  outbox->require_subcommand(1);
  auto* outbox_list = outbox->add_subcommand("list", "List queued, sent or failed messages, "
                                                     "newest last");
  std::string outbox_status;
  int outbox_limit = 50;
  outbox_list->add_option("--status", outbox_status, "pending, sent or failed (default: all)")
      ->check(CLI::IsMember({"pending", "sent", "failed"}));
  outbox_list->add_option("--limit", outbox_limit, "At most this many rows")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();

  auto* backup = app.add_subcommand(
      "backup", "Copy the database to a new file (safe while serve runs); restore by pointing "
                "LESSONBOOK_DB at the copy");
  std::string backup_file;
  backup->add_option("FILE", backup_file, "The new file (never overwritten)")->required();
  auto* purge = app.add_subcommand(
      "purge", "Delete everything of one workspace (lessons, campaigns, post-mortems, digests, "
               "queued messages, settings, people, tokens) for good");
  std::string purge_workspace;
  bool purge_yes = false;
  purge->add_option("--workspace", purge_workspace,
                    "Slack team id, Teams tenant id (slack:ID / teams:ID when both exist) or "
                    "numeric id")
      ->required();
  purge->add_flag("--yes", purge_yes, "Do not ask for confirmation");
  auto* rotate = app.add_subcommand(
      "rotate-key", "Re-encrypt the stored secrets from LESSONBOOK_DATA_KEY to a new key "
                    "(LESSONBOOK_DATA_KEY_NEW or --new-key-file)");
  std::string rotate_file;
  rotate->add_option("--new-key-file", rotate_file,
                     "A file holding the new key (base64 of 32 bytes)")
      ->check(CLI::ExistingFile);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  if (check->parsed()) return CheckConfigCommand(config_file);
  if (migrate->parsed() && (migrate->count("--from") > 0 || migrate->count("--to") > 0)) {
    return MigrateStoreCommand(migrate_from, migrate_to);
  }
  auto config = LoadChecked(config_file);
  if (!config) return 2;

  if (serve->parsed()) return Serve(*config);

  auto store = Open(*config);
  if (!store) return 1;
  if (migrate->parsed()) {
    auto v = store->SchemaVersion();
    std::cout << "database " << RedactDbLocation(config->db) << " is at schema version " << (v.ok() ? *v : 0)
              << "\n";
    return 0;
  }
  if (backup->parsed()) return BackupCommand(*store, *config, backup_file);
  if (purge->parsed()) return PurgeCommand(*store, purge_workspace, purge_yes);
  if (rotate->parsed()) return RotateKeyCommand(*store, *config, rotate_file);
  if (outbox_list->parsed()) return ListOutboxCommand(*store, outbox_status, outbox_limit);
  if (imp->parsed()) {
    auto r = ImportFile(*store, *config, import_file, import_format);
    if (!r.ok()) {
      std::cerr << "lessonbook import: " << r.status().message() << "\nnothing was imported\n";
      return 1;
    }
    std::cout << "imported " << r->inserted + r->updated << " lessons (" << r->inserted
              << " new, " << r->updated << " updated)\n";
    return 0;
  }
  if (exp->parsed()) {
    std::ofstream file;
    std::ostream* out = &std::cout;
    if (!export_output.empty()) {
      file.open(export_output, std::ios::binary | std::ios::trunc);
      if (!file) {
        std::cerr << "lessonbook export: cannot write " << export_output << "\n";
        return 1;
      }
      out = &file;
    }
    Status s = ExportLessons(*store, *config, export_format, export_workspace, *out);
    out->flush();
    if (!s.ok() || !*out) {
      std::cerr << "lessonbook export: " << (s.ok() ? "write failed" : s.message()) << "\n";
      return 1;
    }
    return 0;
  }
  return 2;
}

}  // namespace lessonbook
