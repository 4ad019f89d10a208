#include "tests/support/webdriver.h"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <httplib.h>
#include <set>
#include <stdexcept>
#include <thread>

#include "bot/secret_box.h"

namespace lessonbook::testing {
namespace {

using nlohmann::json;

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("no free port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

std::string FindInPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  std::size_t pos = 0;
  while (pos <= p.size()) {
    std::size_t end = p.find(':', pos);
    std::string dir = p.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return "";
}

// Every process whose parent chain leads to root (from /proc), root excluded.
std::set<pid_t> Descendants(pid_t root) {
  std::set<pid_t> found;
  bool grew = true;
  while (grew) {
    grew = false;
    DIR* proc = opendir("/proc");
    if (proc == nullptr) return found;
    while (dirent* e = readdir(proc)) {
      char* end = nullptr;
      long pid = std::strtol(e->d_name, &end, 10);
      if (*end != '\0' || pid <= 0) continue;
      std::ifstream stat("/proc/" + std::string(e->d_name) + "/stat");
      std::string line;
      std::getline(stat, line);
      std::size_t close_paren = line.rfind(')');
      if (close_paren == std::string::npos || close_paren + 4 >= line.size()) continue;
      long ppid = std::strtol(line.c_str() + close_paren + 4, nullptr, 10);
      if ((ppid == root || found.count(static_cast<pid_t>(ppid))) &&
          found.insert(static_cast<pid_t>(pid)).second) {
        grew = true;
      }
    }
    closedir(proc);
  }
  return found;
}

}  // namespace

std::string DecodeBase64(const std::string& text) {
  auto bytes = Base64Decode(text);
  if (!bytes.ok()) throw std::runtime_error("not base64: " + bytes.status().message());
  return *bytes;
}

ChromeDriver::ChromeDriver(const std::string& profile_dir, const std::string& log_file) {
  const std::string driver = FindInPath("chromedriver");
  if (driver.empty()) {
    throw std::runtime_error("chromedriver is not installed: run deploy/install-deps.sh --test");
  }
  if (access(kChromium, X_OK) != 0) {
    throw std::runtime_error("/usr/bin/chromium is not installed: run deploy/install-deps.sh --test");
  }
  port_ = FreePort();
  const std::string port_arg = "--port=" + std::to_string(port_);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    setpgid(0, 0);  // its own group: Chromium joins it, so one kill reaches them all
    int log = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) {
      dup2(log, 1);
      dup2(log, 2);
    }
    execl(driver.c_str(), driver.c_str(), port_arg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid_, pid_);
  client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client_->set_connection_timeout(2, 0);
  client_->set_read_timeout(120, 0);
  bool ready = false;
  for (int i = 0; i < 200 && !ready; ++i) {
    auto res = client_->Get("/status");
    if (res && res->status == 200) {
      auto j = json::parse(res->body, nullptr, false);
      ready = j.is_object() && j["value"].value("ready", false);
    }
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!ready) {
    KillAll();
    throw std::runtime_error("chromedriver did not start on port " + std::to_string(port_));
  }
  json args = json::array({"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                           "--no-first-run", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync",
                           "--disable-dev-shm-usage", "--hide-scrollbars",
                           "--user-data-dir=" + profile_dir, "--window-size=1280,900"});
  json caps = {{"capabilities",
                {{"alwaysMatch",
                  {{"browserName", "chrome"},
                   {"goog:chromeOptions", {{"binary", kChromium}, {"args", args}}}}}}}};
  try {
    json value = Call("POST", "/session", caps);
    session_ = value.at("sessionId").get<std::string>();
    Call("POST", "/session/" + session_ + "/timeouts", {{"implicit", 10000}, {"pageLoad", 60000}});
  } catch (...) {
    KillAll();
    throw;
  }
}

ChromeDriver::~ChromeDriver() {
  if (!session_.empty()) {
    try {
      client_->set_read_timeout(10, 0);
      client_->Delete(("/session/" + session_).c_str());
    } catch (...) {
    }
  }
  KillAll();
}

void ChromeDriver::KillAll() {
  if (pid_ <= 0) return;
  std::set<pid_t> all = Descendants(pid_);
  kill(-pid_, SIGKILL);  // the group chromedriver leads (Chromium's processes included)
  for (pid_t p : all) kill(p, SIGKILL);  // and anything that left the group
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

json ChromeDriver::Call(const std::string& method, const std::string& path, const json& body) {
  httplib::Result res = method == "GET"      ? client_->Get(path.c_str())
                        : method == "DELETE" ? client_->Delete(path.c_str())
                                             : client_->Post(path.c_str(), body.dump(),
                                                             "application/json");
  if (!res) throw std::runtime_error("WebDriver " + method + " " + path + ": no answer");
  json j = json::parse(res->body, nullptr, false);
  if (res->status != 200 || !j.is_object()) {
    throw std::runtime_error("WebDriver " + method + " " + path + ": " +
                             std::to_string(res->status) + " " + res->body.substr(0, 2000));
  }
  return j["value"];
}

void ChromeDriver::Navigate(const std::string& url) {
  Call("POST", "/session/" + session_ + "/url", {{"url", url}});
}

std::string ChromeDriver::CurrentUrl() {
  return Call("GET", "/session/" + session_ + "/url").get<std::string>();
}

std::string ChromeDriver::PageSource() {
  return Call("GET", "/session/" + session_ + "/source").get<std::string>();
}

void ChromeDriver::SetWindowSize(int width, int height) {
  Call("POST", "/session/" + session_ + "/window/rect", {{"width", width}, {"height", height}});
}

std::string ChromeDriver::Find(const std::string& css) {
  json v = Call("POST", "/session/" + session_ + "/element",
                {{"using", "css selector"}, {"value", css}});
  return v.at(kElementKey).get<std::string>();
}

std::vector<std::string> ChromeDriver::FindAll(const std::string& css) {
  json v = Call("POST", "/session/" + session_ + "/elements",
                {{"using", "css selector"}, {"value", css}});
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.at(kElementKey).get<std::string>());
  return out;
}

void ChromeDriver::Click(const std::string& element) {
  Call("POST", "/session/" + session_ + "/element/" + element + "/click");
}

void ChromeDriver::Type(const std::string& element, const std::string& text) {
  Call("POST", "/session/" + session_ + "/element/" + element + "/value", {{"text", text}});
}

std::string ChromeDriver::Text(const std::string& element) {
  return Call("GET", "/session/" + session_ + "/element/" + element + "/text").get<std::string>();
}

std::string ChromeDriver::Screenshot() {
  return DecodeBase64(Call("GET", "/session/" + session_ + "/screenshot").get<std::string>());
}

std::string ChromeDriver::PrintToPdf() {
  json body = {{"orientation", "portrait"},
               {"page", {{"width", 21.0}, {"height", 29.7}}},
               {"background", false}};
  return DecodeBase64(Call("POST", "/session/" + session_ + "/print", body).get<std::string>());
}

}  // namespace lessonbook::testing
