import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeStore, openStore } from '../../src/store/db.js';
import { cli, cliJson, cutAfterSnapshot, eventDigest, ROOT, tempDir } from '../helpers.js';

// The trace workload through the CLI: the shipped example, resume after a kill (byte-identical),
// a changed or missing trace refused on resume, validation errors with line numbers, and the same
// records as JSONL replaying to the same log.
const dir = tempDir();
const EXAMPLE = join(ROOT, 'experiments', 'trace', 'example.csv');
const EXPERIMENT = join(ROOT, 'experiments', 'trace.json');

/** An experiment file in `sub` of the temp dir naming `trace` (relative to it) with `extra` fields. */
function experiment(sub: string, trace: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, `${sub}-exp.json`);
  const shipped = JSON.parse(readFileSync(EXPERIMENT, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...shipped, ...extra, workload: { kind: 'trace', file: trace } }));
  return file;
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('trace workload', () => {
  it('runs the example: legacy leaves dying memcgs, reparent none; the run records the trace and its sha256', () => {
    const db = join(dir, 'example.db');
    const legacy = cliJson(['run', 'experiments/trace.json', '--policy', 'legacy', '--db', db]);
    const reparent = cliJson(['run', 'experiments/trace.json', '--policy', 'reparent', '--db', db]);
    expect(legacy.metrics.nr_dying).toBeGreaterThan(0);
    expect(reparent.metrics.nr_dying).toBe(0);
    expect(reparent.metrics.reparent_splices).toBeGreaterThan(0);
    const show = cliJson(['show', String(legacy.id), '--db', db]);
    expect(show.experiment.workload).toEqual({ kind: 'trace', file: EXAMPLE, sha256: sha(EXAMPLE) });
    // one cycle per rmdir: 12 jobs and 2 logrotate runs
    expect(show.cycles).toBe(14);
    const v = cli(['verify', String(legacy.id), '--db', db]);
    expect(v.code, v.stderr).toBe(0);
    // the same trace and seed: the same log, byte for byte
    const again = cliJson(['run', 'experiments/trace.json', '--policy', 'legacy', '--db', db]);
    expect(eventDigest(db, again.id)).toEqual(eventDigest(db, legacy.id));
  });

  it('a JSONL trace with the same records replays to the same log as the CSV', () => {
    const jsonl = join(dir, 'same.jsonl');
    const [head, ...rows] = readFileSync(EXAMPLE, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    const names = head.split(',');
    const objects = rows.map((l) => {
      const o: Record<string, unknown> = {};
      l.split(',').forEach((v, k) => {
        if (v !== '') o[names[k]] = names[k] === 'cgroup' || names[k] === 'op' ? v : Number(v);
      });
      return JSON.stringify(o);
    });
    writeFileSync(jsonl, `${objects.join('\n')}\n`);
    copyFileSync(EXAMPLE, join(dir, 'same.csv'));
    const db = join(dir, 'jsonl.db');
    const fromCsv = cliJson(['run', experiment('same-csv', 'same.csv'), '--db', db]);
    const fromJsonl = cliJson(['run', experiment('same-jsonl', 'same.jsonl'), '--db', db]);
    expect(fromJsonl.events).toBe(fromCsv.events);
    expect(fromJsonl.stateHash).toBe(fromCsv.stateHash);
    expect(eventDigest(db, fromJsonl.id)).toEqual(eventDigest(db, fromCsv.id));
  });

  it('resume after a kill ends byte-identical to the uninterrupted run, from every snapshot', () => {
    const db = join(dir, 'resume.db');
    const args = ['run', 'experiments/trace.json', '--policy', 'legacy', '--set', 'snapshotEvery=400', '--db', db];
    const clean = cliJson(args);
    const st = openStore(db);
    let snaps: number;
    let withAnon: number;
    try {
      const lab = st.sqlite.prepare('SELECT lab FROM snapshots WHERE run = ? ORDER BY seq').pluck().all(clean.id) as string[];
      snaps = lab.length;
      // the cursor keeps the anon pages alive at the cut: resuming must restore them
      withAnon = lab.filter((l) => (JSON.parse(l).anon as number[]).length > 0).length;
    } finally {
      closeStore(st);
    }
    expect(snaps).toBeGreaterThan(5);
    expect(withAnon).toBeGreaterThan(0);
    for (const nth of [0, Math.floor(snaps / 2), snaps - 2]) {
      const cut = cliJson(args);
      const s = openStore(db);
      try {
        cutAfterSnapshot(s, cut.id, nth, 150);
      } finally {
        closeStore(s);
      }
      const res = cliJson(['resume', String(cut.id), '--db', db]);
      expect(res.stateHash, `resumed from snapshot ${nth}`).toBe(clean.stateHash);
      expect(eventDigest(db, cut.id), `resumed from snapshot ${nth}`).toEqual(eventDigest(db, clean.id));
    }
  });

  it('resume refuses a trace that changed or is gone, with one line and nothing written', () => {
    const trace = join(dir, 'moving.csv');
    copyFileSync(EXAMPLE, trace);
    const exp = experiment('moving', 'moving.csv', { snapshotEvery: 400 });
    const db = join(dir, 'moving.db');
    const run = cliJson(['run', exp, '--db', db]);
    const s = openStore(db);
    try {
      cutAfterSnapshot(s, run.id, 3, 100);
    } finally {
      closeStore(s);
    }
    const before = eventDigest(db, run.id);
    writeFileSync(trace, `${readFileSync(trace, 'utf8')}99999,/system.slice,exit,,,\n`);
    const changed = cli(['resume', String(run.id), '--db', db]);
    expect(changed.code).toBe(1);
    const CHANGED =
      /^memcglab: run 1 replays trace file .*moving\.csv, which changed since \(sha256 [0-9a-f]{12}…, recorded [0-9a-f]{12}…\); resume needs the same file: restore it, or start a new run\n$/;
    expect(changed.stderr).toMatch(CHANGED);
    // a change that also breaks the trace (a tick going back) is still reported as the change
    writeFileSync(trace, `${readFileSync(trace, 'utf8')}5,/system.slice,exit,,,\n`);
    expect(cli(['resume', String(run.id), '--db', db]).stderr).toMatch(CHANGED);
    renameSync(trace, `${trace}.away`);
    const gone = cli(['resume', String(run.id), '--db', db]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(
      /^memcglab: run 1 replays trace file .*moving\.csv, which is gone \(no such file\); resume needs the same file/,
    );
    expect(eventDigest(db, run.id)).toEqual(before);
    // the same bytes back: it resumes, and ends where an uninterrupted run ends
    copyFileSync(EXAMPLE, trace);
    const res = cliJson(['resume', String(run.id), '--db', db]);
    expect(res.stateHash).toBe(cliJson(['run', exp, '--db', join(dir, 'moving-clean.db')]).stateHash);
  });

  it('a run whose experiment pins another sha256 is refused', () => {
    const exp = join(dir, 'pinned-exp.json');
    writeFileSync(exp, JSON.stringify({ workload: { kind: 'trace', file: EXAMPLE, sha256: '0'.repeat(64) } }));
    const r = cli(['run', exp, '--db', join(dir, 'pinned.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^memcglab: trace file experiments\/trace\/example\.csv changed \(sha256 [0-9a-f]{12}…, recorded 000000000000…\); restore the file, or drop workload.sha256 to replay the new one\n$/,
    );
    expect(existsSync(join(dir, 'pinned.db'))).toBe(false);
  });

  it('CSV errors name file:line, the field, its value and what is allowed, all in one line; nothing is written', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      [
        '# a comment',
        'tick,cgroup,op,inode,index,pages',
        '1,/a,mkdir,,,',
        '2,/a,rd,1,0,1',
        '3,a/b,read,1,0,1',
        '4,/a,read,0,0,0',
        '5,/a,read,1,x,1',
        '6,/a,read,1,0',
        '7,"/a",read,1,0,2',
        '',
      ].join('\n'),
    );
    const db = join(dir, 'bad.db');
    const r = cli(['run', experiment('bad', 'bad.csv'), '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `memcglab: ${bad}:4: op "rd": one of mkdir, rmdir, read, write, fault, free, exit; ` +
        `${bad}:5: cgroup "a/b": an absolute cgroup path like /system.slice/job@1.service (letters, digits, _ . @ : -), or / for the root; ` +
        `${bad}:6: inode 0: a whole number from 1 to 2097151 (number the files 1, 2, 3, ...; for fault and free of anon, any id of the memory, e.g. a pid); ` +
        `${bad}:6: pages 0: a whole number from 1 to 1048576; ` +
        `${bad}:7: index "x": a whole number from 0 to 4294967295 (a page index in the file); ` +
        `${bad}:8: the line has 5 fields; the header names 6\n`,
    );
    expect(existsSync(db)).toBe(false);
  });

  it('a CSV without the header is refused at its first line, once', () => {
    const nohead = join(dir, 'nohead.csv');
    writeFileSync(nohead, '1,/a,read,1,0,1\n2,/a,read,1,0,1\n');
    const r = cli(['run', experiment('nohead', 'nohead.csv'), '--db', join(dir, 'nohead.db')]);
    expect(r.stderr).toBe(
      `memcglab: ${nohead}:1: header "1,/a,read,1,0,1": the column names tick,cgroup,op,inode,index,pages (in any order) on the first line\n`,
    );
  });

  it('past ten errors, the rest are counted', () => {
    const many = join(dir, 'many.csv');
    writeFileSync(many, `tick,cgroup,op,inode,index,pages\n${Array.from({ length: 25 }, (_, i) => `${i},/a,bogus,1,0,1`).join('\n')}\n`);
    const r = cli(['run', experiment('many', 'many.csv'), '--db', join(dir, 'many.db')]);
    expect(r.stderr.match(/: op "bogus"/g)).toHaveLength(10);
    expect(r.stderr).toMatch(/many\.csv:11: op "bogus": one of [a-z, ]+ \(and 15 more\)\n$/);
  });

  it('JSONL errors and whole-trace errors (ticks, cgroup life) name their lines', () => {
    const badj = join(dir, 'bad.jsonl');
    const lifef = join(dir, 'life.csv');
    writeFileSync(
      badj,
      [
        '{"tick":1,"cgroup":"/a","op":"read","inode":1,"index":0,"pages":1}',
        '{"tick":2,"cgroup":"/a","op":"read","inode":1,"index":0,"pages":1,"pid":3}',
        '[1]',
        '{"tick":3,"cgroup":"/a","op":"fault","inode":1,"index":0}',
        '',
      ].join('\n'),
    );
    const r = cli(['run', experiment('badj', 'bad.jsonl'), '--db', join(dir, 'badj.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `memcglab: ${badj}:2: field "pid": not a trace field; the fields are tick, cgroup, op, inode, index, pages; ` +
        `${badj}:3: a record is a JSON object, not [1]; ` +
        `${badj}:4: pages (missing): fault needs it: a whole number from 1 to ${2 ** 20}\n`,
    );
    writeFileSync(
      lifef,
      [
        'tick,cgroup,op,inode,index,pages',
        '1,/a,mkdir,,,',
        '2,/a/b,mkdir,,,',
        '3,/a,rmdir,,,',
        '4,/a/b,rmdir,,,',
        '5,/a/b,read,1,0,1',
        '6,/c,mkdir,,,',
        '7,/c,mkdir,,,',
        '1,/c,exit,,,',
        '',
      ].join('\n'),
    );
    const life = cli(['run', experiment('life', 'life.csv'), '--db', join(dir, 'life.db')]);
    expect(life.stderr).toBe(
      `memcglab: ${lifef}:4: cgroup "/a": rmdir of a cgroup with a child cgroup (/a/b); rmdir the children first; ` +
        `${lifef}:6: cgroup "/a/b": removed at line 5; mkdir it again before using it; ` +
        `${lifef}:8: cgroup "/c": mkdir of a cgroup that exists (made at line 7); rmdir it first; ` +
        `${lifef}:9: tick 1: goes back: the record before is at tick 7; ticks must not decrease\n`,
    );
    const missing = cli(['run', experiment('missing', 'nope.csv'), '--db', join(dir, 'missing.db')]);
    expect(missing.stderr).toBe(
      `memcglab: cannot read trace file ${join(dir, 'nope.csv')} (no such file); workload.file names it relative to the experiment file\n`,
    );
  });
});
