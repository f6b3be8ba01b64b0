"""Reference values for tests/stats, each headed by the command (or publication) that produced it.

Produced with pingouin 0.7.0, scipy 1.17.1, statsmodels 0.15.0 (Python 3.11), unless a
publication is named. Tests compare at the precision the source printed.
"""

# --- Wilson score interval -----------------------------------------------------------------
# statsmodels: proportion_confint(k, n, alpha=a, method="wilson")  -> (low, high)
# rows: (k, n, confidence = 1 - a, low, high)
WILSON = [
    (45, 80, 0.95, 0.4534113429694972, 0.6658613908385618),
    (0, 20, 0.95, 0.0, 0.1611251580528194),
    (20, 20, 0.95, 0.8388748419471804, 0.9999999999999999),
    (7, 13, 0.90, 0.32481955895892445, 0.7388522269250104),
    (1, 1, 0.99, 0.13097754328018574, 0.9999999999999999),
]

# --- Two-proportion z-test (pooled) ----------------------------------------------------------
# statsmodels: proportions_ztest([k1, k2], [n1, n2])  -> (z, p)
# rows: (k1, n1, k2, n2, z, p)
ZTEST = [
    (60, 100, 54, 120, 2.2171131824858046, 0.026615358196694933),
    (5, 10, 9, 30, 1.1483385035264293, 0.2508288499209398),
    (180, 200, 1500, 2000, 4.760759935644222, 1.9286535322643127e-06),
]

# --- Welch t-test and Hedges' g on raw data --------------------------------------------------
WELCH_X = [4, 5, 3, 4, 4, 2, 5, 4, 3, 4, 5, 4]
WELCH_Y = [3, 2, 4, 3, 3, 1, 2, 4, 3, 2, 3, 3, 4, 2, 3]
# scipy: ttest_ind_from_stats(x.mean(), x.std(ddof=1), 12, y.mean(), y.std(ddof=1), 15, equal_var=False)
WELCH_T_SCIPY = 3.2635685581536102
WELCH_P_SCIPY = 0.003386666818890284
# pingouin: pg.ttest(x, y, correction=True)[["T", "dof", "p_val"]]
WELCH_T_PG = 3.2635685581536102
WELCH_DOF_PG = 23.23074991757845
WELCH_P_PG = 0.003386666818890282
# pingouin: pg.compute_effsize(x, y, eftype="hedges")
HEDGES_G_PG = 1.2318660953652802

# --- Cohen's h ---------------------------------------------------------------------------------
# statsmodels: proportion_effectsize(p1, p2); rows (p1, p2, h)
COHENS_H = [(0.6, 0.45, 0.3015253419518906), (0.2, 0.9, -1.5707963267948966)]

# --- Holm --------------------------------------------------------------------------------------
HOLM_P = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5]
# statsmodels: multipletests(HOLM_P, method="holm")[1]
HOLM_SM = [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.5]
# pingouin: pg.multicomp(HOLM_P, method="holm")[1]
HOLM_PG = [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.5]

# --- Chi-square goodness of fit ----------------------------------------------------------------
# scipy: chisquare([30, 20, 50], [25, 25, 50])
CHI2_A = ([30, 20, 50], [25, 25, 50], 2.0, 2, 0.36787944117144245)
# scipy: chisquare([12, 7, 31, 50], np.array([100, 80, 300, 520]) / 1000 * 100)
CHI2_B = ([12, 7, 31, 50], [100, 80, 300, 520], 0.6352564102564102, 3, 0.888315885832239)

# --- Cronbach's alpha ----------------------------------------------------------------------------
# pingouin docs (= R psych::alpha(data, use="complete.obs")):
# pg.cronbach_alpha(data=pg.read_dataset("cronbach_wide_missing"), nan_policy="listwise")
CRONBACH_WIDE_MISSING = (0.8016949152542373, 0.581, 0.933)
# pingouin docs: pg.cronbach_alpha(data=pg.read_dataset("cronbach_alpha"),
#                                  items="Items", scores="Scores", subject="Subj")
CRONBACH_LONG = (0.5917188485995826, 0.195, 0.84)

# --- Johnson's relative weights: published example -----------------------------------------------
# R package rwa (Chan), README "Basic example" output:
#   mtcars %>% rwa(outcome = "mpg", predictors = c("cyl", "disp", "hp", "gear"), applysigns = TRUE)
#   $rsquare 0.7791896; Raw.RelWeight cyl 0.2284797, disp 0.2221469, hp 0.2321744, gear 0.0963886;
#   Rescaled.RelWeight (percent) 29.32274, 28.50999, 29.79691, 12.37037
# https://github.com/martinctc/rwa (README.md); method of Tonidandel & LeBreton (2011) = Johnson (2000).
RWA_MTCARS_R2 = 0.7791896
RWA_MTCARS_RAW = {"cyl": 0.2284797, "disp": 0.2221469, "hp": 0.2321744, "gear": 0.0963886}
RWA_MTCARS_PCT = {"cyl": 29.32274, "disp": 28.50999, "hp": 29.79691, "gear": 12.37037}

# mtcars (R datasets; Henderson & Velleman 1981, Biometrics 37, 391-411), 32 cars in R's row
# order, the columns the example uses. Checks: sums mpg 642.9, cyl 198, disp 7383.1, hp 4694,
# gear 118; cor(mpg, cyl) = -0.8522 (R: cor(mtcars)).
MTCARS = {
    "mpg": [21.0, 21.0, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4, 10.4,
            14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3, 26.0, 30.4, 15.8, 19.7, 15.0, 21.4],
    "cyl": [6, 6, 4, 6, 8, 6, 8, 4, 4, 6, 6, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4, 8, 8, 8, 8, 4, 4, 4, 8, 6, 8, 4],
    "disp": [160.0, 160.0, 108.0, 258.0, 360.0, 225.0, 360.0, 146.7, 140.8, 167.6, 167.6, 275.8, 275.8,
             275.8, 472.0, 460.0, 440.0, 78.7, 75.7, 71.1, 120.1, 318.0, 304.0, 350.0, 400.0, 79.0, 120.3,
             95.1, 351.0, 145.0, 301.0, 121.0],
    "hp": [110, 110, 93, 110, 175, 105, 245, 62, 95, 123, 123, 180, 180, 180, 205, 215, 230, 66, 52, 65, 97,
           150, 150, 245, 175, 66, 91, 113, 264, 175, 335, 109],
    "gear": [4, 4, 4, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 4, 4, 4, 3, 3, 3, 3, 3, 4, 5, 5, 5, 5, 5, 4],
}
