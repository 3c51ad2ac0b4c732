// Triton's logging and trace extensions over REST:
//   GET/POST /v2/logging        {"log_file","log_info","log_warning","log_error",
//                                "log_verbose_level","log_format"} (common/logging.h)
//   GET/POST /v2/trace/setting  {"trace_file","trace_level":["TIMESTAMPS"|"OFF"],"trace_rate",
//                                "trace_count"} (metrics/request_trace.h); numbers are answered
//                                as strings, as Triton does, and accepted as strings or numbers.
// A POST changes only the settings present in its body and answers the resulting settings; a
// bad body or value is 400 and changes nothing. Thread-safe.
#pragma once

#include <string_view>

#include "frontend/http/http_message.h"
#include "metrics/request_trace.h"

namespace inferd::frontend::http {

HttpResponse HandleLoggingGet();
HttpResponse HandleLoggingPost(std::string_view body);
// `tracer` null: tracing is not available (404).
HttpResponse HandleTraceGet(const metrics::Tracer* tracer);
HttpResponse HandleTracePost(metrics::Tracer* tracer, std::string_view body);

}  // namespace inferd::frontend::http
