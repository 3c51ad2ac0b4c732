#include "server/serve.h"

#include "server/process_tuning.h"
#include "server/server.h"

namespace inferd::server {

int RunServe(const ServeOptions& options) {
  TuneMallocForLargeMessages();
  DisableDeadlockDetectionInRelease();
  Server server(options);
  return server.Run();
}

}  // namespace inferd::server
