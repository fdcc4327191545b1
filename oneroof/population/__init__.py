"""The Django side of case-finding: take the analytic snapshot, run the versioned rules on it,
store each cohort with its rule version, and put the people newly found on their coordinator's
worklist (or the neighbourhood's, when they have none) with the reasons they were found."""
