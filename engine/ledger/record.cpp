#include "ledger/record.hpp"

namespace civitas::ledger {

const char* status_name(status s) {
  switch (s) {
    case status::applied:
      return "applied";
    case status::insufficient_funds:
      return "insufficient_funds";
    case status::frozen_account:
      return "frozen_account";
    case status::unauthorised_mint:
      return "unauthorised_mint";
    case status::unauthorised_burn:
      return "unauthorised_burn";
    case status::token_mismatch:
      return "token_mismatch";
    case status::not_owner:
      return "not_owner";
    case status::linked_failed:
      return "linked_failed";
    case status::invalid_amount:
      return "invalid_amount";
    case status::unknown_account:
      return "unknown_account";
    case status::same_account:
      return "same_account";
  }
  return "unknown";
}

}  // namespace civitas::ledger
