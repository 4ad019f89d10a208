// `lessonbook backup`, `purge` and `rotate-key`, and the start-up check that every stored secret
// opens with the configured LESSONBOOK_DATA_KEY.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "bot/cli/cli.h"
#include "bot/log.h"
#include "bot/secret_box.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

std::string TrimSpace(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && s[b] == ' ') ++b;
  return s.substr(b);
}

std::string Describe(const Workspace& w) {
  return std::string(PlatformName(w.platform)) + " workspace " + w.external_id +
         (w.name.empty() ? "" : " (" + w.name + ")") + ", id " + std::to_string(w.id);
}

}  // namespace

Result<Workspace> FindWorkspaceForOperation(Store& store, const std::string& id) {
  auto all = store.ListWorkspaces();
  if (!all.ok()) return all.status();
  std::string platform;
  std::string external = id;
  if (auto colon = id.find(':'); colon != std::string::npos) {
    const std::string prefix = id.substr(0, colon);
    if (prefix == "slack" || prefix == "teams" || prefix == "web") {
      platform = prefix;
      external = id.substr(colon + 1);
    }
  }
  std::vector<Workspace> matches;
  for (const Workspace& w : *all) {
    if (w.external_id == external && (platform.empty() || PlatformName(w.platform) == platform)) {
      matches.push_back(w);
    }
  }
  if (matches.empty() && platform.empty() && !id.empty() &&
      id.find_first_not_of("0123456789") == std::string::npos && id.size() < 18) {
    for (const Workspace& w : *all) {
      if (std::to_string(w.id) == id) matches.push_back(w);
    }
  }
  if (matches.size() == 1) return matches[0];
  if (matches.empty()) {
    std::string known;
    for (const Workspace& w : *all) {
      known += "\n  " + std::string(PlatformName(w.platform)) + ":" + w.external_id + " (id " +
               std::to_string(w.id) + ")";
    }
    return Status::NotFound("no workspace is called " + id +
                            "; give the Slack team id, the Teams tenant id or the numeric id. "
                            "Workspaces:" +
                            (known.empty() ? std::string(" none") : known));
  }
  return Status::InvalidArgument(id + " names workspaces on several platforms: write slack:" +
                                 external + " or teams:" + external);
}

int BackupCommand(Store& store, const Config& config, const std::string& file) {
  Status s = store.Backup(file);
  if (!s.ok()) {
    std::cerr << "lessonbook backup: " << s.message() << "\n";
    return s.code() == Status::Code::kAlreadyExists ? 2 : 1;
  }
  LogInfo("backup.written", {{"db", config.db}, {"file", file}});
  std::cout << "backed up " << config.db << " to " << file
            << " (integrity ok); to restore, stop the server and set LESSONBOOK_DB to it\n";
  return 0;
}

int PurgeCommand(Store& store, const std::string& id, bool yes) {
  auto ws = FindWorkspaceForOperation(store, id);
  if (!ws.ok()) {
    std::cerr << "lessonbook purge: " << ws.status().message() << "\n";
    return 2;
  }
  auto preview = store.PurgeWorkspace(ws->id, /*dry_run=*/true);
  if (!preview.ok()) {
    std::cerr << "lessonbook purge: " << preview.status().message() << "\n";
    return 1;
  }
  std::ostringstream what;
  what << "This deletes the " << Describe(*ws) << " and all its data for good:";
  for (const auto& [table, rows] : preview->rows_by_table) {
    if (rows > 0) what << "\n  " << table << ": " << rows;
  }
  if (!yes) {
    if (!isatty(STDIN_FILENO)) {
      std::cerr << "lessonbook purge: refusing to purge without confirmation: there is no "
                   "terminal to ask; add --yes to purge "
                << Describe(*ws) << "\n";
      return 2;
    }
    std::cout << what.str() << "\nType the workspace id (" << id << ") to confirm: " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    if (TrimSpace(answer) != id) {
      std::cerr << "lessonbook purge: not confirmed; nothing was deleted\n";
      return 2;
    }
  }
  auto done = store.PurgeWorkspace(ws->id, /*dry_run=*/false);
  if (!done.ok()) {
    std::cerr << "lessonbook purge: " << done.status().message() << "; nothing was deleted\n";
    return 1;
  }
  LogInfo("workspace.purged", {{"ws", std::to_string(ws->id)},
                               {"platform", PlatformName(ws->platform)},
                               {"external_id", ws->external_id},
                               {"rows", std::to_string(done->total())}});
  std::cout << "purged the " << Describe(*ws) << ": " << done->total() << " rows deleted\n";
  return 0;
}

int RotateKeyCommand(Store& store, const Config& config, const std::string& new_key_file) {
  std::string new_key = config.data_key_new;
  if (!new_key_file.empty()) {
    std::ifstream in(new_key_file, std::ios::binary);
    if (!in) {
      std::cerr << "lessonbook rotate-key: cannot read " << new_key_file << "\n";
      return 2;
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    new_key = TrimSpace(bytes.str());
  }
  if (new_key.empty()) {
    std::cerr << "lessonbook rotate-key: no new key: set LESSONBOOK_DATA_KEY_NEW or give "
                 "--new-key-file FILE (make one with: openssl rand -base64 32)\n";
    return 2;
  }
  auto old_box = SecretBox::FromBase64Key(config.data_key);
  if (!old_box.ok()) {
    std::cerr << "lessonbook rotate-key: the current key: " << old_box.status().message() << "\n";
    return 2;
  }
  auto new_box = SecretBox::FromBase64Key(new_key);
  if (!new_box.ok()) {
    std::cerr << "lessonbook rotate-key: the new key must be 32 random bytes in base64, e.g. "
                 "from openssl rand -base64 32\n";
    return 2;
  }
  if (old_box->has_key() && old_box->key_id() == new_box->key_id()) {
    std::cerr << "lessonbook rotate-key: the new key is the current key\n";
    return 2;
  }
  auto rewritten = store.RewriteSecrets([&](const StoredSecret& s) -> Result<std::string> {
    const std::string ad = std::to_string(s.workspace_id);
    Result<std::string> plain = old_box->Open(s.stored, ad);
    // Run twice (the first run finished but LESSONBOOK_DATA_KEY was not changed yet): a value
    // already under the new key is re-sealed under it.
    if (!plain.ok()) plain = new_box->Open(s.stored, ad);
    if (!plain.ok()) {
      return Status::Unauthenticated(
          "the " + s.name + " of workspace " + ad + " does not open with LESSONBOOK_DATA_KEY: " +
          plain.status().message() + "; set LESSONBOOK_DATA_KEY to the key in use now");
    }
    return new_box->Seal(*plain, ad);
  });
  if (!rewritten.ok()) {
    std::cerr << "lessonbook rotate-key: " << rewritten.status().message()
              << "\nnothing was changed\n";
    return 1;
  }
  LogInfo("secrets.rotated", {{"secrets", std::to_string(*rewritten)},
                              {"old_key_id", old_box->key_id()},
                              {"new_key_id", new_box->key_id()}});
  std::cout << "re-encrypted " << *rewritten << (*rewritten == 1 ? " secret" : " secrets")
            << " under key id " << new_box->key_id()
            << "; now set LESSONBOOK_DATA_KEY to the new key and restart the server (the old key "
               "no longer opens them)\n";
  return 0;
}

Status CheckStoredSecrets(Store& store, const Config& config) {
  auto box = SecretBox::FromBase64Key(config.data_key);
  if (!box.ok()) return box.status();
  auto all = store.ListWorkspaces();
  if (!all.ok()) return all.status();
  for (const Workspace& w : *all) {
    if (w.bot_token.empty()) continue;
    auto opened = box->Open(w.bot_token, std::to_string(w.id));
    if (!opened.ok()) {
      return Status::Unauthenticated(
          "the stored bot token of the " + Describe(w) +
          " cannot be read: " + opened.status().message() +
          " (after `lessonbook rotate-key`, LESSONBOOK_DATA_KEY must be the new key)");
    }
  }
  return Status::Ok();
}

}  // namespace lessonbook
