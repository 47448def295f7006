#pragma once
// Order statistics for the bench's samples.

#include <vector>

namespace tether::bench {

/// The nearest-rank percentile (0 < fraction <= 1) of `samples`, e.g. fraction 0.99 for p99:
/// the smallest sample that at least that fraction of the samples do not exceed. Sorts `samples`.
/// Returns 0 for no samples.
double percentile(std::vector<double>& samples, double fraction);

/// The median of `values` (the mean of the two middle values for an even count); 0 for none.
double median(std::vector<double> values);

}  // namespace tether::bench
