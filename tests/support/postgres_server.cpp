#include "tests/support/postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glob.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace lessonbook::testing {
namespace {

std::string BinDir() {
  if (const char* env = std::getenv("LESSONBOOK_PG_BIN"); env != nullptr && *env != '\0') {
    return env;
  }
  glob_t g;
  std::string best;
  if (glob("/usr/lib/postgresql/*/bin/initdb", 0, nullptr, &g) == 0) {
    int best_version = -1;
    for (size_t i = 0; i < g.gl_pathc; ++i) {
      const std::string path = g.gl_pathv[i];
      const int version = std::atoi(path.c_str() + std::string("/usr/lib/postgresql/").size());
      if (version > best_version) {
        best_version = version;
        best = path.substr(0, path.size() - std::string("/initdb").size());
      }
    }
  }
  globfree(&g);
  return best;
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// Runs argv (as `user` when set, via setuid) with stdout and stderr appended to log; with
// detach, returns at once (the child dies with this process), else waits and returns the exit
// status in *exit_code.
pid_t Spawn(const std::vector<std::string>& argv, const passwd* user, const std::string& log,
            bool detach, int* exit_code) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    const int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    if (user != nullptr && (setgid(user->pw_gid) != 0 || setuid(user->pw_uid) != 0)) _exit(126);
    // After setuid (which clears it): the server dies with the test binary.
    if (detach) prctl(PR_SET_PDEATHSIG, SIGQUIT);
    if (detach && getppid() != parent) _exit(125);
    execv(args[0], args.data());
    _exit(127);
  }
  if (!detach) {
    int status = 0;
    waitpid(pid, &status, 0);
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  }
  return pid;
}

std::mutex g_mu;
PostgresServer* g_server = nullptr;
Status* g_error = nullptr;

class PostgresEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { PostgresServer::StopShared(); }
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

}  // namespace

Result<PostgresServer*> PostgresServer::Shared() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_server != nullptr) return g_server;
  if (g_error != nullptr) return *g_error;
  auto* server = new PostgresServer();
  Status started = server->Start();
  if (!started.ok()) {
    delete server;
    g_error = new Status(started);
    return started;
  }
  g_server = server;
  return g_server;
}

void PostgresServer::StopShared() {
  std::lock_guard<std::mutex> lock(g_mu);
  delete g_server;
  g_server = nullptr;
  delete g_error;
  g_error = nullptr;
}

Status PostgresServer::Start() {
  const std::string bin = BinDir();
  if (bin.empty() || access((bin + "/initdb").c_str(), X_OK) != 0) {
    return Status::Unavailable(
        "PostgreSQL's initdb was not found in /usr/lib/postgresql/*/bin: install Debian's "
        "postgresql package (deploy/install-deps.sh --test) or set LESSONBOOK_PG_BIN");
  }
  char tmpl[] = "/tmp/lessonbook-pg-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return Status::Unavailable("cannot create a temporary directory");
  dir_ = tmpl;
  const passwd* user = nullptr;
  if (geteuid() == 0) {
    user = getpwnam("postgres");
    if (user == nullptr) {
      return Status::Unavailable(
          "running as root and there is no postgres user to run PostgreSQL as (initdb refuses "
          "root): install Debian's postgresql package");
    }
    if (chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0) {
      return Status::Unavailable("cannot give " + dir_ + " to the postgres user");
    }
  }
  const std::string log = dir_ + "/server.log";
  int code = 0;
  std::vector<std::string> initdb = {bin + "/initdb", "-D",       dir_ + "/data", "-U",
                                     "postgres",      "-A",       "trust",        "-E",
                                     "UTF8",          "--locale", "C.UTF-8",      "--no-sync"};
  if (user != nullptr) initdb.insert(initdb.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
  if (Spawn(initdb, nullptr, log, false, &code) < 0 || code != 0) {
    return Status::Unavailable("initdb failed (exit " + std::to_string(code) + "): " + LogTail());
  }
  port_ = FreePort();
  if (port_ == 0) return Status::Unavailable("no free port on 127.0.0.1");
  const std::vector<std::string> postgres = {
      bin + "/postgres",
      "-D", dir_ + "/data",
      "-c", "listen_addresses=127.0.0.1",
      "-c", "port=" + std::to_string(port_),
      "-c", "unix_socket_directories=" + dir_,
      "-c", "fsync=off",
      "-c", "synchronous_commit=off",
      "-c", "full_page_writes=off",
      "-c", "max_connections=200",
  };
  pid_ = Spawn(postgres, user, log, true, nullptr);
  if (pid_ < 0) return Status::Unavailable("cannot start postgres: fork failed");
  const std::string conninfo = Uri("postgres") + "?connect_timeout=2";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (PQping(conninfo.c_str()) != PQPING_OK) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Status::Unavailable("postgres exited while starting: " + LogTail());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Unavailable("postgres did not answer within 60 s: " + LogTail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::Ok();
}

void PostgresServer::Stop() {
  if (reset_conn_ != nullptr) {
    PQfinish(reset_conn_);
    reset_conn_ = nullptr;
  }
  if (pid_ > 0) {
    kill(pid_, SIGINT);  // fast shutdown: disconnects clients, then exits
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
}

PostgresServer::~PostgresServer() { Stop(); }

std::string PostgresServer::LogTail() const {
  std::ifstream in(dir_ + "/server.log");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string log = ss.str();
  if (log.size() > 2000) log = log.substr(log.size() - 2000);
  return log.empty() ? "(no log output)" : log;
}

std::string PostgresServer::Uri(const std::string& database) const {
  return "postgres://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

Result<std::string> PostgresServer::CreateDatabase() {
  std::string name;
  {
    std::lock_guard<std::mutex> lock(mu_);
    name = "lbtest_" + std::to_string(next_db_++);
  }
  PGconn* conn = PQconnectdb(Uri("postgres").c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    // The name is ours (no user input): CREATE DATABASE takes no parameters.
    PGresult* r = PQexec(conn, ("CREATE DATABASE " + name).c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(conn);
  if (!error.empty()) return Status::Unavailable("cannot create database " + name + ": " + error);
  return Uri(name);
}

Result<std::string> PostgresServer::ResetSharedDatabase() {
  std::lock_guard<std::mutex> lock(mu_);
  if (shared_db_.empty()) {
    PGconn* conn = PQconnectdb(Uri("postgres").c_str());
    std::string error;
    if (PQstatus(conn) != CONNECTION_OK) {
      error = PQerrorMessage(conn);
    } else {
      PGresult* r = PQexec(conn, "CREATE DATABASE lbtest_shared");
      if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
      PQclear(r);
    }
    PQfinish(conn);
    if (!error.empty()) return Status::Unavailable("cannot create the test database: " + error);
    shared_db_ = Uri("lbtest_shared");
    return shared_db_;
  }
  // DELETE, not TRUNCATE: the tables of a test hold a few rows, and TRUNCATE gives each table,
  // index and sequence a new file (five times slower here). Foreign keys are not checked while
  // every table is emptied (session_replication_role), so the order does not matter.
  static constexpr const char* kEmptyEveryTable =
      "DO $$ DECLARE r record; BEGIN "
      "PERFORM set_config('session_replication_role', 'replica', true); "
      "FOR r IN SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables "
      "WHERE schemaname = 'public' AND tablename <> 'schema_migrations' LOOP "
      "EXECUTE 'DELETE FROM ' || r.t; END LOOP; "
      "PERFORM setval(format('%I.%I', schemaname, sequencename), start_value, false) "
      "FROM pg_sequences WHERE schemaname = 'public'; "
      "END $$";
  std::string error;
  // One connection kept for the resets (a new one per test costs a server process); made again
  // when a test cut it (pg_terminate_backend) or the first attempt finds it broken.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (reset_conn_ != nullptr && PQstatus(reset_conn_) != CONNECTION_OK) {
      PQfinish(reset_conn_);
      reset_conn_ = nullptr;
    }
    if (reset_conn_ == nullptr) reset_conn_ = PQconnectdb(shared_db_.c_str());
    if (PQstatus(reset_conn_) != CONNECTION_OK) {
      error = PQerrorMessage(reset_conn_);
      PQfinish(reset_conn_);
      reset_conn_ = nullptr;
      continue;
    }
    PGresult* r = PQexec(reset_conn_, kEmptyEveryTable);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    error = ok ? "" : PQresultErrorMessage(r);
    PQclear(r);
    if (ok) break;
    PQfinish(reset_conn_);
    reset_conn_ = nullptr;
  }
  if (!error.empty()) return Status::Unavailable("cannot empty the test database: " + error);
  return shared_db_;
}

void PostgresServer::DropDatabase(const std::string& uri) {
  const std::string name = uri.substr(uri.rfind('/') + 1);
  PGconn* conn = PQconnectdb(Uri("postgres").c_str());
  if (PQstatus(conn) == CONNECTION_OK) {
    PQclear(PQexec(conn, ("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").c_str()));
  }
  PQfinish(conn);
}

}  // namespace lessonbook::testing
