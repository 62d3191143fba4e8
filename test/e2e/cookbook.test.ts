import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE, decodeSplice, SPLICE_MGLRU } from '../../src/kernel/events.js';
import { SPLICE_NID_UNIT } from '../../src/kernel/reparent.js';
import { cli, cliJson, tempDir } from '../helpers.js';
import { copyDb } from '../reliability/util.js';
import { type Eviction, type Facts, foldFacts, groupBy, readCookbook, round } from './cookbook_facts.js';

/**
 * The SQL cookbook (experiments/cookbook.sql), each query run through `memcglab query` on small
 * real runs and its answer checked against the same facts derived from the model: the log folded
 * through evolve in this process, owners and states read from the kernel state around each event.
 * Plus the lookup tables and views the cookbook stands on.
 */
const dir = tempDir();
const cookbook = readCookbook();
const recipe = (name: string) => cookbook.find((r) => r.name === name)!.sql;

type Row = Record<string, any>;
const query = (db: string, sql: string): Row[] => {
  const r = cli(['query', sql, '--json', '--db', db]);
  if (r.code !== 0) throw new Error(`query failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Row[];
};

/** One run per database, so each is run 1, as the cookbook's queries read. */
const RUNS = {
  legacy: ['experiments/mglru-reparent.json', '--policy', 'legacy', '--set', 'workload.cycles=40', '--set', 'sampleEvery=1'],
  sameGen: ['experiments/mglru-reparent.json', '--set', 'workload.cycles=40'],
  classic: ['experiments/restart-pressure.json', '--set', 'workload.cycles=40'],
  tail: ['experiments/mglru-reparent.json', '--set', 'policyOptions.mglru="tail"', '--set', 'workload.cycles=8'],
  ageOrder: ['experiments/mglru-reparent.json', '--set', 'policyOptions.mglru="age-order"', '--set', 'workload.cycles=8'],
  numa: ['experiments/numa-2node.json', '--set', 'workload.cycles=12'],
};
type RunName = keyof typeof RUNS;
const db = (name: RunName) => join(dir, `${name}.db`);
const facts = {} as Record<RunName, Facts>;

beforeAll(() => {
  for (const [name, args] of Object.entries(RUNS) as [RunName, string[]][]) {
    cliJson(['run', ...args, '--db', db(name)]);
    facts[name] = foldFacts(db(name));
  }
}, 120_000);

const bucket = (cycle: number) => Math.floor((cycle - 1) / 1000) * 1000 + 1;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const share = (xs: Eviction[], p: (e: Eviction) => boolean) => round(xs.filter(p).length / xs.length, 3);

describe('the cookbook answers what the model says', () => {
  it('has eight recipes, each with a question', () => {
    expect(cookbook.map((r) => r.name)).toHaveLength(8);
    for (const r of cookbook) expect(r.question, r.name).toMatch(/\?/);
  });

  for (const run of ['legacy', 'sameGen', 'classic'] as const) {
    describe(run, () => {
      it('evicted-first-after-reparent: rank since the latest offline, by who charged the folio', () => {
        const f = facts[run];
        const ranked = [
          ...groupBy(
            f.evictions.filter((e) => e.latest !== undefined),
            (e) => e.latest,
          ).values(),
        ].flatMap((g) => g.map((e, i) => ({ e, nth: i + 1 })));
        const label = (n: number) => (n <= 32 ? '1-32' : n <= 256 ? '33-256' : '257+');
        const want = [...groupBy(ranked, (x) => label(x.nth)).entries()].map(([k, xs]) => {
          const es = xs.map((x) => x.e);
          return {
            nth_since_offline: k,
            evictions: es.length,
            just_offlined: share(es, (e) => e.charged === e.latest),
            offlined_before: share(es, (e) => e.charged !== e.latest && !e.chargerOnline),
            online: share(es, (e) => e.chargerOnline),
          };
        });
        expect(want.length).toBeGreaterThan(0);
        expect(query(db(run), recipe('evicted-first-after-reparent'))).toEqual(want);
      });

      it('dying-duration: cycles from offline to freed', () => {
        const lives = [...facts[run].memcgs.values()].filter((m) => m.offlineSeq !== undefined);
        const label = (c: number) =>
          c === 0 ? '0 (freed in its cycle)' : c < 10 ? '1-9' : c < 100 ? '10-99' : c < 1000 ? '100-999' : '1000+';
        const want = [...groupBy(lives, (m) => label(m.cyclesDying)).entries()]
          .map(([k, ms]) => ({
            cycles_dying: k,
            memcgs: ms.length,
            still_dying: ms.filter((m) => m.freedSeq === undefined).length,
            longest: Math.max(...ms.map((m) => m.cyclesDying)),
          }))
          .sort((a, b) => a.longest - b.longest);
        expect(query(db(run), recipe('dying-duration'))).toEqual(want);
      });

      it('dying-over-time: the gauges, counted from the memcgs and folios at each sample', () => {
        const want = [...groupBy(facts[run].samples, (x) => bucket(x.cycle)).entries()].map(([k, xs]) => ({
          from_cycle: k,
          to_cycle: Math.max(...xs.map((x) => x.cycle)),
          peak_nr_dying: Math.max(...xs.map((x) => x.nrDying)),
          mean_nr_dying: round(mean(xs.map((x) => x.nrDying)), 1),
          peak_dying_bytes: Math.max(...xs.map((x) => x.dyingBytes)),
          peak_stale_pages: Math.max(...xs.map((x) => x.stalePages)),
        }));
        expect(query(db(run), recipe('dying-over-time'))).toEqual(want);
      });

      it('pinned-by: the folios evicted while their owner was dying, and the last one', () => {
        const f = facts[run];
        const want = [
          ...groupBy(
            f.evictions.filter((e) => e.ownerDying),
            (e) => e.owner,
          ).entries(),
        ]
          .map(([id, es]) => {
            const m = f.memcgs.get(id)!;
            const last = es[es.length - 1];
            return {
              id,
              path: m.path,
              dying_ticks: m.freedTick === undefined ? null : m.freedTick - m.offlineTick!,
              pinning_folios_evicted: es.length,
              last_evict_seq: last.seq,
              last_folio: last.folio,
              inode: last.file ? Math.floor(last.key / 2 ** 32) : null,
              idx: last.file ? last.key % 2 ** 32 : null,
              charged_seq: last.chargedSeq,
              evicted_in_cycle: last.cycle,
              freed_seq: m.freedSeq ?? null,
            };
          })
          .sort((a, b) => (b.dying_ticks ?? -1) - (a.dying_ticks ?? -1) || a.id - b.id)
          .slice(0, 10);
        if (run === 'legacy')
          expect(want.length).toBeGreaterThan(0); // legacy: folios pin dying memcgs
        else expect(want).toEqual([]); // reparented folios belong to the parent, which is online
        expect(query(db(run), recipe('pinned-by'))).toEqual(want);
      });

      it('refault-rate: refault and evict events per 1000 cycles', () => {
        const f = facts[run];
        const rf = groupBy(f.refaults, (r) => bucket(r.cycle));
        const want = [...groupBy(f.evictions, (e) => bucket(e.cycle)).entries()].map(([k, es]) => {
          const rs = rf.get(k) ?? [];
          return {
            from_cycle: k,
            evictions: es.length,
            refaults: rs.length,
            recent: rs.filter((r) => r.recent).length,
            refault_rate: round(rs.length / es.length, 4),
          };
        });
        if (run === 'sameGen') expect(f.refaults.length).toBeGreaterThan(0);
        expect(query(db(run), recipe('refault-rate'))).toEqual(want);
      });

      it('reclaim-efficiency: interval counters from cumulative samples', () => {
        const xs = facts[run].samples;
        const last = new Map([...groupBy(xs, (x) => bucket(x.cycle)).entries()].map(([k, g]) => [k, g[g.length - 1]]));
        let prev = { pgscan: 0, pgsteal: 0, reclaims: 0, lruvecsScanned: 0 };
        const want = [...last.entries()].map(([k, x]) => {
          const d = {
            pgscan: x.pgscan - prev.pgscan,
            pgsteal: x.pgsteal - prev.pgsteal,
            reclaims: x.reclaims - prev.reclaims,
            lruvecs: x.lruvecsScanned - prev.lruvecsScanned,
          };
          prev = x;
          return {
            from_cycle: k,
            pgscan: d.pgscan,
            pgsteal: d.pgsteal,
            reclaim_efficiency: d.pgscan ? round(d.pgsteal / d.pgscan, 4) : null,
            reclaims: d.reclaims,
            lruvecs_per_reclaim: d.reclaims ? round(d.lruvecs / d.reclaims, 1) : null,
          };
        });
        expect(query(db(run), recipe('reclaim-efficiency'))).toEqual(want);
      });

      it('target-vs-owner: evictions by target, reclaimer and owner against charger', () => {
        const f = facts[run];
        const cls = (e: Eviction) =>
          e.owner !== e.charged ? 'an ancestor (reparented)' : e.ownerDying ? 'its charger, dying' : 'its charger, online';
        const want = [...groupBy(f.evictions, (e) => `${f.paths.get(e.target)}\u0000${e.reclaimer}\u0000${cls(e)}`).entries()]
          .map(([k, es]) => {
            const [target, reclaimer, owner] = k.split('\u0000');
            return { target, reclaimer, owner, evictions: es.length };
          })
          .sort((a, b) => b.evictions - a.evictions);
        const got = query(db(run), recipe('target-vs-owner'));
        expect(got.map((r) => r.evictions)).toEqual(want.map((r) => r.evictions));
        expect(new Set(got.map((r) => JSON.stringify(r)))).toEqual(new Set(want.map((r) => JSON.stringify(r))));
      });

      it('hot-evicted: evictions by page of the workload, and their residence in cycles', () => {
        const page = (e: Eviction) => {
          if (!e.file) return 'anon';
          const inode = Math.floor(e.key / 2 ** 32);
          const idx = e.key % 2 ** 32;
          if (inode === 2) return 'job log (inode 2)';
          return idx < 16 ? 'shared, pages 0-15 (hottest)' : idx < 64 ? 'shared, pages 16-63' : 'shared, pages 64+ (coldest)';
        };
        const want = [...groupBy(facts[run].evictions, page).entries()]
          .map(([k, es]) => ({
            page: k,
            evictions: es.length,
            mean_cycles_resident: round(mean(es.map((e) => e.cycle - e.chargedCycle)), 1),
          }))
          .sort((a, b) => (a.page < b.page ? -1 : 1));
        expect(query(db(run), recipe('hot-evicted'))).toEqual(want);
      });
    });
  }
});

describe('the tables and views the cookbook stands on', () => {
  it('event_enums holds every value of every enum and flag column of the catalogue, and nothing else', () => {
    const want = Object.entries(CATALOGUE).flatMap(([event, d]) =>
      d.args.flatMap((a: { col: string; flags?: Record<string, number>; values?: Record<string, number> }) =>
        Object.entries(a.flags ?? a.values ?? {}).map(([name, value]) => ({
          code: d.code,
          event,
          col: a.col,
          value,
          name,
          kind: a.flags ? 'flag' : 'value',
        })),
      ),
    );
    const got = query(db('classic'), 'SELECT code, event, col, value, name, kind FROM event_enums ORDER BY code, col, value');
    const key = (r: Row) => `${r.code} ${r.col} ${r.value}`;
    expect(new Map(got.map((r) => [key(r), r]))).toEqual(new Map(want.map((r) => [key(r), r])));
    // the ones issue 11 named: the lists of scan.a and splice.b, evict's reclaimer
    const names = (event: string, col: string) => got.filter((r) => r.event === event && r.col === col).map((r) => r.name);
    expect(names('splice', 'b')).toContain('inactive_file');
    expect(names('splice', 'b')).toContain('gen 1 file → parent gen 1, same-gen');
    expect(names('scan', 'a')).toContain('inactive_file, kswapd');
    expect(names('evict', 'a')).toEqual(['direct', 'kswapd', 'proactive']);
  });

  it('metric_types describes every samples column; counters never go down; samples_delta gives their differences', () => {
    const cols = query(db('legacy'), "SELECT name FROM pragma_table_info('samples')").map((r) => r.name as string);
    const types = query(db('legacy'), 'SELECT name, kind, unit, what FROM metric_types');
    expect(types.map((t) => t.name).sort()).toEqual(cols.filter((c) => !['run', 'seq', 'tick', 'cycle'].includes(c)).sort());
    for (const t of types) expect(t.what.length, t.name).toBeGreaterThan(10);
    const samples = query(db('legacy'), 'SELECT * FROM samples WHERE run = 1 ORDER BY seq');
    const delta = query(db('legacy'), 'SELECT * FROM samples_delta WHERE run = 1 ORDER BY seq');
    expect(delta).toHaveLength(samples.length);
    const counters = types.filter((t) => t.kind === 'counter').map((t) => t.name as string);
    expect(counters).toContain('pgsteal');
    for (const c of counters) {
      samples.forEach((s, i) => {
        const before = i ? samples[i - 1][c] : 0;
        expect(s[c], `${c} at cycle ${s.cycle}`).toBeGreaterThanOrEqual(before);
        expect(delta[i][c], `samples_delta.${c} at cycle ${s.cycle}`).toBe(s[c] - before);
      });
    }
    for (const g of types.filter((t) => t.kind === 'gauge').map((t) => t.name as string)) {
      expect(delta.map((d) => d[g])).toEqual(samples.map((s) => s[g]));
    }
    // a gauge goes down too: nr_dying falls when memcgs are freed
    expect(samples.some((s, i) => i > 0 && s.nr_dying < samples[i - 1].nr_dying)).toBe(true);
  });

  it('events_c gives every event the cycle it belongs to; cycles gives each cycle its seq range', () => {
    const f = facts.classic;
    const r = cli(['query', 'SELECT seq, cycle FROM events_c WHERE run = 1 ORDER BY seq', '--csv', '--db', db('classic')]);
    expect(r.code, r.stderr).toBe(0);
    const got = r.stdout.trim().split('\n').slice(1);
    expect(got).toHaveLength(f.cycleOf.length - 1);
    expect(got).toEqual(f.cycleOf.slice(1).map((c, i) => `${i + 1},${c}`));
    const cycles = query(db('classic'), 'SELECT cycle, first_seq, seq FROM cycles WHERE run = 1 ORDER BY cycle');
    const want = [
      ...groupBy(
        f.cycleOf.slice(1).map((c, i) => ({ c, seq: i + 1 })),
        (x) => x.c,
      ).entries(),
    ].map(([c, xs]) => ({
      cycle: c,
      first_seq: xs[0].seq,
      seq: xs[xs.length - 1].seq,
    }));
    expect(cycles).toEqual(want);
  });

  for (const run of ['legacy', 'sameGen', 'classic', 'numa'] as const) {
    it(`evictions (${run}): owner, charger, target, page and cycle of every evicted folio`, () => {
      const got = query(
        db(run),
        'SELECT seq, tick, cycle, folio, owner, target, reclaimer, charged, charged_seq, charged_cycle, file, inode, idx, nid FROM evictions WHERE run = 1 ORDER BY seq',
      );
      const want = facts[run].evictions.map((e) => ({
        seq: e.seq,
        tick: e.tick,
        cycle: e.cycle,
        folio: e.folio,
        owner: e.owner,
        target: e.target,
        reclaimer: e.reclaimer,
        charged: e.charged,
        charged_seq: e.chargedSeq,
        charged_cycle: e.chargedCycle,
        file: e.file ? 1 : 0,
        inode: e.file ? Math.floor(e.key / 2 ** 32) : null,
        idx: e.file ? e.key % 2 ** 32 : null,
        nid: e.nid,
      }));
      expect(want.length).toBeGreaterThan(0);
      if (run === 'numa') expect(new Set(want.map((e) => e.nid))).toEqual(new Set([0, 1])); // evicted on both nodes
      expect(got).toEqual(want);
      if (run === 'sameGen') expect(want.some((e) => e.owner !== e.charged)).toBe(true); // reparented folios: owned by the parent
      if (run === 'legacy') expect(want.every((e) => e.owner === e.charged)).toBe(true); // legacy: the charger keeps them
    });
  }

  it('refaults (sameGen): the new folio, its memcg and page, the shadow memcg and the flags of every refault', () => {
    const got = query(db('sameGen'), 'SELECT * FROM refaults WHERE run = 1 ORDER BY seq');
    const want = facts.sameGen.refaults.map((r) => ({
      run: 1,
      seq: r.seq,
      tick: r.tick,
      cycle: r.cycle,
      folio: r.folio,
      memcg: r.memcg,
      shadow_memcg: r.shadowMemcg,
      recent: r.recent ? 1 : 0,
      workingset: r.workingset ? 1 : 0,
      activate: r.activate ? 1 : 0,
      refs: r.refs,
      file: r.file ? 1 : 0,
      inode: r.file ? Math.floor(r.key / 2 ** 32) : null,
      idx: r.file ? r.key % 2 ** 32 : null,
      nid: r.nid,
    }));
    expect(want.length).toBeGreaterThan(0);
    expect(got).toEqual(want);
  });

  for (const run of ['classic', 'sameGen', 'tail', 'ageOrder', 'numa'] as const) {
    it(`splices (${run}): splice.b decoded as the policy encoded it`, () => {
      const got = query(
        db(run),
        'SELECT seq, child, parent, what, lru, child_gen, type, parent_gen, mode, nid FROM splices WHERE run = 1 ORDER BY seq',
      );
      const want = facts[run].splices.map((e) => {
        const b = e.b % SPLICE_NID_UNIT;
        const mglru = b >= SPLICE_MGLRU;
        const d = decodeSplice(b);
        return {
          seq: e.seq,
          child: e.memcg,
          parent: e.a,
          lru: mglru ? null : b,
          child_gen: mglru ? d.childGen : null,
          type: mglru ? d.type : null,
          parent_gen: mglru ? d.parentGen : null,
          mode: mglru ? d.mode : null,
          nid: Math.floor(e.b / SPLICE_NID_UNIT),
        };
      });
      expect(want.length).toBeGreaterThan(0);
      expect(got.map(({ what, ...r }) => r)).toEqual(want);
      if (run === 'numa') expect(new Set(want.map((r) => r.nid))).toEqual(new Set([0, 1])); // node by node
      for (const r of got) expect(r.what, `splice.b of seq ${r.seq}`).toBeTruthy();
    });
  }

  it('no recipe reads the log itself, and no query here reads a whole run inside another loop', () => {
    // A loop that reads a run's rows (a search on `run` alone) is fine as the outermost loop of its
    // query; inside another loop, or in a correlated subquery, it runs once per outer row.
    const wholeRunInside = (sql: string) => {
      const plan = query(db('classic'), `EXPLAIN QUERY PLAN ${sql}`) as { id: number; parent: number; detail: string }[];
      const byId = new Map(plan.map((r) => [r.id, r]));
      const correlated = (r: { parent: number }): boolean => {
        for (let p = byId.get(r.parent); p; p = byId.get(p.parent)) if (p.detail.startsWith('CORRELATED')) return true;
        return false;
      };
      const loops = plan.filter((r) => /^(SEARCH|SCAN) /.test(r.detail));
      // reading the rows a CTE or a view computed is fine (their own loops are checked)
      const ctes = new Set([
        ...[...sql.matchAll(/(\w+) AS \(/g)].map((m) => m[1]),
        ...plan.map((r) => /^(?:CO-ROUTINE|MATERIALIZE) (\w+)/.exec(r.detail)?.[1]).filter((x) => x !== undefined),
      ]);
      return loops
        .filter((r) => {
          const scanned = /^SCAN (\w+)/.exec(r.detail)?.[1];
          if (scanned && !ctes.has(scanned)) return true;
          return /\(run=\?\)$/.test(r.detail) && (loops.find((x) => x.parent === r.parent) !== r || correlated(r));
        })
        .map((r) => r.detail);
    };
    for (const r of cookbook) {
      expect(r.sql, r.name).not.toMatch(/\bevents\b(?!_)/);
      expect(wholeRunInside(r.sql), r.name).toEqual([]);
    }
    for (const sql of [
      'SELECT count(*) FROM evictions e JOIN memcgs c ON c.run = e.run AND c.id = e.charged WHERE e.run = 1',
      'SELECT e.* FROM events_c e JOIN cycles c ON c.run = e.run AND e.seq BETWEEN c.first_seq AND c.seq WHERE c.run = 1 AND c.cycle = 5',
    ])
      expect(wholeRunInside(sql), sql).toEqual([]);
  });

  it('verify catches an edit of a projection row, a row removed and a row added, and names the table and the row', () => {
    const edits: [string, string][] = [
      ['evictions', 'owner'],
      ['evictions', 'charged'],
      ['evictions', 'charged_cycle'],
      ['evictions', 'idx'],
      ['evictions', 'reclaimer'],
      ['refaults', 'shadow_memcg'],
      ['refaults', 'recent'],
      ['cycles', 'first_seq'],
      ['splices', 'what'],
      ['splices', 'parent_gen'],
    ];
    const cases = [
      ...edits.map(([table, col]) => ({
        table,
        what: `${col} changed`,
        sql: `UPDATE ${table} SET ${col} = CASE typeof(${col}) WHEN 'integer' THEN ${col} + 1 WHEN 'null' THEN 0 ELSE ${col} || 'x' END WHERE run = 1 AND seq = ?`,
      })),
      { table: 'evictions', what: 'a row removed', sql: 'DELETE FROM evictions WHERE run = 1 AND seq = ?' },
      {
        table: 'refaults',
        what: 'a row added',
        sql: 'INSERT INTO refaults SELECT run, seq + 1, tick, cycle, folio, memcg, shadow_memcg, recent, workingset, activate, refs, file, inode, idx, nid FROM refaults WHERE run = 1 AND seq = ?',
      },
    ];
    cases.forEach((c, i) => {
      const file = join(dir, `tampered-${i}.db`);
      copyDb(db('sameGen'), file);
      const d = new Database(file);
      const seqs = d.prepare(`SELECT seq FROM ${c.table} WHERE run = 1 ORDER BY seq`).pluck().all() as number[];
      const seq = seqs[seqs.length >> 1];
      expect(d.prepare(c.sql).run(seq).changes, `${c.table}: ${c.what}`).toBe(1);
      d.close();
      const r = cli(['verify', '1', '--check-every', '1000000', '--db', file]);
      expect(r.code, `${c.table}: ${c.what}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stdout, `${c.table}: ${c.what}`).toMatch(new RegExp(`${c.table} row seq ${c.what === 'a row added' ? seq + 1 : seq}\\b`));
    });
  });

  it('query --help names the tables and views', () => {
    const r = cli(['query', '--help']);
    for (const t of ['event_enums', 'metric_types', 'cycles', 'events_c', 'evictions', 'refaults', 'splices', 'samples_delta'])
      expect(r.stdout, t).toContain(t);
  });
});
