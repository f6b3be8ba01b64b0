"""Statistics core of ikto: coding, estimates, tests, weights, reliability, drivers, flags.

Pure functions on numpy arrays and pandas frames. Thresholds (alpha, minimal differences,
confidence, ...) are always passed in by the caller from the settings; none has a default here.
"""

from ikto_lib.stats.coding import bottom2, domain_scores, grade_pass, top2, valid_codes
from ikto_lib.stats.compare import (
    chisquare_gof,
    cohens_h,
    compare_summaries,
    hedges_g,
    holm,
    two_proportion_ztest,
    welch_ttest,
)
from ikto_lib.stats.drivers import driver_analysis, relative_weights
from ikto_lib.stats.estimates import (
    SUMS,
    from_sums,
    group_summary,
    kish_neff,
    leave_one_out,
    margin_of_error,
    pool_summaries,
    t_interval,
    wilson_interval,
)
from ikto_lib.stats.flags import FLAGS, HIGHER, LOWER, NO_DIFFERENCE, NOT_TESTED, flag
from ikto_lib.stats.reliability import alpha_by_domain, cronbach_alpha
from ikto_lib.stats.weighting import combine, org_weights, poststrat_weights

__all__ = [
    "valid_codes", "top2", "bottom2", "domain_scores", "grade_pass",
    "wilson_interval", "t_interval", "kish_neff", "margin_of_error",
    "group_summary", "from_sums", "pool_summaries", "leave_one_out", "SUMS",
    "two_proportion_ztest", "welch_ttest", "cohens_h", "hedges_g", "holm", "chisquare_gof",
    "compare_summaries",
    "poststrat_weights", "org_weights", "combine",
    "cronbach_alpha", "alpha_by_domain",
    "relative_weights", "driver_analysis",
    "flag", "FLAGS", "HIGHER", "LOWER", "NO_DIFFERENCE", "NOT_TESTED",
]
