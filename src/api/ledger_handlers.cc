// The ledger's read API (API.md): the latest checkpoint, the C2SP tlog-tiles
// layout, tlog-proof files and the verifier key, exactly as `cloison ledger
// export` and `proof` write them, so `cloison verify --url` and any C2SP
// client read the same bytes.
#include <charconv>

#include "api/api.h"
#include "ledger/note.h"
#include "ledger/tiles.h"

namespace cloison::api {
namespace {

Status NoQuery(const Call& c) {
  if (c.query.empty()) return Status::Ok();
  return Status::InvalidArgument("query: unknown parameter \"" + c.query.begin()->first + "\"");
}

HttpResponse Text(std::string body, std::string_view content_type, std::string_view cache) {
  HttpResponse r;
  r.status = 200;
  r.content_type = std::string(content_type);
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", std::string(cache));
  return r;
}

}  // namespace

Result<HttpResponse> Api::LedgerCheckpoint(const Call& c) {
  RETURN_IF_ERROR(NoQuery(c));
  // The latest signed checkpoint; the first one is issued on first demand
  // (the server also issues them on an interval).
  auto note = options_.ledger->LatestCheckpoint();
  if (!note.ok() && note.status().code() == Code::kNotFound) note = options_.ledger->IssueCheckpoint();
  if (!note.ok()) return note.status();
  return Text(std::move(*note), "text/plain; charset=utf-8", "no-store");
}

Result<HttpResponse> Api::LedgerTile(const Call& c) {
  RETURN_IF_ERROR(NoQuery(c));
  ASSIGN_OR_RETURN(ledger::TileId id, ledger::ParseTilePath("tile/" + c.param("path")));
  ASSIGN_OR_RETURN(std::string data, options_.ledger->Tile(id));
  // A full tile never changes (tlog-tiles); a partial one grows into another path.
  return Text(std::move(data), "application/octet-stream",
              id.width == ledger::kTileWidth ? "public, max-age=31536000, immutable" : "no-cache");
}

Result<HttpResponse> Api::LedgerProof(const Call& c) {
  RETURN_IF_ERROR(NoQuery(c));
  const std::string& text = c.param("index");
  uint64_t index = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (ec != std::errc() || end != text.data() + text.size() || (text.size() > 1 && text[0] == '0'))
    return Status::InvalidArgument("index: got \"" + text + "\", want a decimal entry index");
  ASSIGN_OR_RETURN(std::string proof, options_.ledger->Proof(index));
  return Text(std::move(proof), "text/plain; charset=utf-8", "no-store");
}

Result<HttpResponse> Api::LedgerKey(const Call& c) {
  RETURN_IF_ERROR(NoQuery(c));
  return Text(ledger::FormatVerifierKey(options_.ledger->verifier()) + "\n",
              "text/plain; charset=utf-8", "public, max-age=3600");
}

}  // namespace cloison::api
