#include "bot/digest_commands.h"

#include "bot/local_time.h"
#include "bot/log.h"
#include "bot/replies.h"
#include "bot/weekly_time.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

std::string When(const DigestSubscription& s) {
  return std::string(WeekdayName(s.weekday)) + " at " + FormatClock(s.minute_of_day) + " (" +
         s.timezone + ")";
}

Message Info(std::string text) {
  Message m;
  m.text = std::move(text);
  return m;
}

Message Subscribe(Store& store, const Inbound& in, const Workspace& ws, Time now,
                  const DigestCommand& c) {
  DigestSubscription s;
  s.workspace_id = ws.id;
  s.platform = in.platform;
  s.channel_id = in.channel_id;
  s.target = in.channel_target.empty() ? in.reply_to : in.channel_target;
  s.weekday = c.weekday == 0 ? 1 : c.weekday;
  s.minute_of_day = c.minute_of_day < 0 ? 9 * 60 : c.minute_of_day;
  s.timezone = c.timezone.empty() ? ws.timezone : c.timezone;
  s.created_by = in.user_id;
  s.created_at = now;
  if (s.channel_id.empty() || s.target.empty()) {
    return ErrorReply("Subscribe from the channel that should get the digest.");
  }
  if (!IsKnownTimezone(s.timezone)) {
    return ErrorReply("\"" + s.timezone + "\" is not a timezone I know; use an IANA name such as "
                      "Europe/Berlin, America/New_York or UTC.");
  }
  auto added = store.AddDigestSubscription(s);
  if (!added.ok()) {
    if (added.status().code() == Status::Code::kAlreadyExists) {
      auto subs = store.ListDigestSubscriptions(ws.id);
      for (const auto& existing : subs.ok() ? *subs : std::vector<DigestSubscription>{}) {
        if (existing.channel_id == s.channel_id) {
          return ErrorReply("This channel already gets the digest every " + When(existing) +
                            ". To change it: digest unsubscribe, then digest subscribe again.");
        }
      }
      return ErrorReply("This channel already gets the digest.");
    }
    LogError("digest.subscribe_failed", {{"error", added.status().ToString()}});
    return ErrorReply("Could not save the subscription; please try again.");
  }
  auto due = WeeklyTimeInWeekOf(now, s.weekday, s.minute_of_day, s.timezone);
  if (due.ok() && *due <= now) {
    due = WeeklyTimeInWeekOf(now + std::chrono::hours(24 * 7), s.weekday, s.minute_of_day,
                             s.timezone);
  }
  std::string next = due.ok() ? " The first one comes " + FormatLocalDate(*due, s.timezone) + "." : "";
  Message m = Info("Subscribed: this channel gets the Lessonbook digest every " + When(*added) +
                   "." + next + " Preview it now with digest preview.");
  return m;
}

}  // namespace

Message RunDigestCommand(Store& store, const Inbound& in, const Workspace& ws, Time now,
                         const DigestCommand& c, const DigestOptions& options) {
  switch (c.action) {
    case DigestCommand::Action::kSubscribe:
      return Subscribe(store, in, ws, now, c);
    case DigestCommand::Action::kUnsubscribe: {
      Status s = store.RemoveDigestSubscription(ws.id, in.channel_id);
      if (s.code() == Status::Code::kNotFound) {
        return ErrorReply("This channel does not get the digest, so there is nothing to stop. "
                          "digest list shows the channels that do.");
      }
      if (!s.ok()) return ErrorReply("Could not unsubscribe; please try again.");
      return Info("Unsubscribed: this channel no longer gets the weekly digest.");
    }
    case DigestCommand::Action::kPreview: {
      // The last seven days, this second included.
      auto d = BuildDigest(store, ws, now - std::chrono::hours(24 * 7), now + std::chrono::seconds(1),
                           options, std::chrono::seconds(0));
      if (!d.ok()) return ErrorReply("Could not build the preview; please try again.");
      Message m = d->message;
      m.visibility = Visibility::kPrivate;
      m.text = "Preview (only you see this) — " + m.text;
      return m;
    }
    case DigestCommand::Action::kList: {
      auto subs = store.ListDigestSubscriptions(ws.id);
      if (!subs.ok()) return ErrorReply("Could not read the subscriptions; please try again.");
      if (subs->empty()) {
        return Info("No channel gets the weekly digest yet. In a channel, type digest subscribe "
                    "(Monday 09:00 by default) or e.g. digest subscribe friday 16:00 Europe/Berlin.");
      }
      Message m = Info(std::to_string(subs->size()) +
                       (subs->size() == 1 ? " channel gets" : " channels get") +
                       " the weekly digest:");
      Section s;
      for (const auto& sub : *subs) {
        if (!s.text.empty()) s.text.push_back(Plain("\n"));
        s.text.push_back(Strong(sub.channel_id));
        s.text.push_back(Plain(" — every " + When(sub)));
      }
      m.sections.push_back(std::move(s));
      return m;
    }
  }
  return ErrorReply("Unknown digest command.");
}

}  // namespace lessonbook
