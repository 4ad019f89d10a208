// HttpClient: outbound HTTP(S) calls to platform APIs (Slack Web API, Bot Connector, token and
// OpenID endpoints). Certificates are verified for https; base URLs are configuration, so tests
// point them at loopback fakes over plain http.
// Thread-safety: Send may be called from many threads at once.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "bot/status.h"

namespace lessonbook {

struct ClientRequest {
  std::string method = "GET";  // GET, POST, PUT, DELETE
  std::string url;             // absolute http(s) URL
  std::map<std::string, std::string> headers;
  std::string body;
  std::string content_type;  // e.g. "application/json; charset=utf-8"
};

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpClientOptions {
  std::chrono::seconds connect_timeout{5};   // Default: 5 s.
  std::chrono::seconds timeout{10};          // Default: 10 s, for reading and for writing.
  std::size_t max_response_bytes = 8 << 20;  // Default: 8 MiB; larger answers are an error.
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {}) : options_(options) {}
  // The platform's answer, whatever its status. Unavailable for network errors (refused,
  // timed out, TLS failure), InvalidArgument for a malformed URL.
  Result<ClientResponse> Send(const ClientRequest& request) const;

 private:
  HttpClientOptions options_;
};

}  // namespace lessonbook
