#include "scoring/alignment.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace civitas::scoring {
namespace {
void check_sizes(Eigen::Index a, Eigen::Index b) {
  if (a != b)
    throw input_error("alignment: value vectors differ in length (" + std::to_string(a) + " and " +
                      std::to_string(b) + ")");
}

// One kernel for every form: a plain loop that sums in index order. Eigen's vectorised dot() would start its
// packets wherever the data happens to be aligned, so the same numbers could round differently in a matrix
// row and in a standalone vector; this loop gives one answer for one set of numbers wherever they live.
// sqrt(|a|^2 |b|^2) rather than |a| |b|: one rounding fewer, so a small integer vector with itself gives
// exactly 1. The clamp absorbs the last-bit error that remains.
double cosine(const double* a, const double* b, Eigen::Index n) {
  double ab = 0, aa = 0, bb = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  if (aa == 0 || bb == 0) return 0.0;
  // Very large or very small vectors can overflow or underflow the product; take the roots apart then.
  const double product = aa * bb;
  const double norms =
      std::isfinite(product) && product > 0 ? std::sqrt(product) : std::sqrt(aa) * std::sqrt(bb);
  return std::clamp(ab / norms, -1.0, 1.0);
}
}  // namespace

double alignment(const Eigen::Ref<const Eigen::VectorXd>& a, const Eigen::Ref<const Eigen::VectorXd>& b) {
  check_sizes(a.size(), b.size());
  return cosine(a.data(), b.data(), a.size());
}

double alignment(std::span<const double> a, std::span<const double> b) {
  const auto n = static_cast<Eigen::Index>(a.size());
  check_sizes(n, static_cast<Eigen::Index>(b.size()));
  return cosine(a.data(), b.data(), n);
}

Eigen::VectorXd alignment_rows(const Eigen::Ref<const row_major_matrix>& rows,
                               const Eigen::Ref<const Eigen::VectorXd>& v) {
  check_sizes(rows.cols(), v.size());
  Eigen::VectorXd out(rows.rows());
  // Row by row through the single-vector kernel (not rows * v) so batch and single results are identical.
  // Rows of a row-major Ref are contiguous: row i starts at data() + i * outerStride().
  for (Eigen::Index i = 0; i < rows.rows(); ++i)
    out[i] = cosine(rows.data() + i * rows.outerStride(), v.data(), v.size());
  return out;
}

}  // namespace civitas::scoring
