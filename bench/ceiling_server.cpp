// The benchmark's ceiling: a bare cpp-httplib server that answers every GET and POST with one
// fixed JSON body, configured like Lessonbook's server (TCP_NODELAY, one worker thread per
// keep-alive connection, long keep-alive). What it answers per second on this machine is the
// most any handler behind the same HTTP library can reach.
//
// The fixed body is a Slack `auth.test` answer, so the same process also serves as the Slack API
// that `lessonbook serve` asks once at start-up (SLACK_API_BASE=http://127.0.0.1:PORT/api).
//
// Usage: bench_ceiling PORT [THREADS]   (THREADS default 64; stops on SIGINT/SIGTERM)
#include <httplib.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

httplib::Server* g_server = nullptr;

void Stop(int) {
  if (g_server != nullptr) g_server->stop();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PORT [THREADS]\n", argv[0]);
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const int threads = argc > 2 ? std::atoi(argv[2]) : 64;
  if (port <= 0 || threads <= 0) {
    std::fprintf(stderr, "bench_ceiling: PORT and THREADS must be positive numbers\n");
    return 2;
  }
  static const std::string kBody =
      R"({"ok":true,"url":"https://bench.slack.com/","team":"Bench","user":"lessonbook",)"
      R"("team_id":"TBENCH","user_id":"UBENCHBOT","bot_id":"BBENCH"})";
  httplib::Server server;
  g_server = &server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000000);
  server.set_keep_alive_timeout(60);
  auto answer = [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kBody, "application/json; charset=utf-8");
  };
  server.Get(R"(/.*)", answer);
  server.Post(R"(/.*)", answer);
  std::signal(SIGINT, Stop);
  std::signal(SIGTERM, Stop);
  if (!server.listen("127.0.0.1", port)) {
    std::fprintf(stderr, "bench_ceiling: cannot listen on 127.0.0.1:%d\n", port);
    return 1;
  }
  return 0;
}
