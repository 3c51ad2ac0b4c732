// Content codings on the HTTP front end (docs/protocols.md, "Compression"). A request body sent
// with `Content-Encoding: gzip|deflate` is inflated before any dialect sees it, bounded by the
// maximum input size while it inflates (a decompression bomb is a 413, never a memory spike);
// a response is compressed when the request's Accept-Encoding asks for it and the body is large
// enough to be worth it. Applied once, first thing in Router::Handle, so every route of every
// dialect (KServe v2 JSON and binary, TF Serving, TorchServe, /predict) gets both.
// Pure functions over the message; thread-safe.
#pragma once

#include <cstddef>
#include <memory>

#include "common/content_coding.h"
#include "frontend/http/http_message.h"

namespace inferd::frontend::http {

// Responses smaller than this are sent as they are: compressing them saves too little.
inline constexpr size_t kMinCompressedResponseSize = 1024;

// Decodes `request`'s body per its Content-Encoding (replacing `request` with the decoded copy,
// whose Inference-Header-Content-Length then refers to the decoded body, as Triton's does) and
// wraps `respond` so the response is encoded per Accept-Encoding. Returns false after answering
// through `respond` itself: 415 (with `Accept-Encoding: gzip, deflate`) for an unsupported coding,
// 413 when the decoded body exceeds `max_input_size`, 400 for corrupt data.
bool ApplyContentCoding(std::shared_ptr<const HttpRequest>& request, Respond& respond,
                        size_t max_input_size);

// Compresses `response`'s body with `coding` unless it is small, already encoded, or would not
// shrink; sets Content-Encoding, and Vary: Accept-Encoding on every body large enough to vary.
void EncodeResponse(HttpResponse& response, ContentCoding coding);

}  // namespace inferd::frontend::http
