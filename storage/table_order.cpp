// ParentsFirst and SendOrder: table orders for copying a database between stores.
#include "storage/table_order.h"

#include <algorithm>

namespace lessonbook {

std::vector<std::string> ParentsFirst(const std::map<std::string, std::set<std::string>>& parents) {
  std::vector<std::string> order;
  std::set<std::string> pending;
  for (const auto& [table, refs] : parents) pending.insert(table);
  while (!pending.empty()) {
    bool progressed = false;
    for (auto it = pending.begin(); it != pending.end();) {
      bool ready = true;
      for (const std::string& parent : parents.at(*it)) {
        // A table referencing itself, or a table outside the set, does not hold it back.
        if (parent != *it && pending.count(parent)) ready = false;
      }
      if (!ready) {
        ++it;
        continue;
      }
      order.push_back(*it);
      it = pending.erase(it);
      progressed = true;
      break;  // restart from the smallest name, so ties go by name
    }
    if (!progressed) {  // a reference cycle: name order for the rest
      order.insert(order.end(), pending.begin(), pending.end());
      break;
    }
  }
  return order;
}

std::vector<std::string> SendOrder(const std::vector<std::string>& wanted,
                                   const std::vector<std::string>& own) {
  std::vector<std::string> order;
  for (const std::string& table : wanted) {
    if (std::find(own.begin(), own.end(), table) != own.end()) order.push_back(table);
  }
  for (const std::string& table : own) {
    if (std::find(order.begin(), order.end(), table) == order.end()) order.push_back(table);
  }
  return order;
}

}  // namespace lessonbook
