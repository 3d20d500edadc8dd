#include "ledger/record.hpp"

namespace civitas::ledger {

const char* reason_name(std::uint16_t code) {
  switch (static_cast<reason>(code)) {
    case reason::none: return "none";
    case reason::endowment: return "endowment";
    case reason::exchange: return "exchange";
    case reason::gift: return "gift";
    case reason::wage: return "wage";
    case reason::income_tax: return "income_tax";
    case reason::purchase: return "purchase";
    case reason::input_purchase: return "input_purchase";
    case reason::csr: return "csr";
    case reason::donation: return "donation";
    case reason::service: return "service";
    case reason::data_tax: return "data_tax";
    case reason::welfare: return "welfare";
    case reason::deed_backing: return "deed_backing";
    case reason::good_deed: return "good_deed";
    case reason::sell_value: return "sell_value";
    case reason::exchange_payout: return "exchange_payout";
    case reason::procurement: return "procurement";
    case reason::social_value: return "social_value";
    case reason::tax_relief: return "tax_relief";
    case reason::credit_reward: return "credit_reward";
    case reason::credit_penalty: return "credit_penalty";
    case reason::credit_review: return "credit_review";
    case reason::credit_rebate: return "credit_rebate";
    case reason::daf_levy: return "daf_levy";
    case reason::daf_grant: return "daf_grant";
    case reason::daf_contribution: return "daf_contribution";
    case reason::alliance_issue: return "alliance_issue";
    case reason::alliance_credit: return "alliance_credit";
    case reason::alliance_redeem: return "alliance_redeem";
    case reason::alliance_burn: return "alliance_burn";
    case reason::alliance_clearing: return "alliance_clearing";
    case reason::alliance_clawback: return "alliance_clawback";
  }
  return "unknown";
}

const char* status_name(status s) {
  switch (s) {
    case status::applied: return "applied";
    case status::insufficient_funds: return "insufficient_funds";
    case status::frozen_account: return "frozen_account";
    case status::unauthorised_mint: return "unauthorised_mint";
    case status::unauthorised_burn: return "unauthorised_burn";
    case status::token_mismatch: return "token_mismatch";
    case status::not_owner: return "not_owner";
    case status::linked_failed: return "linked_failed";
    case status::invalid_amount: return "invalid_amount";
    case status::unknown_account: return "unknown_account";
    case status::same_account: return "same_account";
  }
  return "unknown";
}

}  // namespace civitas::ledger
