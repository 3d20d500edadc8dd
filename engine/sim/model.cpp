// The one place that maps run.model to a model: adding a model is a case here and a value in the schema.
#include "sim/model.hpp"

#include "sim/exchange_model.hpp"
#include "society/society_model.hpp"

namespace civitas::sim {

std::unique_ptr<model> make_model(const io::scenario& s) {
  switch (s.model) {
    case io::model_kind::exchange: return std::make_unique<exchange_model>(s);
    case io::model_kind::society: return std::make_unique<society::society_model>(s);
  }
  return nullptr;
}

}  // namespace civitas::sim
