#include "common/content_coding.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace inferd {
namespace {

constexpr size_t kFirstOutput = size_t{64} << 10;
constexpr size_t kMaxChunk = size_t{1} << 30;  // z_stream counts are 32-bit

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return absl::ascii_tolower(static_cast<unsigned char>(x)) ==
                  absl::ascii_tolower(static_cast<unsigned char>(y));
         });
}

bool IsGzipToken(std::string_view token) {
  return EqualsIgnoreCase(token, "gzip") || EqualsIgnoreCase(token, "x-gzip");
}

// RFC 9110 §12.4.2 weight: "q=" followed by a number in [0, 1]; nullopt when malformed.
std::optional<double> ParseQuality(std::string_view params) {
  double q = 1.0;
  while (!params.empty()) {
    const size_t semi = params.find(';');
    const std::string_view param = Trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') continue;
    const std::string_view value = param.substr(2);
    const auto parsed = std::from_chars(value.data(), value.data() + value.size(), q);
    if (value.empty() || parsed.ec != std::errc() || parsed.ptr != value.data() + value.size() ||
        !(q >= 0.0 && q <= 1.0)) {
      return std::nullopt;
    }
  }
  return q;
}

// The zlib format starts with a CMF/FLG pair whose 16-bit value is a multiple of 31 and whose
// method is 8 (deflate); raw deflate data almost never does.
bool LooksLikeZlib(std::string_view data) {
  if (data.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(data[0]);
  const auto flg = static_cast<unsigned char>(data[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
}

bool StartsWithGzipMagic(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

Status TooLarge(size_t max_size) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "the decompressed request body exceeds the maximum input size (", max_size, " bytes)"));
}

// Deflate's best case is ~1032:1, so no valid body inflates to more than this.
size_t MaxInflatedSize(size_t compressed) { return compressed * 1032 + 1024; }

// The ISIZE field of the last gzip member (its length modulo 2^32); nullopt if too short.
std::optional<size_t> GzipTrailerSize(std::string_view data) {
  if (data.size() < 18) return std::nullopt;
  const auto* tail = reinterpret_cast<const unsigned char*>(data.data() + data.size() - 4);
  return tail[0] | (tail[1] << 8) | (tail[2] << 16) | (size_t{tail[3]} << 24);
}

// A first output size: the gzip trailer's ISIZE when present (only a hint: the limit is enforced
// on what inflate really produces), else a few times the input; never more than deflate could
// produce from this input, so a lying trailer cannot make us reserve memory for nothing.
size_t InitialOutputSize(ContentCoding coding, std::string_view data, size_t max_size) {
  size_t guess = std::max(kFirstOutput, data.size() * 4);
  if (coding == ContentCoding::kGzip) guess = GzipTrailerSize(data).value_or(guess);
  return std::min({guess, MaxInflatedSize(data.size()), max_size + 1});
}

struct InflateEnd {
  void operator()(z_stream* z) const { inflateEnd(z); }
};
struct DeflateEnd {
  void operator()(z_stream* z) const { deflateEnd(z); }
};

// Inflates with at most max_size + 1 bytes of output space: filling the last byte proves the
// body is too large without inflating any further.
StatusOr<std::string> Inflate(ContentCoding coding, std::string_view data, size_t max_size) {
  const bool gzip = coding == ContentCoding::kGzip;
  const int window_bits = gzip ? 15 + 16 : (LooksLikeZlib(data) ? 15 : -15);
  z_stream z{};
  if (inflateInit2(&z, window_bits) != Z_OK) {
    return absl::InternalError("cannot initialise zlib's inflate");
  }
  std::unique_ptr<z_stream, InflateEnd> guard(&z);
  std::string out(InitialOutputSize(coding, data, max_size), '\0');
  size_t produced = 0;
  size_t consumed = 0;
  while (true) {
    if (produced == out.size()) {
      if (out.size() > max_size) return TooLarge(max_size);
      out.resize(std::min(std::max(out.size() * 2, kFirstOutput), max_size + 1));
    }
    if (z.avail_in == 0 && consumed < data.size()) {
      const size_t chunk = std::min(data.size() - consumed, kMaxChunk);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
      z.avail_in = static_cast<uInt>(chunk);
      consumed += chunk;
    }
    const size_t space = std::min(out.size() - produced, kMaxChunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = static_cast<uInt>(space);
    const int rc = inflate(&z, Z_NO_FLUSH);
    produced += space - z.avail_out;
    if (produced > max_size) return TooLarge(max_size);
    if (rc == Z_STREAM_END) {
      const std::string_view rest = data.substr(consumed - z.avail_in);
      if (rest.empty()) break;
      if (gzip && StartsWithGzipMagic(rest)) {  // another gzip member follows
        inflateReset(&z);
        continue;
      }
      return absl::InvalidArgumentError(absl::StrCat("the ", ContentCodingName(coding),
                                                     " request body has ", rest.size(),
                                                     " bytes of trailing data after its end"));
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0 && consumed == data.size() && z.avail_out > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("the ", ContentCodingName(coding), " request body is truncated"));
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      const std::string reason = z.msg != nullptr ? z.msg : absl::StrCat("zlib error ", rc);
      return absl::InvalidArgumentError(absl::StrCat("the request body is not valid ",
                                                     ContentCodingName(coding), " data: ", reason));
    }
  }
  out.resize(produced);
  return out;
}

}  // namespace

const char* ContentCodingName(ContentCoding coding) {
  switch (coding) {
    case ContentCoding::kGzip:
      return "gzip";
    case ContentCoding::kDeflate:
      return "deflate";
    case ContentCoding::kIdentity:
      break;
  }
  return "identity";
}

std::optional<ContentCoding> ParseContentEncoding(std::string_view header) {
  const std::string_view token = Trim(header);
  if (token.empty() || EqualsIgnoreCase(token, "identity")) return ContentCoding::kIdentity;
  if (IsGzipToken(token)) return ContentCoding::kGzip;
  if (EqualsIgnoreCase(token, "deflate")) return ContentCoding::kDeflate;
  return std::nullopt;
}

ContentCoding NegotiateAcceptEncoding(std::string_view header) {
  struct Weight {
    double q = -1;  // -1 = not named
    size_t position = 0;
  };
  Weight gzip, deflate, identity, star;
  size_t position = 0;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    const std::string_view element = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const size_t semi = element.find(';');
    const std::string_view token = Trim(element.substr(0, semi));
    const auto q = ParseQuality(semi == std::string_view::npos ? "" : element.substr(semi + 1));
    if (token.empty() || !q.has_value()) continue;
    Weight* slot = IsGzipToken(token)                    ? &gzip
                   : EqualsIgnoreCase(token, "deflate")  ? &deflate
                   : EqualsIgnoreCase(token, "identity") ? &identity
                   : token == "*"                        ? &star
                                                         : nullptr;
    if (slot != nullptr && slot->q < 0) *slot = Weight{*q, position};
    ++position;
  }
  if (gzip.q < 0) gzip = star;  // "*" covers every coding not named
  if (deflate.q < 0) deflate = star;
  ContentCoding best = ContentCoding::kIdentity;
  Weight best_weight = identity.q < 0 ? Weight{0, position} : identity;
  for (const auto& [coding, weight] :
       {std::pair{ContentCoding::kGzip, gzip}, std::pair{ContentCoding::kDeflate, deflate}}) {
    if (weight.q <= 0) continue;
    if (weight.q > best_weight.q ||
        (weight.q == best_weight.q && weight.position < best_weight.position)) {
      best = coding;
      best_weight = weight;
    }
  }
  return best;
}

StatusOr<std::string> DecodeContent(ContentCoding coding, std::string_view data, size_t max_size) {
  if (coding == ContentCoding::kIdentity) {
    if (data.size() > max_size) return TooLarge(max_size);
    return std::string(data);
  }
  if (data.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", ContentCodingName(coding), " request body is empty"));
  }
  // A gzip body declares its length at the end: one that plausibly declares more than the limit
  // is refused before inflating anything (a valid body's ISIZE is exact modulo 2^32, which only
  // understates; a corrupt body's random trailer is rarely plausible, and is refused either way).
  if (coding == ContentCoding::kGzip) {
    const size_t declared = GzipTrailerSize(data).value_or(0);
    if (declared > max_size && declared <= MaxInflatedSize(data.size())) return TooLarge(max_size);
  }
  return Inflate(coding, data, max_size);
}

StatusOr<std::string> EncodeContent(ContentCoding coding, std::string_view data, int level) {
  if (coding == ContentCoding::kIdentity) return std::string(data);
  z_stream z{};
  const int window_bits = coding == ContentCoding::kGzip ? 15 + 16 : 15;
  if (deflateInit2(&z, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return absl::InternalError("cannot initialise zlib's deflate");
  }
  std::unique_ptr<z_stream, DeflateEnd> guard(&z);
  std::string out(deflateBound(&z, data.size()), '\0');
  size_t consumed = 0;
  size_t produced = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (z.avail_in == 0 && consumed < data.size()) {
      const size_t chunk = std::min(data.size() - consumed, kMaxChunk);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
      z.avail_in = static_cast<uInt>(chunk);
      consumed += chunk;
    }
    if (produced == out.size()) out.resize(out.size() * 2 + 64);
    const size_t space = std::min(out.size() - produced, kMaxChunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = static_cast<uInt>(space);
    rc = deflate(&z, consumed == data.size() ? Z_FINISH : Z_NO_FLUSH);
    produced += space - z.avail_out;
    if (rc == Z_STREAM_ERROR) return absl::InternalError("zlib's deflate failed");
  }
  out.resize(produced);
  return out;
}

}  // namespace inferd
