-- The SQL cookbook: questions a kernel developer asks the log, one query each, run with
-- `memcglab query "$(…)"`. Each reads run 1: change `run = 1` for another run. They read the
-- projections (cycles, evictions, refaults, memcgs, samples), never a scan of the log. The README
-- shows each one's output and time on the scale run; test/e2e/cookbook.test.ts checks each answer
-- against the model. A query starts at its `-- name:` line; `-- ` lines right below say what it asks.

-- name: evicted-first-after-reparent
-- Whose folios are evicted first after a memcg goes offline? Each eviction is ranked among the
-- evictions since the latest offline, and its folio classed by the memcg that charged it: the
-- memcg that just went offline (reparented: its lists went to the parent's tail), one that went
-- offline before, or one still online (the live job's own pages).
WITH ev AS (
  SELECT e.seq, e.charged,
    (SELECT m.id FROM memcgs m WHERE m.run = e.run AND m.offline_seq < e.seq ORDER BY m.offline_seq DESC LIMIT 1) AS latest
  FROM evictions e WHERE e.run = 1
), ranked AS (
  SELECT ev.*, row_number() OVER (PARTITION BY latest ORDER BY seq) AS nth,
    (SELECT m.offline_seq FROM memcgs m WHERE m.run = 1 AND m.id = ev.charged) AS charger_offline
  FROM ev WHERE latest IS NOT NULL
)
SELECT CASE WHEN nth <= 32 THEN '1-32' WHEN nth <= 256 THEN '33-256' ELSE '257+' END AS nth_since_offline,
  count(*) AS evictions,
  round(avg(charged = latest), 3) AS just_offlined,
  round(avg(charged <> latest AND charger_offline < seq), 3) AS offlined_before,
  round(avg(charger_offline IS NULL OR charger_offline > seq), 3) AS online
FROM ranked GROUP BY 1 ORDER BY min(nth);

-- name: dying-duration
-- How long do dying memcgs stay dying? Memcgs that went offline, by the cycles they spent dying
-- (offline → freed; still dying at the end of the log: counted to then), with the longest.
WITH d AS (
  SELECT m.id, m.freed_seq IS NULL AS still_dying,
    (SELECT count(*) FROM cycles c WHERE c.run = m.run AND c.seq > m.offline_seq
       AND c.seq < coalesce(m.freed_seq, 1e18)) AS cycles_dying
  FROM memcgs m WHERE m.run = 1 AND m.offline_seq IS NOT NULL
)
SELECT CASE WHEN cycles_dying = 0 THEN '0 (freed in its cycle)' WHEN cycles_dying < 10 THEN '1-9'
    WHEN cycles_dying < 100 THEN '10-99' WHEN cycles_dying < 1000 THEN '100-999' ELSE '1000+' END AS cycles_dying,
  count(*) AS memcgs, sum(still_dying) AS still_dying, max(cycles_dying) AS longest
FROM d GROUP BY 1 ORDER BY min(cycles_dying);

-- name: dying-over-time
-- How many memcgs are dying over time, and how much do they hold? nr_dying, dying_bytes and
-- stale_pages are gauges (levels at each sample): peak and mean per 1000 cycles.
SELECT (cycle - 1) / 1000 * 1000 + 1 AS from_cycle, max(cycle) AS to_cycle,
  max(nr_dying) AS peak_nr_dying, round(avg(nr_dying), 1) AS mean_nr_dying,
  max(dying_bytes) AS peak_dying_bytes, max(stale_pages) AS peak_stale_pages
FROM samples WHERE run = 1 GROUP BY 1 ORDER BY 1;

-- name: pinned-by
-- Which folios pinned which dying memcgs? For the memcgs that stayed dying longest, the folios
-- evicted while they were dying and still owned by them, and the last one: its page (inode,
-- index), when it was charged and when its eviction let the memcg go.
SELECT m.id, m.path, m.freed_tick - m.offline_tick AS dying_ticks,
  count(*) AS pinning_folios_evicted, max(e.seq) AS last_evict_seq, e.folio AS last_folio,
  e.inode, e.idx, e.charged_seq, e.cycle AS evicted_in_cycle, m.freed_seq
FROM evictions e CROSS JOIN memcgs m ON m.run = e.run AND m.id = e.owner
WHERE e.run = 1 AND m.offline_seq < e.seq
GROUP BY m.id ORDER BY dying_ticks DESC, m.id LIMIT 10;

-- name: refault-rate
-- How often is what reclaim evicts read back? Refaults per eviction per 1000 cycles: the refaults
-- the kernel counts (workingset_refault_*; under MGLRU only when the shadow entry names the new
-- folio's own memcg, so a legacy job's pages read back by the next job do not count); recent:
-- within the workingset size, so the eviction was a mistake.
WITH ev AS (SELECT (cycle - 1) / 1000 AS k, count(*) AS n FROM evictions WHERE run = 1 GROUP BY k),
rf AS (SELECT (cycle - 1) / 1000 AS k, count(*) AS n, sum(recent) AS recent FROM refaults WHERE run = 1 GROUP BY k)
SELECT ev.k * 1000 + 1 AS from_cycle, ev.n AS evictions, coalesce(rf.n, 0) AS refaults,
  coalesce(rf.recent, 0) AS recent, round(1.0 * coalesce(rf.n, 0) / ev.n, 4) AS refault_rate
FROM ev LEFT JOIN rf USING (k) ORDER BY ev.k;

-- name: reclaim-efficiency
-- How efficient is reclaim over time? pgscan and pgsteal are counters since the run began:
-- samples_delta gives each interval's share, summed here per 1000 cycles.
SELECT (cycle - 1) / 1000 * 1000 + 1 AS from_cycle, sum(pgscan) AS pgscan, sum(pgsteal) AS pgsteal,
  round(1.0 * sum(pgsteal) / nullif(sum(pgscan), 0), 4) AS reclaim_efficiency,
  sum(reclaims) AS reclaims, round(1.0 * sum(lruvecs_scanned) / nullif(sum(reclaims), 0), 1) AS lruvecs_per_reclaim
FROM samples_delta WHERE run = 1 GROUP BY 1 ORDER BY 1;

-- name: target-vs-owner
-- Whose pages does reclaim take, against whom it was aimed? Evictions by reclaim target and
-- reclaimer, and the owner relative to the memcg that charged the folio: the charger itself
-- (online, or dying and pinned by it), or an ancestor it was reparented to.
SELECT coalesce(t.path, '/') AS target, e.reclaimer,
  CASE WHEN e.owner IS NULL THEN 'not recorded'
    WHEN e.owner <> e.charged THEN 'an ancestor (reparented)'
    WHEN o.offline_seq < e.seq THEN 'its charger, dying'
    ELSE 'its charger, online' END AS owner,
  count(*) AS evictions
FROM evictions e
LEFT JOIN memcgs t ON t.run = e.run AND t.id = e.target
LEFT JOIN memcgs o ON o.run = e.run AND o.id = e.owner
WHERE e.run = 1 GROUP BY 1, 2, 3 ORDER BY 4 DESC;

-- name: hot-evicted
-- Eviction inversion: are hot pages evicted while cold ones stay? For the restart-cycles
-- workload, page 0 of the shared file (inode 1) is the hottest (zipf) and each job's log pages
-- (inode 2) are written once and never read again; how long each kind stayed before eviction.
SELECT CASE WHEN file = 0 THEN 'anon' WHEN inode = 2 THEN 'job log (inode 2)'
    WHEN idx < 16 THEN 'shared, pages 0-15 (hottest)' WHEN idx < 64 THEN 'shared, pages 16-63'
    ELSE 'shared, pages 64+ (coldest)' END AS page,
  count(*) AS evictions, round(avg(cycle - charged_cycle), 1) AS mean_cycles_resident
FROM evictions WHERE run = 1 GROUP BY 1 ORDER BY 1;
