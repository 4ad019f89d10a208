// Adapter: translates one platform's HTTP traffic to the engine's Inbound and the engine's
// Message back to the platform. Adapters hold no business logic. HttpRequest and HttpResponse
// are plain structs, so adapters are tested without sockets.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "bot/deliverer.h"
#include "bot/inbound.h"
#include "bot/message.h"
#include "bot/status.h"

namespace lessonbook {

struct HttpRequest {
  std::string method;  // "GET", "POST"
  std::string path;    // without the query string
  std::map<std::string, std::string> headers;  // names lower-cased
  std::map<std::string, std::string> query;    // decoded query parameters
  std::string body;    // raw bytes, exactly as received (signatures are computed over them)
  std::string remote_addr;
  std::string request_id;  // set by the server for logs

  // The header's value, or "" when absent. REQUIRES: name is lower case.
  std::string Header(std::string_view name) const {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::map<std::string, std::string> headers;

  static HttpResponse Text(int status, std::string body) {
    return HttpResponse{status, "text/plain; charset=utf-8", std::move(body), {}};
  }
  static HttpResponse Json(int status, std::string body) {
    return HttpResponse{status, "application/json; charset=utf-8", std::move(body), {}};
  }
};

class Adapter : public Deliverer {
 public:
  virtual Platform platform() const = 0;
  // Verifies the request (signature, token, tenant) before anything else, then translates it.
  // Unauthenticated for a request that fails verification; InvalidArgument for a malformed one.
  virtual Result<Inbound> Parse(const HttpRequest& request) = 0;
  // The immediate HTTP answer to a parsed request.
  virtual HttpResponse Render(const Inbound& inbound, const Reply& reply) = 0;
};

}  // namespace lessonbook
