// Names of the Store's evidence kinds (storage/store.h).
#include "storage/store.h"

namespace lessonbook {

const char* EvidenceKindName(EvidenceKind k) {
  return k == EvidenceKind::kConfirms ? "confirms" : "contradicts";
}

}  // namespace lessonbook
