// Runs the real `lessonbook` binary in a child process for end-to-end tests: `serve` on an
// ephemeral loopback port (read back from its first line of output), or a one-shot subcommand.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace lessonbook::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs `lessonbook args…` with extra environment variables and waits for it.
CommandResult RunLessonbook(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env);

class ServerProcess {
 public:
  // Starts `lessonbook serve` with LESSONBOOK_LISTEN=127.0.0.1:0 plus `env`; waits until it
  // prints the port it bound. Throws std::runtime_error when it does not start in 20 s.
  ServerProcess(const std::map<std::string, std::string>& env, const std::string& log_file);
  ~ServerProcess();  // SIGKILL when still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends the signal and waits for the exit; returns the exit status (or 128+signal).
  int StopWith(int signal);
  // Waits (at most `seconds`) for the process to exit by itself; its status, or -1 on timeout.
  int WaitForExit(int seconds);

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace lessonbook::testing
