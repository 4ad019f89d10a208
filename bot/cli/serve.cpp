// `lessonbook serve`: the store, the engine, the adapters, the HTTP server and the scheduler,
// wired together and run until SIGTERM or SIGINT.
#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <string_view>
#include <thread>

#include "adapters/http/metrics.h"
#include "adapters/http/server.h"
#include "adapters/slack/slack_setup.h"
#include "adapters/teams/teams_adapter.h"
#include "adapters/teams/teams_routes.h"
#include "adapters/web/book_routes.h"
#include "adapters/web/web_adapter.h"
#include "adapters/web/web_routes.h"
#include "bot/book_link.h"
#include "bot/cli/cli.h"
#include "bot/digest.h"
#include "bot/engine.h"
#include "bot/inbox_processor.h"
#include "bot/ip_ranges.h"
#include "bot/log.h"
#include "bot/outbox.h"
#include "bot/postmortem.h"
#include "bot/question_set.h"
#include "bot/scheduler.h"
#include "bot/secret_box.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

// Handled inbox events older than this are pruned (Slack retries within minutes).
constexpr std::chrono::hours kInboxRetention{24 * 7};
// The search index's upkeep (Store::TidySearchIndex): each minute up to 16 short merges of about
// 256 pages (1 MiB) each, so merging a 1,000,000-lesson index (~250 MiB) takes about a quarter of
// an hour and no merge holds the writer for long.
constexpr std::chrono::seconds kTidyEvery{60};
constexpr int kTidyMergesPerRun = 16;
constexpr int kTidyPages = 256;

std::string ProcessName() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid());
}

std::string MetricsFromStore(Store& store, const Clock& clock) {
  std::string out;
  if (auto n = store.CountLessons(std::nullopt); n.ok()) {
    out +=
        RenderGauge("lessonbook_lessons_stored", "Lessons in the store.", static_cast<double>(*n));
  }
  if (auto s = store.GetOutboxStats(clock.Now()); s.ok()) {
    out += RenderGauge("lessonbook_outbox_pending", "Outbox messages waiting to be sent.",
                       static_cast<double>(s->pending));
    out += RenderGauge("lessonbook_outbox_failed", "Outbox messages that failed for good.",
                       static_cast<double>(s->failed));
    out += RenderGauge("lessonbook_outbox_oldest_pending_seconds",
                       "Age of the oldest pending outbox message.",
                       static_cast<double>(s->oldest_pending_age_seconds));
  }
  return out;
}

// Crash tests set LESSONBOOK_FAULT_POINT (e.g. "outbox.delivered") and optionally
// LESSONBOOK_FAULT_AFTER=N: the process kills itself with SIGKILL the Nth time it gets there.
std::function<void(std::string_view)> FaultPointFromEnvironment() {
  const char* point = std::getenv("LESSONBOOK_FAULT_POINT");
  if (point == nullptr || *point == '\0') return nullptr;
  const char* after = std::getenv("LESSONBOOK_FAULT_AFTER");
  int n = after ? std::atoi(after) : 1;
  LogWarn("fault_injection.armed", {{"point", point}, {"after", std::to_string(n)}});
  auto remaining = std::make_shared<std::atomic<int>>(n < 1 ? 1 : n);
  std::string wanted = point;
  return [remaining, wanted](std::string_view at) {
    if (at == wanted && --*remaining == 0) raise(SIGKILL);
  };
}

// glibc gives each thread that allocates its own malloc arena (up to 8 per core), and every
// arena keeps the memory its thread freed: with ~80 HTTP and command threads that is a third of
// the server's resident memory. Two arenas measured the same req/s on the search benchmark with
// 47 MiB instead of 64 MiB peak RSS at 100,000 lessons (bench/README.md). MALLOC_ARENA_MAX in
// the environment (or GLIBC_TUNABLES) still decides when set.
void LimitMallocArenas() {
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr &&
      std::string_view(tunables).find("arena_max") != std::string_view::npos) {
    return;
  }
  mallopt(M_ARENA_MAX, 2);
}

}  // namespace

int Serve(const Config& config) {
  LimitMallocArenas();  // before any thread starts
  // Signals are taken by a thread of our own (sigwait), so every thread started below inherits
  // the blocked mask and no handler runs inside the server's code.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto opened = OpenStore(config.db);
  if (!opened.ok()) {
    std::cerr << "lessonbook: cannot open the database " << RedactDbLocation(config.db) << ": "
              << opened.status().message() << "\n";
    return 1;
  }
  std::unique_ptr<Store> store = std::move(*opened);
  auto local = EnsureLocalWorkspace(*store, config);
  if (!local.ok()) {
    std::cerr << "lessonbook: " << local.status().message() << "\n";
    return 1;
  }

  // Secrets at rest: a missing key outside loopback mode is warned about; a stored secret the
  // configured key cannot open (e.g. the old key after rotate-key) stops the start.
  WarnOnceIfSecretsUnencrypted(config);
  if (Status secrets = CheckStoredSecrets(*store, config); !secrets.ok()) {
    std::cerr << "lessonbook: " << secrets.message() << "\n";
    LogError("secrets.unreadable", {{"reason", secrets.message()}});
    return 2;
  }

  // Question sets are checked at start: a broken file stops the start with its name and line.
  auto sets = LoadQuestionSets(config.prompts_dir);
  if (!sets.ok()) {
    std::cerr << "lessonbook: " << sets.status().message() << "\n";
    return 2;
  }
  auto question_sets = std::make_shared<const QuestionSets>(std::move(*sets));

  // Book links are signed with a key every replica agrees on (bot/book_link.h).
  auto link_key = LoadBookLinkKey(*store, config.data_key);
  if (!link_key.ok()) {
    std::cerr << "lessonbook: Book links: " << link_key.status().message() << "\n";
    return link_key.status().code() == Status::Code::kInvalidArgument ? 2 : 1;
  }

  HttpServerOptions options;
  options.host = config.ListenHost();
  options.port = config.ListenPort();
  options.threads = config.threads;
  options.max_body_bytes = config.max_body_bytes;
  // Abuse limits (README "Abuse limits"); CheckConfig has already refused a malformed list.
  options.max_header_bytes = config.max_header_bytes;
  options.read_timeout = std::chrono::seconds(config.read_timeout_seconds);
  options.write_timeout = std::chrono::seconds(config.read_timeout_seconds);
  options.keep_alive_timeout = std::chrono::seconds(config.keep_alive_seconds);
  options.request_timeout = std::chrono::seconds(config.request_timeout_seconds);
  options.web_rate = {static_cast<double>(config.web_rate_per_minute),
                      static_cast<double>(config.web_burst)};
  options.workspace_rate = {static_cast<double>(config.workspace_rate_per_minute),
                            static_cast<double>(config.workspace_burst)};
  if (auto proxies = IpRanges::Parse(config.trusted_proxies); proxies.ok()) {
    options.trusted_proxies = std::move(*proxies);
  } else {
    std::cerr << "lessonbook: LESSONBOOK_TRUSTED_PROXIES: " << proxies.status().message() << "\n";
    return 2;
  }
  HttpServer server(options);
  // Bound first: links name the port actually bound when there is no public URL.
  Status bound = server.Bind();
  if (!bound.ok()) {
    std::cerr << "lessonbook: " << bound.message() << "\n";
    return 1;
  }
  std::string local_host = options.host == "0.0.0.0" ? "127.0.0.1" : options.host;
  if (local_host.find(':') != std::string::npos) local_host = "[" + local_host + "]";
  const std::string local_url = "http://" + local_host + ":" + std::to_string(server.port());

  SystemClock clock;
  EngineOptions engine_options;
  engine_options.public_url = config.public_url;
  engine_options.question_sets = question_sets;
  engine_options.book_links.key = *link_key;
  engine_options.book_links.ttl = std::chrono::hours(24 * config.book_link_days);
  engine_options.book_links.base_url = config.public_url.empty() ? local_url : config.public_url;
  Engine engine(*store, clock, engine_options);
  WebAdapter web(local->id, config);

  MountWebChat(server, web, engine);
  BookSiteOptions book_options;
  book_options.link_key = *link_key;
  book_options.open_without_token = config.WebOpenWithoutToken();
  book_options.open_workspace_id = local->id;
  book_options.secure_cookie = config.public_url.rfind("https://", 0) == 0;
  BookSite book(*store, clock, book_options);
  MountBook(server, book);
  server.SetReadinessCheck([&store] { return store->Ping(); });
  server.AddMetricsSource([&store, &clock] { return MetricsFromStore(*store, clock); });

  std::string name = ProcessName();
  OutboxWorkerOptions worker_options;
  worker_options.worker_id = name;
  worker_options.lease = std::chrono::seconds(config.outbox_lease_seconds);
  worker_options.pacing[Platform::kSlack] = std::chrono::seconds(1);  // ~1 message/s a channel
  worker_options.pacing[Platform::kTeams] = std::chrono::seconds(1);
  Metrics& metrics = server.metrics();
  worker_options.on_sent = [&metrics](double seconds) {
    metrics.AddCounter("lessonbook_outbox_delivered_total", "Outbox messages delivered.");
    metrics.AddCounter("lessonbook_outbox_delivery_seconds_total",
                       "Seconds from enqueue to delivery, summed over delivered messages.", {},
                       seconds);
  };
  worker_options.fault_point = FaultPointFromEnvironment();
  OutboxWorker worker(*store, clock, worker_options);
  worker.Register(Platform::kWeb, &web);
  // Events acknowledged before they are handled (Slack events, Teams activities) wait here.
  InboxProcessor inbox(*store, engine, clock);
  // ---- Slack (adapters/slack): routes, outbox and inbox registration ----
  std::unique_ptr<SlackAdapter> slack;
  if (config.HasSlackCredentials()) {
    auto made = StartSlack(*store, clock, config);
    if (!made.ok()) {
      std::cerr << "lessonbook: Slack: " << made.status().message() << "\n";
      return made.status().code() == Status::Code::kInvalidArgument ? 2 : 1;
    }
    slack = std::move(*made);
    MountSlack(server, *slack, engine, inbox);
    worker.Register(Platform::kSlack, slack.get());
    engine.SetDirectory(Platform::kSlack, slack.get());
    inbox.Register(Platform::kSlack, slack.get());
  }
  // ---- end Slack ----

  // ---- Microsoft Teams (adapters/teams): route, outbox and inbox registration ----
  std::unique_ptr<TeamsAdapter> teams;
  if (config.HasTeamsCredentials()) {
    auto made = StartTeams(*store, clock, config);
    if (!made.ok()) {
      std::cerr << "lessonbook: Teams: " << made.status().message() << "\n";
      return made.status().code() == Status::Code::kInvalidArgument ? 2 : 1;
    }
    teams = std::move(*made);
    MountTeams(server, *teams, engine, inbox);
    worker.Register(Platform::kTeams, teams.get());
    engine.SetDirectory(Platform::kTeams, teams.get());
    inbox.Register(Platform::kTeams, teams.get());
  }
  // ---- end Microsoft Teams ----

  Scheduler scheduler(*store, clock, name);
  // Every tick: acknowledged events first (their replies join the outbox), then the outbox.
  scheduler.Add("inbox", std::chrono::seconds(0), true, [&inbox](Time) {
    while (inbox.DrainOnce() > 0) {
    }
  });
  scheduler.Add("outbox", std::chrono::seconds(0), false, [&worker](Time) {
    while (worker.DrainOnce() > 0) {
    }
  });
  DigestOptions digest_options;
  digest_options.public_url = config.public_url;
  scheduler.Add("digests", std::chrono::seconds(15), true, [&store, digest_options](Time now) {
    CreateDueDigests(*store, now, digest_options);
  });
  PostmortemOptions postmortem_options;
  postmortem_options.public_url = config.public_url;
  scheduler.Add("postmortems", std::chrono::seconds(10), true,
                [&store, question_sets, postmortem_options](Time now) {
                  OpenDuePostmortems(*store, *question_sets, now, postmortem_options);
                  SendDueReminders(*store, *question_sets, now, postmortem_options);
                  CloseDuePostmortems(*store, *question_sets, now, postmortem_options);
                });
  scheduler.Add("inbox-prune", std::chrono::hours(1), true, [&store](Time now) {
    auto pruned = store->PruneInbox(now - kInboxRetention);
    if (pruned.ok() && *pruned > 0) LogInfo("inbox.pruned", {{"rows", std::to_string(*pruned)}});
  });

  scheduler.Add("search-index", kTidyEvery, true, [&store](Time) {
    int merges = 0;
    bool more = true;
    while (more && merges < kTidyMergesPerRun) {
      Result<bool> tidied = store->TidySearchIndex(kTidyPages);
      if (!tidied.ok()) {
        LogWarn("search_index.tidy_failed", {{"reason", tidied.status().message()}});
        return;
      }
      more = *tidied;
      if (more) ++merges;
    }
    if (merges > 0) {
      LogInfo("search_index.tidied",
              {{"merges", std::to_string(merges)}, {"done", more ? "false" : "true"}});
    }
  });

  std::string web_mode = config.WebOpenWithoutToken()
                             ? "open on loopback without a token"
                             : (config.web_token.empty() ? "off (set LESSONBOOK_WEB_TOKEN)"
                                                         : "needs LESSONBOOK_WEB_TOKEN");
  LogInfo("server.started", {{"listen", options.host + ":" + std::to_string(server.port())},
                             {"db", RedactDbLocation(config.db)},
                             {"web_chat", web_mode},
                             {"pid", std::to_string(getpid())}});
  std::cout << "Lessonbook is running: open " << local_url << "/ (Ctrl-C stops it)" << std::endl;

  std::jthread ticker(
      [&scheduler](std::stop_token stop) { scheduler.Run(stop, std::chrono::milliseconds(250)); });
  std::atomic<bool> stopping{false};
  std::thread waiter([&] {
    timespec wait{0, 200 * 1000 * 1000};
    while (!stopping) {
      int sig = sigtimedwait(&signals, nullptr, &wait);
      if (sig == SIGINT || sig == SIGTERM) {
        LogInfo("server.stopping", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
        server.Stop();
        return;
      }
    }
  });

  server.Run();
  stopping = true;
  waiter.join();
  ticker.request_stop();
  ticker.join();
  worker.DrainOnce();  // what is due now goes out before we exit; the rest waits in the store
  LogInfo("server.stopped");
  return 0;
}

}  // namespace lessonbook
