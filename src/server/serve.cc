#include "server/serve.h"

#include "server/server.h"

namespace inferd::server {

int RunServe(const ServeOptions& options) {
  Server server(options);
  return server.Run();
}

}  // namespace inferd::server
