// Configure-time probe: XNNPACK's header, library and thread pool link and initialise.
#include <pthreadpool.h>
#include <xnnpack.h>

int main() {
  if (xnn_initialize(nullptr) != xnn_status_success) return 1;
  pthreadpool_t pool = pthreadpool_create(1);
  if (pool == nullptr) return 2;
  pthreadpool_destroy(pool);
  return 0;
}
