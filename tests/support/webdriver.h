// A headless Chromium driven over the W3C WebDriver protocol (HTTP + JSON to `chromedriver`), for
// browser tests of the server-rendered pages without npm or Selenium.
//
// ChromeDriver starts `chromedriver --port=<free port>` in its own process group and, when it
// goes out of scope (a failed test included), ends the session and kills chromedriver, Chromium
// and every process they started, by PID. Missing binaries throw: a browser test fails, it never
// skips.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace httplib {
class Client;
}  // namespace httplib

namespace lessonbook::testing {

class ChromeDriver {
 public:
  // Starts chromedriver and a Chromium session (headless, a fresh profile under profile_dir),
  // with an implicit wait of 10 s for element look-ups. Throws std::runtime_error on failure.
  ChromeDriver(const std::string& profile_dir, const std::string& log_file);
  ~ChromeDriver();
  ChromeDriver(const ChromeDriver&) = delete;
  ChromeDriver& operator=(const ChromeDriver&) = delete;

  void Navigate(const std::string& url);
  std::string CurrentUrl();
  std::string PageSource();
  void SetWindowSize(int width, int height);
  // The element's WebDriver id for a CSS selector (waits up to the implicit wait); throws when
  // there is none.
  std::string Find(const std::string& css);
  std::vector<std::string> FindAll(const std::string& css);
  void Click(const std::string& element);
  void Type(const std::string& element, const std::string& text);
  std::string Text(const std::string& element);
  // PNG bytes of the viewport; PDF bytes of the page printed (A4, portrait).
  std::string Screenshot();
  std::string PrintToPdf();

 private:
  nlohmann::json Call(const std::string& method, const std::string& path,
                      const nlohmann::json& body = nlohmann::json::object());
  void KillAll();

  pid_t pid_ = -1;
  int port_ = 0;
  std::string session_;
  std::unique_ptr<httplib::Client> client_;
};

// Decodes standard base64 (WebDriver's screenshots and PDFs).
std::string DecodeBase64(const std::string& text);

}  // namespace lessonbook::testing
