// Value alignment (cosine similarity) (docs/domain.md §6).
//
// alignment(a, b) = a.b / (|a| |b|), in [-1, 1]; defined as 0 when either vector is zero (no stated values
// align with nothing, rather than producing NaN). The batch form scores every row of an N x K row-major
// matrix against one K-vector with the same arithmetic as the single form, so the two agree bit for bit.
//
// (Total value is not here: it is financial value plus the social impact SI = C x S/E that se_ratio.hpp
// computes from an organisation's social spend C; the society sums it, docs/ODD.md "Social value".)
#pragma once

#include <Eigen/Core>
#include <span>

namespace civitas::scoring {

using row_major_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Sizes must match (civitas::input_error otherwise).
double alignment(const Eigen::Ref<const Eigen::VectorXd>& a, const Eigen::Ref<const Eigen::VectorXd>& b);
double alignment(std::span<const double> a, std::span<const double> b);

// Element i is alignment(rows.row(i), v). rows.cols() must equal v.size() (civitas::input_error otherwise).
Eigen::VectorXd alignment_rows(const Eigen::Ref<const row_major_matrix>& rows,
                               const Eigen::Ref<const Eigen::VectorXd>& v);

}  // namespace civitas::scoring
