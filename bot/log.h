// Structured, one-line logs: `2026-11-23T13:04:05.123Z level=info event=http.request rid=… k=v`.
// Values with spaces or quotes are quoted. Secrets never go in a field: pass Redact(value).
// Thread-safety: every function may be called from any thread.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace lessonbook {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

struct LogField {
  std::string_view key;
  std::string value;
};

// Default: kInfo. LESSONBOOK_LOG_LEVEL sets it at start (debug|info|warn|error).
void SetLogLevel(LogLevel level);
bool ParseLogLevel(std::string_view name, LogLevel* out);

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});
inline void LogDebug(std::string_view e, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kDebug, e, f);
}
inline void LogInfo(std::string_view e, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kInfo, e, f);
}
inline void LogWarn(std::string_view e, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kWarn, e, f);
}
inline void LogError(std::string_view e, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kError, e, f);
}

// Formats the line Log would write (without the timestamp); for tests.
std::string FormatLogFields(std::string_view event, std::initializer_list<LogField> fields);

// "****" plus the last 4 characters when the value is long enough to keep them; "" stays "".
std::string Redact(std::string_view secret);

}  // namespace lessonbook
