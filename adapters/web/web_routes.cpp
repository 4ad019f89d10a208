#include "adapters/web/web_routes.h"

#include <string>
#include <utility>

#include "adapters/web/assets.h"

namespace lessonbook {
namespace {

HttpResponse WithPageHeaders(HttpResponse r) {
  r.headers["Content-Security-Policy"] = kWebContentSecurityPolicy;
  r.headers["Referrer-Policy"] = "no-referrer";
  r.headers["X-Frame-Options"] = "DENY";
  return r;
}

HttpServer::Handler Asset(std::string name) {
  return [name = std::move(name)](const HttpRequest&) {
    std::optional<std::string_view> bytes = FindWebAsset(name);
    if (!bytes) return WithPageHeaders(HttpResponse::Text(404, "not found\n"));
    HttpResponse r{200, std::string(ContentTypeForAsset(name)), std::string(*bytes), {}};
    // Assets change only with the binary; revalidating keeps an upgrade visible at once.
    r.headers["Cache-Control"] = "no-cache";
    return WithPageHeaders(std::move(r));
  };
}

}  // namespace

void MountWebChat(HttpServer& server, WebAdapter& adapter, InboundHandler handle) {
  server.Get("/", Asset("index.html"));
  server.Get("/web/static/chat.js", Asset("chat.js"));
  server.Get("/web/static/chat.css", Asset("chat.css"));
  auto dispatch = [&adapter, handle = std::move(handle)](const HttpRequest& req) {
    return WithPageHeaders(Dispatch(adapter, handle, req));
  };
  server.Post("/web/messages", dispatch);
  server.Post("/web/forms", dispatch);
  server.Post("/web/actions", dispatch);
  server.Get(
      "/web/feed",
      [&adapter](const HttpRequest& req) { return WithPageHeaders(adapter.Feed(req)); },
      RequestLogLevel::kDebugWhenOk);
}

void MountWebChat(HttpServer& server, WebAdapter& adapter, Engine& engine) {
  MountWebChat(server, adapter, [&engine](const Inbound& in) { return engine.Handle(in); });
}

}  // namespace lessonbook
