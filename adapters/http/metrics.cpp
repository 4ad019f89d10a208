#include "adapters/http/metrics.h"

#include <charconv>
#include <cmath>
#include <iterator>

namespace lessonbook {
namespace {

constexpr std::string_view kRequestsTotal = "lessonbook_http_requests_total";
constexpr std::string_view kDuration = "lessonbook_http_request_duration_seconds";
constexpr std::size_t kBucketCount = std::size(kHttpDurationBuckets);

// HELP text escapes only backslash and newline.
std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void AppendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += EscapeHelp(help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void AppendSample(std::string& out, std::string_view name, std::string_view labels, double value) {
  out += name;
  out += labels;
  out += ' ';
  out += FormatMetricValue(value);
  out += '\n';
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FormatLabels(const MetricLabels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += "=\"";
    out += EscapeLabelValue(value);
    out += '"';
  }
  out += '}';
  return out;
}

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, end);
}

std::string RenderGauge(std::string_view name, std::string_view help, double value) {
  std::string out;
  AppendHeader(out, name, help, "gauge");
  AppendSample(out, name, "", value);
  return out;
}

void Metrics::RecordRequest(std::string_view route, std::string_view method, int status,
                            double seconds) {
  if (!(seconds >= 0)) seconds = 0;  // also catches NaN
  const std::string labels = FormatLabels({{"route", std::string(route)},
                                           {"method", std::string(method)},
                                           {"status", std::to_string(status)}});
  std::lock_guard<std::mutex> lock(mu_);
  auto it = families_.find(kRequestsTotal);
  if (it == families_.end()) {
    it = families_
             .emplace(
                 std::string(kRequestsTotal),
                 Family{
                     "HTTP requests answered, by route pattern, method and status.", "counter", {}})
             .first;
  }
  it->second.values[labels] += 1;

  Histogram& h = durations_[{std::string(route), std::string(method)}];
  if (h.buckets.empty()) h.buckets.assign(kBucketCount, 0);
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    if (seconds <= kHttpDurationBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::AddCounter(std::string_view name, std::string_view help, const MetricLabels& labels,
                         double delta) {
  if (!(delta >= 0)) return;  // counters only go up
  const std::string rendered = FormatLabels(labels);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{std::string(help), "counter", {}}).first;
  }
  it->second.values[rendered] += delta;
}

void Metrics::SetGauge(std::string_view name, std::string_view help, const MetricLabels& labels,
                       double value) {
  const std::string rendered = FormatLabels(labels);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{std::string(help), "gauge", {}}).first;
  }
  it->second.values[rendered] = value;
}

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, family] : families_) {
    AppendHeader(out, name, family.help, family.type);
    for (const auto& [labels, value] : family.values) AppendSample(out, name, labels, value);
  }
  if (!durations_.empty()) {
    AppendHeader(out, kDuration, "Time from request routing to response, in seconds.", "histogram");
    const std::string bucket_name = std::string(kDuration) + "_bucket";
    for (const auto& [key, h] : durations_) {
      const MetricLabels base = {{"route", key.first}, {"method", key.second}};
      for (std::size_t i = 0; i <= kBucketCount; ++i) {
        MetricLabels labels = base;
        labels.emplace_back("le", i < kBucketCount ? FormatMetricValue(kHttpDurationBuckets[i])
                                                   : std::string("+Inf"));
        const double n = static_cast<double>(i < kBucketCount ? h.buckets[i] : h.count);
        AppendSample(out, bucket_name, FormatLabels(labels), n);
      }
      const std::string labels = FormatLabels(base);
      AppendSample(out, std::string(kDuration) + "_sum", labels, h.sum);
      AppendSample(out, std::string(kDuration) + "_count", labels, static_cast<double>(h.count));
    }
  }
  return out;
}

}  // namespace lessonbook
