#include "adapters/http/dispatch.h"

#include <string>

#include "bot/log.h"

namespace lessonbook {

int HttpStatusFor(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return 200;
    case Status::Code::kUnauthenticated:
      return 401;
    case Status::Code::kInvalidArgument:
      return 400;
    case Status::Code::kPermissionDenied:
      return 403;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kAlreadyExists:
      return 409;
    case Status::Code::kUnavailable:
      return 503;
    case Status::Code::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse RejectionResponse(const Status& status) {
  const int code = HttpStatusFor(status.code());
  if (code == 500) return HttpResponse::Text(500, "internal error\n");
  return HttpResponse::Text(code, status.message() + "\n");
}

HttpResponse Dispatch(Adapter& adapter, const InboundHandler& handle, const HttpRequest& req) {
  Result<Inbound> inbound = adapter.Parse(req);
  if (!inbound.ok()) {
    const Status status = inbound.status();
    const std::string event = std::string(PlatformName(adapter.platform())) + ".rejected";
    LogWarn(event, {{"rid", req.request_id},
                    {"path", req.path},
                    {"code", CodeName(status.code())},
                    {"reason", status.message()}});
    return RejectionResponse(status);
  }
  const Reply reply = handle(*inbound);
  return adapter.Render(*inbound, reply);
}

HttpResponse DispatchToEngine(Adapter& adapter, Engine& engine, const HttpRequest& req) {
  return Dispatch(
      adapter, [&engine](const Inbound& in) { return engine.Handle(in); }, req);
}

}  // namespace lessonbook
