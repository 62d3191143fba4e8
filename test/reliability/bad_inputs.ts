/**
 * The bad-input table of issue 10, as data. `bad_inputs.test.ts` runs every row against the built
 * CLI and asserts the error contract:
 *
 *   - exit code `code` (default 1: a user error; 'nonzero' where a damaged database may map to
 *     another code),
 *   - stderr is exactly ONE non-empty line starting `memcglab:` with no control characters,
 *   - it matches `stderr` (case-insensitive; loose where the wording is not defined yet, but it
 *     names the field, value or thing that failed),
 *   - no `    at …` stack frame (stacks are for `--debug` only),
 *   - the database bytes (sha256 of the file + its -wal) are unchanged (`unchanged`, default true),
 *   - it finishes within `timeoutMs` (default 4 s; a refusal takes well under 1 s): "no hangs" is part of the contract.
 *
 * Placeholders in args: `$DB` the case's database (a private copy of the prepared one), `$EXP` the
 * case's experiment file (`exp`, or a tiny valid experiment when `exp` is not given), `$DIR` the
 * case's own empty folder.
 *
 * Prepared databases (`db`):
 *   base     run 1: a finished tiny run; run 2: an interrupted (SIGKILLed) run with snapshots
 *   none     $DB does not exist (and must still not exist afterwards)
 *   foreign  another application's SQLite file (a `notes` table)
 *   garbage  a text file that is not SQLite at all
 *   badexp   base, with run 1's stored experiment replaced by non-JSON text
 *   badlab   base, with every snapshot's runner state (`lab`) of run 2 replaced by non-JSON text
 *   damaged  base, with pages in the middle of the file overwritten
 *   newer    base, with one more applied migration than this memcglab knows
 */
export type DbPrep = 'base' | 'none' | 'foreign' | 'garbage' | 'badexp' | 'badlab' | 'damaged' | 'newer';

export interface BadCase {
  name: string;
  args: string[];
  /** content of $EXP; a tiny valid experiment when omitted */
  exp?: string | Buffer;
  db?: DbPrep;
  stderr: RegExp;
  code?: number | 'nonzero';
  unchanged?: boolean;
  timeoutMs?: number;
}

/** A valid, tiny experiment (a few thousand events) — what a wrongly accepted case runs. */
export const TINY_EXP = {
  name: 'tiny',
  seed: 7,
  machine: { lru: 'classic', cpus: 4, nodes: 1, memory: '64MiB' },
  policy: 'reparent',
  workload: {
    kind: 'restart-cycles',
    cycles: 3,
    parent: '/system.slice',
    unit: 'job',
    sharedFilePages: 16,
    privateFilePages: 2,
    anonPages: 8,
    accessesPerCycle: 20,
    access: { dist: 'zipf', alpha: 0.9 },
  },
};
const tiny = (patch: (e: any) => void = () => {}): string => {
  const e = structuredClone(TINY_EXP) as any;
  patch(e);
  return JSON.stringify(e);
};

const run = (...more: string[]) => ['run', '$EXP', '--db', '$DB', ...more];
const set = (kv: string, fragment: RegExp, extra: Partial<BadCase> = {}): BadCase => ({
  name: `--set ${kv.length > 60 ? `${kv.slice(0, 57)}...` : kv}`,
  args: run('--set', kv),
  stderr: fragment,
  ...extra,
});
const on = (db: DbPrep, name: string, args: string[], stderr: RegExp, extra: Partial<BadCase> = {}): BadCase => ({
  name: `[${db}] ${name}`,
  args,
  db,
  stderr,
  ...extra,
});
const q = (sql: string, fragment = /read-only/i, extra: Partial<BadCase> = {}): BadCase => ({
  name: `query ${JSON.stringify(sql.length > 50 ? `${sql.slice(0, 47)}...` : sql)}`,
  args: ['query', sql, '--db', '$DB'],
  stderr: fragment,
  ...extra,
});

/** Numeric experiment fields and how each must be refused. */
const INT_FIELDS = ['workload.cycles', 'workload.sharedFilePages', 'workload.anonPages', 'machine.cpus', 'sampleEvery', 'seed'];
/** Fields whose size drives the event log / memory: a huge value must be refused up front. */
const SIZE_FIELDS = [
  'workload.cycles',
  'workload.sharedFilePages',
  'workload.privateFilePages',
  'workload.anonPages',
  'workload.accessesPerCycle',
];
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const field = (path: string) => new RegExp(esc(path.split('.').pop()!), 'i');
/** Huge sizes: refused by the estimate of log / memory size (wording not fixed: name the field or the limit). */
const HUGE = (path: string) => new RegExp(`${esc(path.split('.').pop()!)}|max-events|events|estimate|too (large|big)|exceed`, 'i');

const numericCases: BadCase[] = [
  ...INT_FIELDS.map((f) => set(`${f}=-1`, field(f))),
  // JSON.parse gives Infinity
  ...['workload.cycles', 'seed'].map((f) => set(`${f}=1e400`, field(f))),
  ...['workload.cycles', 'machine.cpus'].map((f) => set(`${f}=1.5`, field(f))),
  set('workload.anonPages="12abc"', /anonPages/i),
  ...SIZE_FIELDS.map((f) => set(`${f}=1000000000000`, HUGE(f))),
  set('machine.cpus=0', /cpus/i),
  set('machine.msPerTick=0', /msPerTick/i),
  set('workload.access.alpha=-0.5', /alpha/i),
];

const sizeCases: BadCase[] = [
  // below one page = "unlimited" today
  set('machine.memory=0', /machine\.memory/i),
  set('machine.memory="1KiB"', /machine\.memory/i),
  set('machine.memory=4095', /machine\.memory/i),
  set('machine.memory="abc"', /machine\.memory/i),
  set('machine.memory=1e400', /machine\.memory/i), // Infinity: stored as null today
  set(`machine.memory="1${'0'.repeat(400)}"`, /machine\.memory/i), // spins forever today
  set(`machine.memcgSize=1${'0'.repeat(400)}`, /memcgSize/i),
  set('machine.memcgSize=-1', /memcgSize/i),
  set(`workload.jobLimits={"high":"1${'0'.repeat(400)}"}`, /jobLimits|high/i),
];

const pathCases: BadCase[] = [
  set('workload.parent="/.."', /parent.*\.\.|\.\..*parent/i),
  set('workload.parent="/a/../b"', /parent.*\.\.|\.\..*parent/i),
  set('workload.parent="/a/./b"', /parent/i),
  set('workload.parent="relative.slice"', /parent/i),
  set('limits={"/..":{"max":"1MiB"}}', /limits.*\.\.|\.\..*limits/i),
  set('workload.unit="a/b"', /unit/i),
];

const setSyntaxCases: BadCase[] = [
  set('workload.cycles', /--set|path=value/i),
  set('=5', /--set|path=value/i),
  set('nosuch.field=1', /nosuch/i),
  set('__proto__.policy="legacy"', /__proto__|prototype/i),
  set('constructor.prototype.policy="legacy"', /constructor|prototype/i),
  set('workload.__proto__.cycles=1', /__proto__|prototype/i),
  set('policy="bogus"', /policy/i),
];

/** commander's errors: one line, pointing at the help of the command being parsed */
const seeHelp = (cmd?: string) => `\\(see memcglab ${cmd ? `${cmd} ` : ''}--help\\)\n$`;
const optionCases: BadCase[] = [
  { name: 'unknown command', args: ['bogus'], stderr: new RegExp(`unknown command 'bogus' ${seeHelp()}`) },
  { name: 'unknown program option', args: ['--bogus'], stderr: new RegExp(`unknown option '--bogus' ${seeHelp()}`) },
  { name: 'unknown option', args: run('--bogus'), stderr: new RegExp(`unknown option '--bogus' ${seeHelp('run')}`) },
  {
    name: 'unknown option close to a known one',
    args: ['compare', '$EXP', '--seeds', '1..3', '--db', '$DB'],
    stderr: new RegExp(`unknown option '--seeds' \\(did you mean --seed\\?\\) ${seeHelp('compare')}`),
  },
  { name: 'option missing its value', args: ['run', '$EXP', '--db', '$DB', '--policy'], stderr: new RegExp(`--policy.*${seeHelp('run')}`) },
  {
    name: 'missing argument: show',
    args: ['show', '--db', '$DB'],
    stderr: new RegExp(`missing required argument 'run' ${seeHelp('show')}`),
  },
  { name: 'required option missing: report', args: ['report', '1', '--db', '$DB'], stderr: new RegExp(`--out.*${seeHelp('report')}`) },
  { name: 'too many arguments', args: run('extra-arg'), stderr: new RegExp(`too many arguments for 'run'.*${seeHelp('run')}`) },
  { name: 'sweep --seeds x', args: ['sweep', '$EXP', '--seeds', 'x', '--db', '$DB'], stderr: /^memcglab: --seeds x: expected N, A\.\.B/ },
  { name: 'sweep --jobs 0', args: ['sweep', '$EXP', '--jobs', '0', '--db', '$DB'], stderr: /^memcglab: --jobs must be at least 1/ },
  { name: '--policy bogus', args: run('--policy', 'bogus'), stderr: /policy/i },
  { name: '--seed -1', args: run('--seed', '-1'), stderr: /seed/i },
  { name: '--seed 2^64', args: run('--seed', '18446744073709551616'), stderr: /seed/i },
  { name: '--max-events below the estimate', args: run('--max-events', '100'), stderr: /max-events|events/i },
  { name: 'cycles past the default --max-events', args: run('--set', 'workload.cycles=1000000000'), stderr: HUGE('workload.cycles') },
  { name: "--db ''", args: ['runs', '--db', ''], stderr: /--db|database|path/i },
  { name: '--db is a directory', args: ['runs', '--db', '$DIR'], stderr: /directory|cannot open|database/i },
  {
    name: '--db in a missing folder (run)',
    args: ['run', '$EXP', '--db', '$DIR/no/such/dir/x.db'],
    stderr: /no such|does not exist|directory|cannot (open|create)/i,
  },
  { name: 'compare --policies ""', args: ['compare', '$EXP', '--policies', '', '--db', '$DB'], stderr: /policies/i },
  { name: 'compare --policies legacy,bogus', args: ['compare', '$EXP', '--policies', 'legacy,bogus', '--db', '$DB'], stderr: /bogus/i },
];

const expFileCases: BadCase[] = [
  { name: 'missing experiment file', args: ['run', '$DIR/missing.json', '--db', '$DB'], stderr: /missing\.json/i },
  { name: 'experiment file is a directory', args: ['run', '$DIR', '--db', '$DB'], stderr: /directory|cannot read|not a file/i },
  { name: 'bad JSON', args: run(), exp: '{ "name": ', stderr: /JSON/i },
  { name: 'empty file', args: run(), exp: '', stderr: /empty|JSON/i },
  { name: 'JSON array', args: run(), exp: '[]', stderr: /object|top level/i },
  { name: 'unknown field', args: run(), exp: tiny((e) => (e.bogusField = 1)), stderr: /bogusField/i },
  { name: 'workload missing', args: run(), exp: '{"name":"x"}', stderr: /workload/i },
  { name: '200k-deep JSON', args: run(), exp: `${'['.repeat(200_000)}${']'.repeat(200_000)}`, stderr: /deep|depth|nest/i },
  {
    name: '__proto__ key in JSON',
    args: run(),
    exp: tiny().replace(/^\{/, '{"__proto__":{"policy":"legacy"},'),
    stderr: /__proto__|prototype/i,
  },
  {
    name: 'constructor key in JSON',
    args: run(),
    exp: tiny().replace(/^\{/, '{"constructor":{"prototype":{"policy":"legacy"}},'),
    stderr: /constructor|prototype/i,
  },
  {
    name: 'nested __proto__ key in JSON',
    args: run(),
    exp: tiny().replace('"workload":{', '"workload":{"__proto__":{"cycles":1},'),
    stderr: /__proto__|prototype/i,
  },
  { name: 'BOM + bad JSON is one line', args: run(), exp: '\ufeff{ "name": ', stderr: /JSON/i },
  { name: 'invalid UTF-8', args: run(), exp: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), stderr: /UTF-8|JSON|encoding/i },
  {
    name: 'sharedFilePages 10^12 in the file',
    args: run(),
    exp: tiny((e) => (e.workload.sharedFilePages = 1e12)),
    stderr: HUGE('workload.sharedFilePages'),
  },
  {
    name: '400-digit memcgSize in the file',
    args: run(),
    exp: tiny((e) => (e.machine.memcgSize = 'X')).replace('"X"', `1${'0'.repeat(400)}`),
    stderr: /memcgSize/i,
  },
];

const runIdCases: BadCase[] = [
  { name: 'show abc', args: ['show', 'abc', '--db', '$DB'], stderr: /run id|abc/i },
  { name: 'show 0', args: ['show', '0', '--db', '$DB'], stderr: /run id|0/i },
  { name: 'show 10^22', args: ['show', '9999999999999999999999', '--db', '$DB'], stderr: /run id|9999999999999999999999/i },
  { name: 'show -- -1', args: ['show', '--db', '$DB', '--', '-1'], stderr: /run id|-1/i },
  { name: 'show 99 (no such run)', args: ['show', '99', '--db', '$DB'], stderr: /run 99|99/i },
  { name: 'resume 99', args: ['resume', '99', '--db', '$DB'], stderr: /run 99|99/i },
  { name: 'resume a done run', args: ['resume', '1', '--db', '$DB'], stderr: /done/i },
  { name: 'replay --seq -1', args: ['replay', '1', '--seq', '-1', '--db', '$DB'], stderr: /seq/i },
  { name: 'replay --seq past the end', args: ['replay', '1', '--seq', '999999999', '--db', '$DB'], stderr: /past|end|seq/i },
  { name: 'replay --cycle 1.5', args: ['replay', '1', '--cycle', '1.5', '--db', '$DB'], stderr: /cycle/i },
  { name: 'replay --tick 1e400', args: ['replay', '1', '--tick', '1e400', '--db', '$DB'], stderr: /tick/i },
  { name: 'replay --seq and --tick', args: ['replay', '1', '--seq', '5', '--tick', '5', '--db', '$DB'], stderr: /one of/i },
  {
    name: 'verify --check-every -3',
    args: ['verify', '1', '--check-every', '-3', '--db', '$DB'],
    stderr: /check-every(?!.*non-negative)/i,
  },
  { name: 'verify --check-every 0', args: ['verify', '1', '--check-every', '0', '--db', '$DB'], stderr: /check-every/i },
  { name: 'delete 99 (no such run)', args: ['delete', '99', '--db', '$DB'], stderr: /no run 99/i },
  { name: 'delete 1 99: all or nothing', args: ['delete', '1', '99', '--db', '$DB'], stderr: /no run 99/i },
  { name: 'delete abc', args: ['delete', 'abc', '--db', '$DB'], stderr: /run id|abc/i },
  { name: 'delete with nothing to delete', args: ['delete', '--db', '$DB'], stderr: /run ids|sweep/i },
  { name: 'delete --sweep 7 (no such sweep)', args: ['delete', '--sweep', '7', '--db', '$DB'], stderr: /no sweep 7/i },
  { name: 'runs --policy bogus', args: ['runs', '--policy', 'bogus', '--db', '$DB'], stderr: /--policy bogus/i },
  { name: 'runs --status gone', args: ['runs', '--status', 'gone', '--db', '$DB'], stderr: /--status gone/i },
  { name: 'runs --limit 0', args: ['runs', '--limit', '0', '--db', '$DB'], stderr: /--limit/i },
  { name: 'run --tag without a value', args: ['run', '$EXP', '--tag', 'ticket', '--db', '$DB'], stderr: /--tag ticket/i },
  {
    name: 'compare --runs 1,1 extra',
    args: ['compare', '--runs', '1,1', 'extra', '--db', '$DB'],
    stderr: /no experiment file or other argument/i,
  },
  { name: 'compare --runs ""', args: ['compare', '--runs', '', '--db', '$DB'], stderr: /--runs/i },
  { name: 'compare --runs 1,abc', args: ['compare', '--runs', '1,abc', '--db', '$DB'], stderr: /abc/i },
  { name: 'compare --runs 1,99', args: ['compare', '--runs', '1,99', '--db', '$DB'], stderr: /99/i },
  {
    name: 'compare --runs with an interrupted run',
    args: ['compare', '--runs', '1,2', '--db', '$DB'],
    stderr: /run 2.*interrupted|interrupted.*run 2/i,
  },
];

const catCases: BadCase[] = [
  { name: 'cat /..', args: ['cat', '1', '/..', '--db', '$DB'], stderr: /\.\./ },
  { name: 'cat /../memory.current', args: ['cat', '1', '/../memory.current', '--db', '$DB'], stderr: /\.\./ },
  { name: 'cat /system.slice/../memory.stat', args: ['cat', '1', '/system.slice/../memory.stat', '--db', '$DB'], stderr: /\.\./ },
  { name: 'cat relative path', args: ['cat', '1', 'memory.current', '--db', '$DB'], stderr: /absolute|path|memory\.current/i },
  { name: 'cat unknown file', args: ['cat', '1', '/system.slice/memory.bogus', '--db', '$DB'], stderr: /memory\.bogus/i },
  { name: 'cat unknown cgroup', args: ['cat', '1', '/nonexistent.slice/memory.current', '--db', '$DB'], stderr: /nonexistent\.slice/i },
  { name: 'cat root memory.current', args: ['cat', '1', '/memory.current', '--db', '$DB'], stderr: /root/i },
  {
    name: 'cat with a terminal escape in the path',
    args: ['cat', '1', '/system.slice/memory.stat\u001b[2J', '--db', '$DB'],
    stderr: /memory\.stat/i,
  },
  {
    name: 'cat memory.pressure (PSI)',
    args: ['cat', '1', '/system.slice/memory.pressure', '--db', '$DB', '--json'],
    stderr: /PSI.*not model/i,
  },
  { name: 'diff without --from', args: ['diff', '1', '--db', '$DB'], stderr: /--from/ },
  { name: 'diff --from not a point', args: ['diff', '1', '--from', 'cycle:x', '--db', '$DB'], stderr: /cycle:x.*not a point/ },
  { name: 'diff --from cycle:0', args: ['diff', '1', '--from', 'cycle:0', '--db', '$DB'], stderr: /cycle:0/ },
  { name: 'diff --from past the end', args: ['diff', '1', '--from', 'seq:999999999', '--db', '$DB'], stderr: /seq:999999999.*past/ },
  { name: 'diff --from after --to', args: ['diff', '1', '--from', 'end', '--to', 'seq:1', '--db', '$DB'], stderr: /after --to seq:1/ },
  { name: 'diff unknown cgroup', args: ['diff', '1', '--from', 'seq:1', '--cgroup', '/nope.slice', '--db', '$DB'], stderr: /nope\.slice/ },
  {
    name: 'diff --cgroup with a terminal escape',
    args: ['diff', '1', '--from', 'seq:1', '--cgroup', '/a\u001b[2J', '--db', '$DB', '--json'],
    stderr: /cgroup/,
  },
];

const queryCases: BadCase[] = [
  q("INSERT INTO meta (key, value) VALUES ('x', 'y')"),
  q('DELETE FROM events'),
  q('DROP TABLE runs'),
  q("ATTACH DATABASE ':memory:' AS other", /read-only|attach/i),
  q('PRAGMA writable_schema = 1', /read-only|pragma|writable_schema/i),
  q('DELETE FROM events RETURNING *'),
  q('PRAGMA wal_checkpoint(TRUNCATE)', /read-only|pragma|wal_checkpoint/i),
  q('VACUUM'),
  q('SELECT 1; DROP TABLE runs', /one statement|read-only|more than one/i),
  q('SELEC 1', /SQL|syntax/i),
  q('', /SQL|empty|statement/i),
  q("SELECT load_extension('/tmp/nope')", /not authorized|extension|SQL/i),
  {
    name: 'query --timeout 1 on an endless recursive CTE',
    args: [
      'query',
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
      '--timeout',
      '1',
      '--db',
      '$DB',
    ],
    stderr: /time|interrupt/i,
    timeoutMs: 5_000,
  },
  q('SELECT 1', /timeout/i, { name: 'query --timeout -1', args: ['query', 'SELECT 1', '--timeout', '-1', '--db', '$DB'] }),
];

const dbCases: BadCase[] = [
  on('none', 'runs on a missing database', ['runs', '--db', '$DB'], /does not exist|no database|not found/i),
  on('none', 'query on a missing database', ['query', 'SELECT 1', '--db', '$DB'], /does not exist|no database|not found/i),
  on(
    'none',
    'run with a bad experiment does not create the database',
    ['run', '$EXP', '--db', '$DB', '--set', 'workload.cycles=-1'],
    /cycles/i,
  ),
  on('foreign', 'run', ['run', '$EXP', '--db', '$DB'], /not a memcglab database|another application|foreign|notes/i),
  on('foreign', 'runs', ['runs', '--db', '$DB'], /not a memcglab database|another application|foreign|notes/i),
  on('garbage', 'runs', ['runs', '--db', '$DB'], /not a (memcglab |SQLite )?database|not SQLite/i),
  on('garbage', 'run', ['run', '$EXP', '--db', '$DB'], /not a (memcglab |SQLite )?database|not SQLite/i),
  on('damaged', 'verify', ['verify', '1', '--db', '$DB'], /damaged|corrupt|malformed/i, { code: 'nonzero' }),
  on(
    'damaged',
    'query over the damaged pages',
    ['query', 'SELECT count(*), sum(a) FROM events', '--db', '$DB'],
    /damaged|corrupt|malformed/i,
    { code: 'nonzero' },
  ),
  on('badexp', 'show 1 (stored experiment not JSON)', ['show', '1', '--db', '$DB'], /experiment/i, { code: 'nonzero' }),
  on('badexp', 'cat 1 (stored experiment not JSON)', ['cat', '1', '/system.slice/memory.current', '--db', '$DB'], /experiment/i, {
    code: 'nonzero',
  }),
  on('badexp', 'verify 1 (stored experiment not JSON)', ['verify', '1', '--db', '$DB'], /experiment/i, { code: 'nonzero' }),
  on('badexp', 'compare --runs 1,1 (stored experiment not JSON)', ['compare', '--runs', '1,1', '--db', '$DB'], /experiment/i, {
    code: 'nonzero',
  }),
  on('badlab', 'resume 2 (snapshot runner state not JSON)', ['resume', '2', '--db', '$DB'], /snapshot|runner state|lab/i, {
    code: 'nonzero',
  }),
  on('newer', 'runs on a newer schema', ['runs', '--db', '$DB'], /newer/i),
  on('newer', 'run on a newer schema', ['run', '$EXP', '--db', '$DB'], /newer/i),
];

export const BAD_CASES: BadCase[] = [
  ...optionCases,
  ...expFileCases,
  ...setSyntaxCases,
  ...numericCases,
  ...sizeCases,
  ...pathCases,
  ...runIdCases,
  ...catCases,
  ...queryCases,
  ...dbCases,
];
