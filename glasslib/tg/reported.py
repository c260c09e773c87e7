"""Paper 2's reported numbers (Chen, Liu, Liu, Li), the one place notebooks and the README
compare against."""

CLEANED_ROWS = 35176
TRAIN_ROWS = 28153
VALIDATION_ROWS = 7023
SCREEN_CANDIDATES = 389_000          # "about 389,000" compositions screened (§IV.A)
PAPER_BASELINES = ("KNN", "RF", "SVM", "DT", "MLP")
