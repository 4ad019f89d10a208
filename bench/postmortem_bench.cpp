// bench_postmortem: lessons stored per second through post-mortem answers. Campaigns end, their
// post-mortems open (each participant gets the first question), then every participant answers
// every question in DM turns, as Slack's Events API hands them to the engine (MessageEvent,
// is_direct), with the real SQLite store on disk (WAL, each answer a committed transaction, the
// similar-lesson search of living lessons on every new lesson). Only the HTTP layer is left out:
// its cost per request is the ceiling's (bench/README.md).
//
// Usage: bench_postmortem --db FILE [--from FILE] [--campaigns N] [--participants P]
//   --db            the database to use (removed first; a copy of --from when given)
//   --from          start from this database (a bench corpus, e.g. bench/data/lessons-10k.db):
//                   the answers then land in the Slack workspace TBENCH next to its lessons
//   --campaigns     campaigns that end (default 200)
//   --participants  people per campaign (default 5), each a different user
// Prints one line of figures (answers/s, lessons/s, CPU ms per answer) and exits 0; exits 1 when
// anything the engine answers is an error (the figures would not be honest).
#include <sys/resource.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "bot/clock.h"
#include "bot/deliverer.h"
#include "bot/engine.h"
#include "bot/local_time.h"
#include "bot/outbox.h"
#include "bot/postmortem.h"
#include "bot/question_set.h"
#include "storage/store.h"

namespace lb = lessonbook;

namespace {

// Accepts every message: the platform's side is not measured here.
class NullPlatform final : public lb::Deliverer {
 public:
  lb::Delivery Deliver(const lb::Outbound&) override {
    ++delivered;
    return lb::Delivery::Sent();
  }
  long delivered = 0;
};

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// An answer a marketer might give: a change and its effect, from a small seeded vocabulary, so
// the index grows as with real answers and similar lessons are found now and then.
std::string Answer(std::mt19937& rng, int lines) {
  static const char* kChanges[] = {"Sending the reminder email an hour before",
                                   "A partner co-host on the webinar",
                                   "Shorter subject lines with a number",
                                   "Retargeting visitors of the pricing page",
                                   "A checklist as the lead magnet",
                                   "Posting the carousel on Tuesday mornings",
                                   "A referral bonus for existing customers",
                                   "Moving the demo button above the fold",
                                   "Cutting the form to three fields",
                                   "A podcast interview with our founder"};
  static const char* kEffects[] = {
      "raised attendance by a third",  "doubled replies",
      "brought no sign-ups at all",    "lifted conversion from 2% to 3.1%",
      "cost twice the planned budget", "halved the unsubscribe rate",
      "drew mostly students",          "worked only in Germany"};
  std::string out;
  for (int i = 0; i < lines; ++i) {
    if (i) out += "\n";
    out += kChanges[rng() % std::size(kChanges)];
    out += " ";
    out += kEffects[rng() % std::size(kEffects)];
    out += " (variant " + std::to_string(rng() % 1000) + ")";
  }
  return out;
}

struct Args {
  std::string db, from;
  int campaigns = 200, participants = 5;
};

// A whole positive number (1 to 1,000,000) or false: "12x", "-3" and "" are refused, never thrown.
bool ParseCount(const std::string& text, int& out) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < 1 || value > 1000000) return false;
  out = value;
  return true;
}

bool ParseArgs(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (i + 1 >= argc) return false;
    std::string v = argv[++i];
    if (k == "--db") {
      a.db = v;
    } else if (k == "--from") {
      a.from = v;
    } else if (k == "--campaigns") {
      if (!ParseCount(v, a.campaigns)) return false;
    } else if (k == "--participants") {
      if (!ParseCount(v, a.participants)) return false;
    } else {
      return false;
    }
  }
  return !a.db.empty() && a.campaigns > 0 && a.participants > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, args)) {
    std::cerr << "usage: bench_postmortem --db FILE [--from FILE] [--campaigns N] "
                 "[--participants P]\n";
    return 2;
  }
  namespace fs = std::filesystem;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(args.db + suffix);
  if (!args.from.empty()) fs::copy_file(args.from, args.db);

  auto opened = lb::OpenStore(args.db);
  if (!opened.ok()) {
    std::cerr << "bench_postmortem: " << opened.status().ToString() << "\n";
    return 1;
  }
  std::unique_ptr<lb::Store> store = std::move(*opened);
  lb::Workspace w;
  w.platform = args.from.empty() ? lb::Platform::kWeb : lb::Platform::kSlack;
  w.external_id = args.from.empty() ? "local" : "TBENCH";
  w.timezone = "Europe/Berlin";
  lb::Workspace ws = store->EnsureWorkspace(w).value();
  const std::string prefix = args.from.empty() ? "web:" : "";

  // Monday 2026-11-23 10:00 Berlin; the campaigns end Wednesday 17:00 in the workspace's zone.
  lb::FakeClock clock(*lb::ParseRfc3339("2026-11-23T09:00:00Z"));
  lb::Engine engine(*store, clock);
  lb::QuestionSets sets = lb::LoadQuestionSets("").value();
  NullPlatform platform;
  lb::OutboxWorker worker(*store, clock);
  worker.Register(w.platform, &platform);

  auto in = [&](const std::string& user) {
    lb::Inbound i;
    i.workspace_id = ws.id;
    i.platform = w.platform;
    i.user_id = prefix + user;
    i.channel_id = "D" + user;
    i.reply_to = "D" + user;
    return i;
  };
  int errors = 0;
  auto check = [&](const lb::Reply& r, const std::string& what) {
    if (r.message && r.message->is_error) {
      if (++errors <= 5)
        std::cerr << "bench_postmortem: " << what << ": " << r.message->text << "\n";
    }
  };

  std::vector<std::string> people;
  for (int c = 0; c < args.campaigns; ++c) {
    std::string with;
    for (int p = 0; p < args.participants; ++p) {
      std::string user = "u" + std::to_string(c) + "x" + std::to_string(p);
      people.push_back(user);
      with += (p ? ",@" : "@") + user;
    }
    lb::Inbound i = in(people[people.size() - static_cast<size_t>(args.participants)]);
    i.event = lb::CommandEvent{"campaign new \"Bench campaign " + std::to_string(c) +
                               "\" ends:2026-11-25 with:" + with + " metric:signups=1000"};
    check(engine.Handle(i), "campaign new");
  }
  clock.Set(*lb::ParseRfc3339("2026-11-26T09:00:00Z"));  // past the end in any zone
  lb::PostmortemOptions options;
  // The scheduler opens at most 100 due post-mortems per tick: tick until none is left, so that
  // every participant is asked (an unasked participant's DM would be a search, not an answer).
  int opened_count = 0;
  for (int tick = 0; tick < 1000; ++tick) {
    const int opened = lb::OpenDuePostmortems(*store, sets, clock.Now(), options);
    if (opened == 0) break;
    opened_count += opened;
  }
  while (worker.DrainOnce() > 0) {
  }
  const std::int64_t lessons_before = store->CountLessons(ws.id).value();

  // Every participant answers every question, one DM at a time, people interleaved as they
  // would be in a busy week: round r is everyone's r-th answer.
  std::mt19937 rng(8);
  const std::vector<std::string> kRound = {"", "", "", "", "", "events,email", "4"};
  long answers = 0;
  auto wall0 = std::chrono::steady_clock::now();
  double cpu0 = CpuSeconds();
  for (size_t round = 0; round < kRound.size(); ++round) {
    for (const std::string& user : people) {
      std::string text = round == 0              ? std::to_string(500 + rng() % 1000)
                         : kRound[round].empty() ? Answer(rng, 1 + static_cast<int>(rng() % 2))
                                                 : kRound[round];
      lb::Inbound i = in(user);
      i.event = lb::MessageEvent{text, true};
      check(engine.Handle(i), "answer");
      ++answers;
    }
  }
  double cpu = CpuSeconds() - cpu0;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const std::int64_t stored = store->CountLessons(ws.id).value() - lessons_before;

  std::printf(
      "post-mortems opened %d, people %zu, answers %ld in %.2f s: %.0f answers/s, "
      "%lld lessons stored = %.0f lessons/s, CPU %.3f ms per answer, lessons before %lld\n",
      opened_count, people.size(), answers, wall, answers / wall, static_cast<long long>(stored),
      static_cast<double>(stored) / wall, cpu * 1000.0 / static_cast<double>(answers),
      static_cast<long long>(lessons_before));
  if (errors > 0 || stored <= 0) {
    std::cerr << "bench_postmortem: " << errors << " error answers, " << stored
              << " lessons stored: figures not valid\n";
    return 1;
  }
  return 0;
}
