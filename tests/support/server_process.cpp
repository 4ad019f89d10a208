#include "tests/support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#ifndef LESSONBOOK_BINARY
#error "LESSONBOOK_BINARY must name the built lessonbook executable"
#endif

namespace lessonbook::testing {
namespace {

// What execve needs, built before fork: the child of a threaded test process (fake servers run
// threads) may only call async-signal-safe functions, and setenv or malloc there can hang for
// good on a lock another thread held at the fork.
struct ExecImage {
  std::vector<std::string> strings;  // owns what argv and envp point at
  std::vector<char*> argv;
  std::vector<char*> envp;
};

ExecImage Prepare(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env) {
  ExecImage image;
  image.strings.push_back(LESSONBOOK_BINARY);
  image.strings.insert(image.strings.end(), args.begin(), args.end());
  const std::size_t argc = image.strings.size();
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (env.count(name) == 0) image.strings.push_back(entry);
  }
  for (const auto& [k, v] : env) image.strings.push_back(k + "=" + v);
  for (std::size_t i = 0; i < image.strings.size(); ++i) {
    (i < argc ? image.argv : image.envp).push_back(image.strings[i].data());
  }
  image.argv.push_back(nullptr);
  image.envp.push_back(nullptr);
  return image;
}

// In the child: only async-signal-safe calls, then the binary. Never returns.
[[noreturn]] void Exec(const ExecImage& image) {
  // No test answers prompts: standard input is empty, never the terminal.
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, 0);
  execve(image.argv[0], image.argv.data(), image.envp.data());
  _exit(127);
}

int WaitStatus(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

CommandResult RunLessonbook(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env) {
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  const ExecImage image = Prepare(args, env);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]);
    close(err_pipe[0]);
    Exec(image);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  CommandResult r;
  // Read both pipes as output arrives: reading one to its end first could deadlock on the
  // other's full pipe.
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open = 2;
  char buf[4096];
  while (open > 0) {
    if (poll(fds, 2, 60000) <= 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  r.exit_code = WaitStatus(pid);
  return r;
}

ServerProcess::ServerProcess(const std::map<std::string, std::string>& env,
                             const std::string& log_file) {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  auto all_env = env;
  all_env.emplace("LESSONBOOK_LISTEN", "127.0.0.1:0");
  const ExecImage image = Prepare({"serve"}, all_env);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out_pipe[1], 1);
    int log = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) dup2(log, 2);
    close(out_pipe[0]);
    Exec(image);
  }
  close(out_pipe[1]);
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  const std::string marker = "http://127.0.0.1:";
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_pipe[0], POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buf[512];
    ssize_t n = read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    seen.append(buf, static_cast<size_t>(n));
    size_t at = seen.find(marker);
    if (at != std::string::npos && seen.find('/', at + marker.size()) != std::string::npos) {
      port_ = std::atoi(seen.c_str() + at + marker.size());
      break;
    }
  }
  close(out_pipe[0]);
  if (port_ == 0) {
    kill(pid_, SIGKILL);
    WaitStatus(pid_);
    pid_ = -1;
    std::ifstream log(log_file);
    std::stringstream s;
    s << log.rdbuf();
    throw std::runtime_error("lessonbook serve did not start; output: " + seen + "\nlog:\n" +
                             s.str());
  }
}

int ServerProcess::StopWith(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = WaitStatus(pid_);
  pid_ = -1;
  return status;
}

int ServerProcess::WaitForExit(int seconds) {
  if (pid_ <= 0) return -1;
  for (int i = 0; i < seconds * 20; ++i) {
    int status = 0;
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    usleep(50 * 1000);
  }
  return -1;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    WaitStatus(pid_);
  }
}

}  // namespace lessonbook::testing
