-- `pm agreements`' reference (bench/run, docs/performance.md "The reference queries"): the
-- agreements not superseded, in the order listed, straight from the (kind, effective_at)
-- index (no sort); per agreement one lookup in the ref index for a superseding agreement, one
-- for its newest agreement-state entry, one for its first done note (fulfilled), the numbers
-- from the numbers table, and the columns pm's table shows (number, date, due, state, with,
-- tags, text). bench/run replaces :RECENT (the start of the confirmation window: newer ones
-- are still open) with a literal.
-- name: agreements
SELECT (SELECT n.number FROM numbers n WHERE n.entry_id = e.id) AS number,
       substr(e.effective_at, 1, 10) AS agreed, coalesce(e.due, '-') AS due,
       coalesce((SELECT json_extract(t.data, '$.state') FROM entries t INDEXED BY entries_ref
                 WHERE t.ref = e.id AND t.kind = 'agreement-state'
                 ORDER BY t.effective_at DESC, t.id DESC LIMIT 1),
                (SELECT 'fulfilled' FROM entries d INDEXED BY entries_ref
                 WHERE d.ref = e.id AND d.kind = 'done' LIMIT 1),
                CASE WHEN e.effective_at >= :RECENT THEN 'open' ELSE 'confirmed' END) AS state,
       (SELECT group_concat(value, ', ') FROM json_each(e.data, '$.with')) AS with_whom,
       (SELECT group_concat(value, ', ') FROM json_each(e.data, '$.tags')) AS tags,
       e.text || coalesce(' (replaces № ' || (SELECT r.number FROM numbers r
                                             WHERE r.entry_id = e.ref) || ')', '') AS text
FROM entries e
WHERE e.kind = 'agreement'
  AND NOT EXISTS (SELECT 1 FROM entries s INDEXED BY entries_ref
                  WHERE s.ref = e.id AND s.kind = 'agreement')
  AND (e.source <> 'hook' OR json_extract(e.data, '$.withdrawn') IS NULL)
ORDER BY e.effective_at, e.id;
