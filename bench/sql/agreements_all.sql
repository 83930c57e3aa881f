-- `pm agreements --all`' reference: every agreement, superseded ones marked with the newest
-- agreement that replaced it (one more lookup in the ref index), otherwise as agreements.sql.
-- name: agreements_all
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
                                             WHERE r.entry_id = e.ref) || ')', '')
              || coalesce(' (replaced by № ' || (SELECT b.number FROM numbers b WHERE b.entry_id =
                   (SELECT s.id FROM entries s INDEXED BY entries_ref
                    WHERE s.ref = e.id AND s.kind = 'agreement'
                    ORDER BY s.effective_at DESC, s.id DESC LIMIT 1)) || ')', '') AS text
FROM entries e
WHERE e.kind = 'agreement'
ORDER BY e.effective_at, e.id;
