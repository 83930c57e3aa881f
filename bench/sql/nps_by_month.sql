-- NPS by month's reference (bench/run, docs/performance.md "The reference queries"): the inner
-- GROUP BY answered_on, score is a prefix of the covering index nps_answers_breakdown
-- (answered_on, score, manager, client), so SQLite walks that index in order and counts each
-- (day, score) run without a sort or a temporary table; the outer query folds those few
-- thousand rows (days x 11 scores) by month. What pm does: the same inner query, folded in C++.
-- name: nps_by_month
SELECT substr(answered_on, 1, 7) AS month,
       sum(CASE WHEN score >= 9 THEN n ELSE 0 END) AS promoters,
       sum(CASE WHEN score BETWEEN 7 AND 8 THEN n ELSE 0 END) AS passives,
       sum(CASE WHEN score <= 6 THEN n ELSE 0 END) AS detractors,
       sum(n) AS answers,
       100.0 * (sum(CASE WHEN score >= 9 THEN n ELSE 0 END)
                - sum(CASE WHEN score <= 6 THEN n ELSE 0 END)) / sum(n) AS nps
FROM (SELECT answered_on, score, count(*) AS n
      FROM nps_answers INDEXED BY nps_answers_breakdown GROUP BY answered_on, score)
GROUP BY month ORDER BY month;
