// Engine: the platform-neutral conversation engine. It turns an Inbound (a command, a message, a
// form, a button) into a Reply and outbox rows, reading and writing only through the Store.
//
// An acknowledged write is durable: every change is committed before Handle returns.
// Thread-safety: Handle may be called from many threads at once (the Store serialises writes).
#pragma once

#include <cstddef>
#include <string>

#include <map>
#include <memory>

#include "bot/book_link.h"
#include "bot/clock.h"
#include "bot/domain.h"
#include "bot/inbound.h"
#include "bot/message.h"

namespace lessonbook {

class Directory;
class Store;
struct QuestionSet;
using QuestionSets = std::map<std::string, QuestionSet>;

struct EngineOptions {
  // Default: 5. Search answers show this many lessons.
  int search_page_size = 5;
  // Default: 12000. Longest lesson text accepted, in bytes.
  std::size_t max_lesson_bytes = 12000;
  // Default: none. LESSONBOOK_PUBLIC_URL, for links to the Book of Learning.
  std::string public_url;
  // Default: no key. Signed links for `book` and `export`.
  BookLinkOptions book_links;
  // Default: the question sets compiled in (prompts/). Serve loads LESSONBOOK_PROMPTS_DIR.
  std::shared_ptr<const QuestionSets> question_sets;
};

class Engine {
 public:
  Engine(Store& store, const Clock& clock, EngineOptions options = {});
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Handles one inbound event and returns the immediate answer.
  Reply Handle(const Inbound& in);

  // Who is in a channel, for `with:#channel`. REQUIRES: called before Handle; the directory
  // outlives the engine. Default: none (a channel in with: is then refused with a message).
  void SetDirectory(Platform platform, Directory* directory) { directories_[platform] = directory; }

 private:
  Store& store_;
  const Clock& clock_;
  EngineOptions options_;
  std::map<Platform, Directory*> directories_;
};

}  // namespace lessonbook
