// Dispatch: the one path every platform request takes — adapter.Parse (verify, translate),
// the engine, adapter.Render — with a rejected request mapped to its HTTP status.
// Thread-safety: as safe as the adapter and the engine (both are called from worker threads).
#pragma once

#include <functional>

#include "adapters/adapter.h"
#include "bot/engine.h"
#include "bot/status.h"

namespace lessonbook {

// The engine as a function, so dispatch is tested without a store.
using InboundHandler = std::function<Reply(const Inbound&)>;

// The HTTP status for a rejected request: Unauthenticated 401, InvalidArgument 400,
// PermissionDenied 403, NotFound 404, AlreadyExists 409, Unavailable 503, anything else 500.
int HttpStatusFor(Status::Code code);

// A short text answer for a rejected request. Internal errors do not show their message.
HttpResponse RejectionResponse(const Status& status);

// Parses with the adapter, hands the Inbound to the engine and renders its Reply. A request the
// adapter rejects never reaches the engine: it gets RejectionResponse and a warn log line
// "<platform>.rejected" with the reason.
HttpResponse DispatchToEngine(Adapter& adapter, Engine& engine, const HttpRequest& req);
HttpResponse Dispatch(Adapter& adapter, const InboundHandler& handle, const HttpRequest& req);

}  // namespace lessonbook
