// HTTP content codings (RFC 9110 §8.4): gzip and deflate over zlib, and the header grammar that
// selects them (Content-Encoding of a request, Accept-Encoding with q-values for a response).
// Shared by the HTTP front end and the client library. Pure functions, thread-safe.
//
// Decoding is bounded: the output never grows past `max_size` (a gzip "bomb" — a kilobyte that
// inflates to gigabytes — stops with ResourceExhausted once the limit is crossed, having used at
// most `max_size` bytes and the time to inflate that much).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace inferd {

enum class ContentCoding { kIdentity, kGzip, kDeflate };

// "identity", "gzip", "deflate": the token as it appears in HTTP headers.
const char* ContentCodingName(ContentCoding coding);

// The coding a request's Content-Encoding names: absent/empty and "identity" are kIdentity;
// "gzip" (and its alias "x-gzip") and "deflate" are case-insensitive. nullopt for anything else,
// including a list of codings (the server answers 415 Unsupported Media Type).
std::optional<ContentCoding> ParseContentEncoding(std::string_view header);

// The coding to answer with, given a request's Accept-Encoding: the acceptable coding (q > 0)
// with the highest q-value, the first listed on a tie; "*" stands for gzip when gzip is not
// named. kIdentity when the header is absent or names nothing we support. Malformed entries
// (a q-value that is not a number in [0, 1]) are skipped.
ContentCoding NegotiateAcceptEncoding(std::string_view header);

// Inflates `data` encoded with `coding`. gzip may have several members (RFC 1952); "deflate" is
// the zlib format (RFC 1950), and raw deflate (RFC 1951, sent by some clients) is accepted too.
// ResourceExhausted as soon as the output would exceed `max_size`; InvalidArgument for corrupt,
// truncated or trailing data. kIdentity returns `data` unchanged (still bounded by `max_size`).
StatusOr<std::string> DecodeContent(ContentCoding coding, std::string_view data, size_t max_size);

// Compresses `data` with `coding` at zlib `level` (1 fastest .. 9 smallest; -1 zlib's default).
// kIdentity returns `data` unchanged.
StatusOr<std::string> EncodeContent(ContentCoding coding, std::string_view data, int level = 1);

}  // namespace inferd
