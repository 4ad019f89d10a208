// `book` and `export md|csv|jsonl [filters]`: answers with a personal, signed link (bot/
// book_link.h) to the workspace's Book of Learning page or to an export file. The answer is
// private (Visibility::kPrivate: ephemeral in Slack, the 1:1 chat in Teams). Admins may export
// everything; members export what a search returns, so they must give words or filters.
// Pure functions of their inputs (no store, no HTTP).
#pragma once

#include <string>

#include "bot/book_link.h"
#include "bot/command_parser.h"
#include "bot/domain.h"
#include "bot/message.h"

namespace lessonbook {

// The path of the Book page and of export downloads on the server.
inline constexpr const char* kBookPath = "/book";
inline constexpr const char* kBookExportPath = "/book/export";

Message BookLinkReply(const BookLinkOptions& options, const Workspace& ws,
                      const std::string& user_id, Time now);

Message ExportLinkReply(const BookLinkOptions& options, const Workspace& ws,
                        const std::string& user_id, bool is_admin, const ExportCommand& command,
                        Time now);

// True when an export of these filters is everything (no words, no filter): admins only.
bool ExportsEverything(const SearchCommand& search);

}  // namespace lessonbook
