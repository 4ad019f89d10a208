#include "adapters/http/http_client.h"

#include <httplib.h>

#include <cctype>

#include "adapters/http/url.h"

namespace lessonbook {

Result<ClientResponse> HttpClient::Send(const ClientRequest& request) const {
  auto url = ParseUrl(request.url);
  if (!url.ok()) return url.status();
  httplib::Client client(url->Origin());
  client.set_connection_timeout(options_.connect_timeout);
  client.set_read_timeout(options_.timeout);
  client.set_write_timeout(options_.timeout);
  client.set_follow_location(false);
  client.set_keep_alive(false);
  if (url->scheme == "https") client.enable_server_certificate_verification(true);

  httplib::Request req;
  req.method = request.method;
  req.path = url->target;
  for (const auto& [k, v] : request.headers) req.headers.emplace(k, v);
  if (!request.content_type.empty()) req.headers.emplace("Content-Type", request.content_type);
  req.body = request.body;
  std::size_t received = 0;
  bool too_big = false;
  std::string body;
  req.content_receiver = [&](const char* data, size_t len, uint64_t, uint64_t) {
    received += len;
    if (received > options_.max_response_bytes) {
      too_big = true;
      return false;
    }
    body.append(data, len);
    return true;
  };

  auto res = client.send(req);
  if (too_big) {
    return Status::Unavailable(
        request.method + " " + url->Origin() + url->target.substr(0, url->target.find('?')) +
        ": the answer is larger than " + std::to_string(options_.max_response_bytes) + " bytes");
  }
  if (!res) {
    return Status::Unavailable(request.method + " " + url->Origin() + ": " +
                               httplib::to_string(res.error()));
  }
  ClientResponse out;
  out.status = res->status;
  out.body = body.empty() ? res->body : std::move(body);
  for (const auto& [k, v] : res->headers) {
    std::string name = k;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = v;
  }
  return out;
}

}  // namespace lessonbook
