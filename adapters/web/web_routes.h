// The web chat's routes on an HttpServer:
//   GET  /                       the chat page (index.html)
//   GET  /web/static/chat.js     script
//   GET  /web/static/chat.css    style sheet
//   POST /web/messages, /web/forms, /web/actions   -> adapter.Parse, the engine, adapter.Render
//   GET  /web/feed?channel=web:general&after=N      -> the channel's shared messages
// Every answer carries a strict Content-Security-Policy (no inline script or style, nothing
// from other origins). REQUIRES: called before server.Run(); the adapter and the engine
// outlive the server.
#pragma once

#include "adapters/http/dispatch.h"
#include "adapters/http/server.h"
#include "adapters/web/web_adapter.h"
#include "bot/engine.h"

namespace lessonbook {

inline constexpr const char* kWebContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void MountWebChat(HttpServer& server, WebAdapter& adapter, Engine& engine);
// The same with the engine as a function (tests).
void MountWebChat(HttpServer& server, WebAdapter& adapter, InboundHandler handle);

}  // namespace lessonbook
