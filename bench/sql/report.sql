-- The weekly report's reference (bench/run, docs/performance.md "The reference queries"): the
-- data `pm report --week W` prints, read with the indexes pm has. bench/run replaces :F and :U
-- (the week's first instant and the next week's, UTC), :AS_OF (the report's day) and :HORIZON
-- (fourteen days later) with literals. Each statement is named for bench/check.py.
-- name: done
SELECT e.id, e.text, e.effective_at, e.author FROM entries e
WHERE e.kind = 'done' AND e.effective_at >= :F AND e.effective_at < :U
ORDER BY e.effective_at, e.id;
-- name: next
SELECT e.id, e.text, e.effective_at, e.author FROM entries e
WHERE e.kind = 'next' AND e.effective_at >= :F AND e.effective_at < :U
ORDER BY e.effective_at, e.id;
-- name: agreements
SELECT a.id, (SELECT n.number FROM numbers n WHERE n.entry_id = a.id) AS number, a.text,
       a.effective_at, a.due, a.ref,
       (SELECT n.number FROM numbers n WHERE n.entry_id = a.ref AND n.kind = 'agreement') AS old
FROM entries a
WHERE a.kind = 'agreement' AND a.effective_at >= :F AND a.effective_at < :U
  AND NOT EXISTS (SELECT 1 FROM entries r INDEXED BY entries_ref WHERE r.ref = a.id
                  AND r.kind IN ('agreement', 'decision')
                  AND r.effective_at >= :F AND r.effective_at < :U)
  AND (a.source <> 'hook' OR (json_extract(a.data, '$.withdrawn') IS NULL
       AND NOT EXISTS (SELECT 1 FROM entries w INDEXED BY entries_ref WHERE w.ref = a.id
                       AND w.kind = a.kind AND w.source = 'hook'
                       AND json_extract(w.data, '$.withdrawn') IS NOT NULL)))
ORDER BY a.effective_at, a.id;
-- name: agreement_steps
SELECT s.id, (SELECT n.number FROM numbers n WHERE n.entry_id = a.id) AS number, a.text,
       CASE s.kind WHEN 'done' THEN 'fulfilled' ELSE json_extract(s.data, '$.state') END AS state,
       json_extract(s.data, '$.by') AS by,
       CASE s.kind WHEN 'done' THEN s.text
         ELSE coalesce(json_extract(s.data, '$.reason'), json_extract(s.data, '$.evidence'), '')
       END AS note, s.effective_at
FROM entries s CROSS JOIN entries a ON a.id = s.ref AND a.kind = 'agreement'
WHERE s.kind IN ('agreement-state', 'done') AND s.effective_at >= :F AND s.effective_at < :U
ORDER BY s.effective_at, s.id;
-- name: decisions
SELECT e.id, (SELECT n.number FROM numbers n WHERE n.entry_id = e.id) AS number, e.text,
       e.effective_at, e.author FROM entries e
WHERE e.kind = 'decision' AND e.effective_at >= :F AND e.effective_at < :U
  AND NOT EXISTS (SELECT 1 FROM entries r INDEXED BY entries_ref WHERE r.ref = e.id
                  AND r.kind IN ('agreement', 'decision')
                  AND r.effective_at >= :F AND r.effective_at < :U)
  AND (e.source <> 'hook' OR (json_extract(e.data, '$.withdrawn') IS NULL
       AND NOT EXISTS (SELECT 1 FROM entries w INDEXED BY entries_ref WHERE w.ref = e.id
                       AND w.kind = e.kind AND w.source = 'hook'
                       AND json_extract(w.data, '$.withdrawn') IS NOT NULL)))
ORDER BY e.effective_at, e.id;
-- name: changes
WITH changed(id) AS (
  SELECT c.id FROM entries c
  WHERE c.kind = 'change' AND c.effective_at >= :F AND c.effective_at < :U
    AND (c.source <> 'hook' OR (json_extract(c.data, '$.withdrawn') IS NULL
         AND NOT EXISTS (SELECT 1 FROM entries w INDEXED BY entries_ref WHERE w.ref = c.id
                         AND w.kind = 'change' AND w.source = 'hook'
                         AND json_extract(w.data, '$.withdrawn') IS NOT NULL)))
  UNION
  SELECT d.ref FROM entries d
  WHERE d.kind = 'change-decision' AND d.effective_at >= :F AND d.effective_at < :U
    AND d.ref IS NOT NULL)
SELECT c.id, (SELECT n.number FROM numbers n WHERE n.entry_id = c.id) AS number, c.text,
       c.data, d.id AS decision, d.effective_at AS decided_at, d.text AS decision_text,
       d.data AS decision_data
FROM changed x CROSS JOIN entries c ON c.id = x.id
LEFT JOIN entries d INDEXED BY entries_ref
  ON d.ref = c.id AND d.kind = 'change-decision' AND d.effective_at < :U
ORDER BY c.id, d.effective_at, d.id;
-- name: risks
SELECT e.id, (SELECT n.number FROM numbers n WHERE n.entry_id = e.id) AS number, e.text, e.data
FROM items o INDEXED BY items_open CROSS JOIN entries e ON e.id = o.id
WHERE o.closed_at >= :U AND o.kind = 'risk' AND o.effective_at < :U
ORDER BY e.effective_at, e.id;
-- name: closed_risks
SELECT r.id, (SELECT n.number FROM numbers n WHERE n.entry_id = r.id) AS number, r.text, r.data,
       c.effective_at AS closed, c.text AS note
FROM entries c CROSS JOIN entries r ON r.id = c.ref AND r.kind = 'risk'
WHERE c.kind = 'risk-close' AND c.effective_at >= :F AND c.effective_at < :U
  AND c.id = (SELECT x.id FROM entries x INDEXED BY entries_ref WHERE x.ref = r.id
              AND x.kind = 'risk-close' ORDER BY x.effective_at, x.id LIMIT 1)
ORDER BY c.effective_at, c.id;
-- name: deadline
SELECT total_days FROM change_approvals WHERE approved_at < :U
ORDER BY approved_at DESC, change_id DESC LIMIT 1;
-- name: upcoming
SELECT e.id, (SELECT n.number FROM numbers n WHERE n.entry_id = e.id) AS number, e.text, e.due
FROM items o INDEXED BY items_dated CROSS JOIN entries e ON e.id = o.id
WHERE o.closed_at >= :U AND o.kind = 'agreement' AND o.effective_at < :U
  AND o.due >= :AS_OF AND o.due < :HORIZON
ORDER BY e.effective_at, e.id;
-- name: overdue
SELECT e.id, (SELECT n.number FROM numbers n WHERE n.entry_id = e.id) AS number, e.text, e.due
FROM items o INDEXED BY items_dated CROSS JOIN entries e ON e.id = o.id
WHERE o.closed_at >= :U AND o.kind = 'agreement' AND o.effective_at < :U AND o.due < :AS_OF
ORDER BY e.effective_at, e.id;
-- name: communication
SELECT (SELECT count(*) FROM entries WHERE kind = 'letter'
        AND effective_at >= :F AND effective_at < :U) AS letters,
       (SELECT count(*) FROM entries WHERE kind = 'request'
        AND effective_at >= :F AND effective_at < :U) AS requests,
       (SELECT json_group_array(json_array(q.id, q.effective_at,
               (SELECT min(p.effective_at) FROM entries p INDEXED BY entries_ref
                WHERE p.ref = q.id AND p.kind = 'reply')))
        FROM entries q WHERE q.kind = 'request'
        AND q.effective_at >= :F AND q.effective_at < :U) AS replies;
-- name: head
SELECT id, coalesce(hash, '') AS hash FROM entries WHERE id = (SELECT max(id) FROM entries);
