// `npm run bench`: the gateway as `npm start` runs it (the start command is read from package.json, so the bench
// follows it), against the vendor simulators in a process of their own (bench/simulators.ts, reached through the
// vendor env vars as if they were real vendors), driven from this process by a raw-socket load client (loadgen.ts:
// the cheapest client that still checks every answer, so the machine's second core goes to the gateway). Every
// scenario is measured beside the same vendor calls made directly (bench/direct.ts: the ceiling), in interleaved
// rounds; the machine is shared and noisy, so only the ratios within one run mean anything.
//
//   npm run bench                      full run (~6 min on an idle 2-core machine)
//   npm run bench -- --quick           ~2.5 min
//   npm run bench -- --only W1,W2 --rounds 5 --duration 8 --heavy-factor 3 --connections 50 --rate 100 --open-duration 5 --open-rounds 3 --verbose
//   npm run bench -- --profile W2      CPU profile of the gateway under W2: writes a .cpuprofile, prints self time by package
//   npm run bench -- --alloc W1        allocation profile under W1 (garbage included): bytes per query by package, file, function
//   npm run bench -- --profile W2 --profile-rate 50   the same window as an open loop at 50 req/s (also with --alloc)
//   npm run bench -- --sharing         the gateway sharing across requests: in-flight reads, the read cache and the
//                                      response cache (SHARE_INFLIGHT_READS=true, READ_CACHE_TTL_MS=1000,
//                                      RESPONSE_CACHE_TTL_MS=1000); `--sharing inflight|cache|responses|both` for one
//                                      of them (both: the first two), `--cache-ttl 250` for another TTL. Direct stays
//                                      the unshared ceiling.
//   npm run bench -- --soak --only W2 --duration 600     gateway only, 10 min: RSS over time, start/end/peak
//   npm run bench -- --load-client undici      the gateway driven through undici with a JSON parse per answer (the
//                                      bench's load client before loadgen.ts), to see what the load client costs
//   BENCH_START="node dist/main.js" npm run bench      another start command; --node-options adds NODE_OPTIONS
//   npm run bench -- --compare GATEWAY_LEAN_PERSISTED=false --only P1,P4   a second gateway with these settings,
//                                      measured in the same rounds (here: the general path against the lean one)
//   npm run bench -- --redis --env WORKERS=2 --compare WORKERS=1           a redis-server for the run (REDIS_URL),
//                                      settings for both gateways (--env), the second with WORKERS=1
//
// Asserts nothing; it checks that gateway and direct give the same answers and make the same vendor calls, and says so.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  createWriteStream,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { createDirect, type Env } from './direct.js';
import { RawClient, rawRequest, type Expect } from './loadgen.js';
import { analyzeAllocations, analyzeProfile } from './profile.js';
import { SCENARIOS, type Scenario } from './scenarios.js';

// ---- options

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const quick = flag('quick');
// `--sharing` alone means all; `--sharing inflight|cache|responses|both` picks.
const sharingArg = argv.indexOf('--sharing');
const sharing =
  sharingArg < 0
    ? undefined
    : argv[sharingArg + 1] && !argv[sharingArg + 1]!.startsWith('--')
      ? argv[sharingArg + 1]!
      : 'all';
if (sharing !== undefined && !['inflight', 'cache', 'responses', 'both', 'all'].includes(sharing))
  throw new Error(`--sharing takes inflight, cache, responses, both or all, not ${sharing}`);
const cacheTtlMs = Number(opt('cache-ttl', '1000'));
const sharingEnv: Env =
  sharing === undefined
    ? {}
    : {
        ...(['inflight', 'both', 'all'].includes(sharing) ? { SHARE_INFLIGHT_READS: 'true' } : {}),
        ...(['cache', 'both', 'all'].includes(sharing) ? { READ_CACHE_TTL_MS: String(cacheTtlMs) } : {}),
        ...(['responses', 'all'].includes(sharing) ? { RESPONSE_CACHE_TTL_MS: String(cacheTtlMs) } : {}),
      };
// `--alloc W1`: the same window as --profile, sampling allocations instead of CPU time.
const allocating = opt('alloc', '');
const profile = opt('profile', '') || allocating;
// `--profile-rate 50`: the profiled window is an open loop at that rate, not the closed loop (the load a latency
// figure is read under).
const profileRate = Number(opt('profile-rate', '0'));
const o = {
  duration: Number(opt('duration', profile ? '10' : quick ? '2' : '5')),
  warmup: Number(opt('warmup', quick ? '0.5' : '1')),
  rounds: Number(opt('rounds', '3')),
  connections: Number(opt('connections', '50')),
  rate: Number(opt('rate', '100')),
  openDuration: Number(opt('open-duration', quick ? '3' : '5')),
  openRounds: Number(opt('open-rounds', '1')),
  only: opt('only', profile || 'W1,W2,W3,W4,P1,P4').split(','),
  nodeOptions: opt('node-options', ''),
  heavyFactor: Number(opt('heavy-factor', profile ? '1' : '3')),
  // After all the load: how long the gateway is left without requests before its settled idle RSS is read (V8's
  // memory reducer gives back the young generation's pages some 15-45 s after allocation stops); 0 skips it.
  settle: Number(opt('settle', '60')),
  prewarm: Number(opt('prewarm', quick ? '2' : '4')),
  /** Settings for both gateways, and for a second gateway measured beside the first: K=V,K=V. */
  env: settings(opt('env', '')),
  compare: opt('compare', '') ? settings(opt('compare', '')) : undefined,
  redis: flag('redis'),
  /** Gateway only, one scenario, one long closed loop: RSS printed over time (start, end, peak), for flat memory. */
  soak: flag('soak'),
  rssEvery: Number(opt('rss-every', '30')),
  /**
   * The gateway side's load client: `raw` (loadgen.ts, bytes compared) or `undici` (a Pool and a JSON parse per
   * answer, as the bench drove it before): to see what the load generator itself costs.
   */
  loadClient: opt('load-client', 'raw'),
};
if (!['raw', 'undici'].includes(o.loadClient))
  throw new Error(`--load-client takes raw or undici, not ${o.loadClient}`);
function settings(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new Error(`--env/--compare takes KEY=VALUE pairs, not "${pair}"`);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}
const scenarios = SCENARIOS.filter((s) => o.only.includes(s.name));
if (scenarios.length === 0)
  throw new Error(`no scenario among ${o.only.join(',')}: ${SCENARIOS.map((s) => s.name).join(', ')}`);

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const START = process.env.BENCH_START ?? pkg.scripts.start!;
// npm runs `prestart` before `start` (e.g. a build): so does the bench, unless the start command is given.
const PRESTART = process.env.BENCH_START ? undefined : pkg.scripts.prestart;
const API_KEY = 'bench-frontend-key-0123456789';

// ---- processes

const children: ChildProcess[] = [];
function cleanup() {
  for (const c of children) {
    try {
      if (c.pid && c.exitCode === null) process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

async function startSimulators(): Promise<{ env: Env; admin: string; pid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/simulators.ts')], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: true,
  });
  children.push(child);
  const line = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout! }).once('line', res);
    child.once('exit', (code) => rej(new Error(`simulators exited (${code})`)));
  });
  return JSON.parse(line);
}

interface Gw {
  child: ChildProcess;
  url: string;
  log: string;
}

async function startGateway(
  simEnv: Env,
  work: string,
  extraNodeOptions: string,
  extraEnv: Env = {},
  name = 'gateway',
): Promise<Gw> {
  if (PRESTART) {
    const pre = spawn('sh', ['-c', PRESTART], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` },
    });
    const code = await new Promise<number | null>((r) => pre.once('exit', r));
    if (code !== 0) throw new Error(`prestart (${PRESTART}) failed (${code})`);
  }
  const clients = join(work, 'clients.json');
  writeFileSync(
    clients,
    JSON.stringify([
      {
        name: 'bench',
        apiKey: API_KEY,
        role: 'frontend',
        scopes: ['workorders:read'],
        rateLimitPerMinute: 1_000_000_000,
      },
    ]),
  );
  const log = join(work, `${name}.log`);
  const out = createWriteStream(log);
  const nodeOptions = [process.env.NODE_OPTIONS, o.nodeOptions, extraNodeOptions].filter(Boolean).join(' ');
  const child = spawn('sh', ['-c', START], {
    cwd: root,
    detached: true, // its own process group: the whole start command's tree is ended together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...simEnv,
      PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}`,
      NODE_ENV: 'production',
      // Port 0 and the port read from the start-up line: a port picked here could be taken by another process
      // (other test gateways on this machine) before the gateway binds it.
      PORT: '0',
      GATEWAY_CLIENTS_FILE: clients,
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
      ...extraEnv,
    },
  });
  children.push(child);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const port = await new Promise<string>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`gateway printed no "listening on" line within 120 s; see ${log}`)),
      120_000,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /listening on https?:\/\/[^:/]+:(\d+)/i.exec(line);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      setTimeout(
        () => rej(new Error(`gateway exited (${code}); see ${log}:\n${readFileSync(log, 'utf8').slice(-2000)}`)),
        200,
      );
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: '{"query":"{__typename}"}',
  });
  if (res.status !== 200) throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
  return { child, url, log };
}

/** A redis-server of the run's own on a free loopback port (--redis), never the machine's. */
async function startRedis(): Promise<string> {
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => res(p));
    });
  });
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
    { stdio: 'ignore', detached: true },
  );
  children.push(child);
  for (let i = 0; i < 100; i++) {
    const { connect } = await import('node:net');
    const ok = await new Promise<boolean>((res) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        res(true);
      });
      sock.once('error', () => res(false));
    });
    if (ok) return `redis://127.0.0.1:${port}`;
    await sleep(50);
  }
  throw new Error('redis-server did not start');
}

// ---- /proc: the gateway's whole process tree (sh, a CLI wrapper if any, the server)

const PAGE = 4096;
const HZ = 100;
interface ProcStat {
  pid: number;
  ppid: number;
  cpuTicks: number;
  rssBytes: number;
  cmd: string;
}
function readProc(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields after "(comm)": state ppid ... utime(14) stime(15) ... rss(24), numbered from 1 with pid
    return {
      pid,
      ppid: Number(rest[1]),
      cpuTicks: Number(rest[11]) + Number(rest[12]),
      rssBytes: Number(rest[21]) * PAGE,
      cmd: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim(),
    };
  } catch {
    return undefined;
  }
}
function tree(rootPid: number): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is ProcStat => p !== undefined);
  const out: ProcStat[] = [];
  const want = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!want.has(p.pid) && want.has(p.ppid)) {
        want.add(p.pid);
        grew = true;
      }
    }
  }
  for (const p of all) if (want.has(p.pid)) out.push(p);
  return out;
}
/** The serving process: the largest node process in the tree. */
const serverOf = (procs: ProcStat[]) =>
  procs.filter((p) => /node/.test(p.cmd)).sort((a, b) => b.rssBytes - a.rssBytes)[0];

interface Usage {
  cpuTicks: number;
  serverRss: number;
  treeRss: number;
}
function usage(rootPid: number): Usage {
  const procs = tree(rootPid);
  return {
    cpuTicks: procs.reduce((n, p) => n + p.cpuTicks, 0),
    serverRss: serverOf(procs)?.rssBytes ?? 0,
    treeRss: procs.reduce((n, p) => n + p.rssBytes, 0),
  };
}

// ---- load

interface Run {
  rps: number;
  p50: number;
  p99: number;
  n: number;
  errors: number;
  gwCpu?: number; // % of one core
  simCpu: number;
  driverCpu: number;
  maxServerRss?: number;
  maxTreeRss?: number;
  /** Young-generation collections per second, and all GC as % of wall time. */
  scavengesPerSecond?: number;
  gcPercent?: number;
  calls?: number;
  routes?: Record<string, number>;
}

const pct = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function simCounts(
  admin: string,
): Promise<{ total: number; cpuMicros: number; byRoute: Record<string, number> }> {
  const res = await fetch(`${admin}/counts`);
  const c = (await res.json()) as {
    byVendor: Record<string, number>;
    byRoute: Record<string, number>;
    cpuMicros: number;
  };
  return { total: Object.values(c.byVendor).reduce((a, b) => a + b, 0), cpuMicros: c.cpuMicros, byRoute: c.byRoute };
}

/** GC time and count by kind, from the gateway's own /metrics (prom-client's default GC histogram). */
async function gcStats(url: string | undefined): Promise<Record<string, { s: number; n: number }> | undefined> {
  if (!url) return undefined;
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const out: Record<string, { s: number; n: number }> = {};
    for (const m of text.matchAll(/nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} ([\d.e+-]+)/g)) {
      const k = (out[m[2]!] ??= { s: 0, n: 0 });
      if (m[1] === 'sum') k.s = Number(m[3]);
      else k.n = Number(m[3]);
    }
    return out;
  } catch {
    return undefined;
  }
}

type Send = () => Promise<unknown>;

/** Closed loop: `connections` workers, each sending the next request as soon as its last one is answered. */
async function closedLoop(
  send: Send,
  admin: string,
  gwPid: number | undefined,
  heavy = false,
  gwUrl?: string,
): Promise<Run> {
  // A heavy query takes seconds at 50 connections: warm up past one latency, and measure over many completions.
  const warmup = heavy ? Math.max(o.warmup, 2) : o.warmup;
  const duration = heavy ? o.duration * o.heavyFactor : o.duration;
  let stop = false;
  let measuring = false;
  const latencies: number[] = [];
  let errors = 0;
  let reported = false;
  const workers = Array.from({ length: o.connections }, async () => {
    while (!stop) {
      const t = performance.now();
      try {
        await send();
        if (measuring) latencies.push(performance.now() - t);
      } catch (err) {
        if (measuring) errors++;
        // The first failure of a run is printed even in its warm-up: a wrong answer must never pass unseen.
        if (!reported) console.error(`  error: ${(err as Error).message.slice(0, 300)}`);
        reported = true;
      }
    }
  });
  await sleep(warmup * 1000);
  const before = {
    sim: await simCounts(admin),
    gw: gwPid ? usage(gwPid) : undefined,
    gc: await gcStats(gwUrl),
    driver: process.cpuUsage(),
    n: latencies.length,
  };
  let maxServerRss = 0;
  let maxTreeRss = 0;
  const sampler = gwPid
    ? setInterval(() => {
        const u = usage(gwPid);
        maxServerRss = Math.max(maxServerRss, u.serverRss);
        maxTreeRss = Math.max(maxTreeRss, u.treeRss);
      }, 250)
    : undefined;
  measuring = true;
  const t0 = performance.now();
  await sleep(duration * 1000);
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  const n = latencies.length;
  const after = {
    sim: await simCounts(admin),
    gw: gwPid ? usage(gwPid) : undefined,
    gc: await gcStats(gwUrl),
    driver: process.cpuUsage(before.driver),
  };
  const gcDelta = (kind?: string) =>
    Object.entries(after.gc ?? {})
      .filter(([k]) => !kind || k === kind)
      .reduce(
        (acc, [k, v]) => ({ s: acc.s + v.s - (before.gc?.[k]?.s ?? 0), n: acc.n + v.n - (before.gc?.[k]?.n ?? 0) }),
        { s: 0, n: 0 },
      );
  if (sampler) clearInterval(sampler);
  stop = true;
  await Promise.all(workers);
  latencies.sort((a, b) => a - b);
  return {
    rps: n / seconds,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    n,
    errors,
    ...(before.gw && after.gw
      ? { gwCpu: ((after.gw.cpuTicks - before.gw.cpuTicks) / HZ / seconds) * 100, maxServerRss, maxTreeRss }
      : {}),
    ...(after.gc ? { scavengesPerSecond: gcDelta('minor').n / seconds, gcPercent: (gcDelta().s / seconds) * 100 } : {}),
    simCpu: ((after.sim.cpuMicros - before.sim.cpuMicros) / 1e6 / seconds) * 100,
    driverCpu: ((after.driver.user + after.driver.system) / 1e6 / seconds) * 100,
    calls: (after.sim.total - before.sim.total) / Math.max(1, n),
    routes: Object.fromEntries(
      Object.entries(routeDelta(after.sim.byRoute, before.sim.byRoute)).map(([k, v]) => [k, v / Math.max(1, n)]),
    ),
  };
}

/** Open loop: requests start on a fixed schedule whatever the answers do; latency counts from the scheduled time. */
async function openLoop(
  send: Send,
  rate: number,
  gwPid?: number,
  seconds = o.openDuration,
): Promise<{ p50: number; p99: number; n: number; errors: number; cpu: number; latencies: number[] }> {
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const inflight: Promise<void>[] = [];
  // The gateway's CPU over the window, in % of one core (or the bench process's, for direct): how busy the side was
  // at this rate, which is what its queueing, and so its p99, follows.
  const cpuBefore = gwPid ? usage(gwPid).cpuTicks / HZ : undefined;
  const driverBefore = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inflight.push(
      send().then(
        () => void latencies.push(performance.now() - due),
        (err: Error) => {
          if (errors++ === 0) console.error(`  error: ${err.message.slice(0, 300)}`);
        },
      ),
    );
  }
  await Promise.all(inflight);
  const wall = (performance.now() - t0) / 1000;
  const driver = process.cpuUsage(driverBefore);
  const busy = cpuBefore !== undefined ? usage(gwPid!).cpuTicks / HZ - cpuBefore : (driver.user + driver.system) / 1e6;
  latencies.sort((a, b) => a - b);
  return {
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    n: latencies.length,
    errors,
    cpu: (busy / wall) * 100,
    latencies,
  };
}

// ---- answers

const canonical = (v: unknown): string =>
  v === null || typeof v !== 'object'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : `{${Object.keys(v as object)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`;

function describeRoutes(a: Record<string, number>, b: Record<string, number>): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.map((k) => `${k.replace(/[0-9a-f-]{36}/g, ':id')}: ${a[k] ?? 0}/${b[k] ?? 0}`).join('; ');
}
/** Calls per route between two counter readings; token calls are left out (each side fetches its token once, when it likes). */
function routeDelta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after))
    if (v - (before[k] ?? 0) > 0 && !/oauth\/token|auth\/token/.test(k)) out[k] = v - (before[k] ?? 0);
  return out;
}

// ---- main

const work = mkdtempSync(join(tmpdir(), 'mes-bench-'));
const fmt = (n: number | undefined, d = 0) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));
const mb = (b: number | undefined) => (b === undefined ? '-' : (b / 2 ** 20).toFixed(0));

console.log(
  `node ${process.version}; start command: ${PRESTART ? `${PRESTART} && ` : ''}${START}${o.nodeOptions ? `; NODE_OPTIONS+=${o.nodeOptions}` : ''}`,
);
const sims = await startSimulators();
const profDir = join(work, 'prof');
mkdirSync(profDir);
// Persisted scenarios: their documents join the catalog in a manifest of the run's own.
const catalog = JSON.parse(readFileSync(join(root, 'src/generated/persisted-documents.json'), 'utf8')) as Record<
  string,
  string
>;
const idOf = (text: string) => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
for (const s of scenarios) if (s.persisted) catalog[idOf(s.query({ orderId: '' }))] = s.query({ orderId: '' });
const manifestFile = join(work, 'persisted-documents.json');
writeFileSync(manifestFile, JSON.stringify(catalog));
const shared: Env = { PERSISTED_DOCUMENTS_FILE: manifestFile, ...o.env };
if (o.redis) shared.REDIS_URL = await startRedis();
if (Object.keys(o.env).length) console.log(`both gateways: ${JSON.stringify(o.env)}`);
const gw = profile
  ? await startGateway(sims.env, work, `--import ${pathToFileURL(join(root, 'bench/cpu-profiler.mjs')).href}`, {
      BENCH_PROFILE_DIR: profDir,
      ...(allocating ? { BENCH_PROFILE_KIND: 'alloc' } : {}),
      ...shared,
      ...sharingEnv,
    })
  : await startGateway(sims.env, work, '', { ...shared, ...sharingEnv });
const gwPid = gw.child.pid!;
if (sharing !== undefined) {
  console.log(
    `sharing reads across requests: ${Object.entries(sharingEnv)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')} (the direct client shares nothing: it stays the ceiling without sharing; the checks below may` +
      ' show fewer gateway calls where an earlier check left an answer in the cache)',
  );
}
// The second gateway (--compare): the same start command with the settings to compare.
const gw2 =
  o.compare && !profile
    ? await startGateway(sims.env, work, '', { ...shared, ...sharingEnv, ...o.compare }, 'gateway2')
    : undefined;
if (gw2) console.log(`second gateway ("gw2"): ${JSON.stringify(o.compare)}`);
await sleep(1000);
const idle = usage(gwPid);
const startedTree = tree(gwPid);
console.log(`gateway tree: ${startedTree.map((p) => `${p.cmd.slice(0, 60)} (${mb(p.rssBytes)} MB)`).join(' | ')}`);
console.log(`idle RSS after start: server ${mb(idle.serverRss)} MB, whole start command ${mb(idle.treeRss)} MB`);

// undici for the checks (answers parsed and compared with direct's); the raw client for the load, which compares
// each answer's bytes with the checked one.
const pool = new Pool(gw.url, { connections: o.connections, pipelining: 1 });
const load = new RawClient(gw.url, o.connections);
const direct = await createDirect(sims.env);

// The order W4 reads: the first DotZero order.
const w1 = (await direct.W1()) as { workOrders: { edges: { node: { id: string } }[] } };
const orderId = w1.workOrders.edges[0]!.node.id;
const orderUuid = Buffer.from(orderId, 'base64url').toString('utf8').split(':')[2]!;

interface Prepared {
  s: Scenario;
  gateway: Send;
  gateway2?: Send;
  direct: Send;
}
interface Answer {
  data: unknown;
  raw: Buffer;
}
const pool2 = gw2 ? new Pool(gw2.url, { connections: o.connections, pipelining: 1 }) : undefined;
const load2 = gw2 ? new RawClient(gw2.url, o.connections) : undefined;
/** What the load must get from each gateway, per scenario: set by the checks below, before any load. */
const expected = new Map<string, { gw?: Expect; gw2?: Expect }>();
const expectOf = (name: string, which: 'gw' | 'gw2') => {
  const e = expected.get(name)?.[which];
  if (!e) throw new Error(`${name}: no checked answer to compare the load's answers with`);
  return e;
};
const prepared: Prepared[] = scenarios.map((s) => {
  const body = JSON.stringify(
    s.persisted
      ? { documentId: idOf(s.query({ orderId: '' })), variables: s.persisted.variables({ orderId }) }
      : { query: s.query({ orderId }) },
  );
  const ask = async (through = pool): Promise<Answer> => {
    const res = await through.request({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body,
    });
    const raw = Buffer.from(await res.body.arrayBuffer());
    const json = JSON.parse(raw.toString('utf8')) as { data?: unknown; errors?: unknown[] };
    if (res.statusCode !== 200 || json.errors)
      throw new Error(`${s.name} gateway ${res.statusCode}: ${JSON.stringify(json.errors ?? json).slice(0, 300)}`);
    return { data: json.data, raw };
  };
  const request = rawRequest(gw.url, API_KEY, body);
  const request2 = gw2 ? rawRequest(gw2.url, API_KEY, body) : undefined;
  return {
    s,
    gateway: o.loadClient === 'raw' ? () => load.send(request, expectOf(s.name, 'gw')) : () => ask(),
    ...(pool2
      ? {
          gateway2: o.loadClient === 'raw' ? () => load2!.send(request2!, expectOf(s.name, 'gw2')) : () => ask(pool2),
          ask2: () => ask(pool2),
        }
      : {}),
    // The lean handler would serialize its answer too.
    direct: async () => void JSON.stringify(await s.direct(direct, { orderUuid })),
    ask,
    request,
    request2,
  } as Prepared & {
    ask: () => Promise<Answer>;
    ask2?: () => Promise<Answer>;
    request: Buffer;
    request2?: Buffer;
  };
});

/**
 * How the load checks a scenario's answers: byte for byte against the checked answer, if a few more answers through
 * the raw client are the same bytes (the scenarios only read, and request ids travel in a header, not the body);
 * otherwise, said loudly, by a JSON parse and the same canonical comparison the checks make.
 */
async function expectationFor(name: string, client: RawClient, request: Buffer, checked: Answer): Promise<Expect> {
  const SAMPLES = 5;
  const differing: string[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const a = await client.fetch(request);
    if (a.status !== 200)
      throw new Error(`${name}: the raw client got status ${a.status}: ${a.body.toString().slice(0, 300)}`);
    if (!a.body.equals(checked.raw)) differing.push(a.body.toString('utf8', 0, 200));
  }
  if (differing.length === 0) {
    console.log(
      `    load answers checked byte for byte against this answer (${checked.raw.length} bytes; ${SAMPLES} more through the raw client identical)`,
    );
    return checked.raw;
  }
  console.log(
    `    ANSWER VARIES between requests (${differing.length} of ${SAMPLES} differ, first: ${differing[0]}): the load checks it by JSON parse`,
  );
  const want = canonical(checked.data);
  return (body) => {
    const json = JSON.parse(body.toString('utf8')) as { data?: unknown; errors?: unknown[] };
    if (json.errors) return `errors: ${JSON.stringify(json.errors).slice(0, 300)}`;
    return canonical(json.data) === want ? undefined : `answer differs: ${body.toString('utf8', 0, 300)}`;
  };
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
// Same answers, same vendor calls (per route, exactly: sequential, so no request of another query is counted).
console.log('\nchecks (sequential, one query each way):');
for (const p of prepared as (Prepared & { ask: () => Promise<Answer>; request: Buffer; request2?: Buffer })[]) {
  const c0 = await simCounts(sims.admin);
  const checked = await p.ask();
  const g = checked.data;
  const c1 = await simCounts(sims.admin);
  const d = await p.s.direct(direct, { orderUuid });
  const c2 = await simCounts(sims.admin);
  const gRoutes = routeDelta(c1.byRoute, c0.byRoute);
  const dRoutes = routeDelta(c2.byRoute, c1.byRoute);
  const same = canonical(g) === canonical(d);
  const sameCalls = canonical(gRoutes) === canonical(dRoutes);
  console.log(
    `  ${p.s.name} ${p.s.what}: vendor calls gateway ${sum(gRoutes)}, direct ${sum(dRoutes)}` +
      `${sameCalls ? ' (same calls)' : ` — CALLS DIFFER (gateway/direct): ${describeRoutes(gRoutes, dRoutes)}`}; answers ${same ? 'identical' : 'DIFFER'}`,
  );
  if (!same) {
    console.log(`    gateway: ${canonical(g).slice(0, 400)}\n    direct:  ${canonical(d).slice(0, 400)}`);
  }
  const expects: { gw?: Expect; gw2?: Expect } = {};
  expected.set(p.s.name, expects);
  expects.gw = await expectationFor(p.s.name, load, p.request, checked);
  const ask2 = (p as { ask2?: () => Promise<Answer> }).ask2;
  if (ask2) {
    const c3 = await simCounts(sims.admin);
    const checked2 = await ask2();
    const g2 = checked2.data;
    const c4 = await simCounts(sims.admin);
    const calls2 = routeDelta(c4.byRoute, c3.byRoute);
    console.log(
      `  ${p.s.name} gw2: vendor calls ${sum(calls2)}${canonical(calls2) === canonical(dRoutes) ? ' (same calls)' : ' — CALLS DIFFER'}; answers ${canonical(g2) === canonical(d) ? 'identical' : 'DIFFER'}`,
    );
    expects.gw2 = await expectationFor(`${p.s.name} gw2`, load2!, p.request2!, checked2);
  }
}

if (profile) {
  const p = prepared[0]!;
  console.log(`\nprofiling the gateway under ${p.s.name}, closed loop, ${o.connections} connections, ${o.duration} s`);
  if (o.prewarm > 0) await prewarm(p.gateway, o.prewarm);
  const server = serverOf(tree(gwPid))!;
  // The profiler runs from the end of the warm-up to the end of the measured window (SIGUSR2, cpu-profiler.mjs).
  const toggle = setTimeout(
    () => process.kill(server.pid, 'SIGUSR2'),
    (p.s.heavy ? Math.max(o.warmup, 2) : o.warmup) * 1000,
  );
  let queries: number;
  if (profileRate > 0) {
    clearTimeout(toggle);
    process.kill(server.pid, 'SIGUSR2');
    const run = await openLoop(p.gateway, profileRate, undefined, o.duration);
    process.kill(server.pid, 'SIGUSR2');
    queries = run.n;
    console.log(
      `  open loop at ${profileRate} req/s: p50 ${fmt(run.p50, 1)} ms, p99 ${fmt(run.p99, 1)} ms, ${run.errors} errors`,
    );
  } else {
    const run = await closedLoop(p.gateway, sims.admin, gwPid, p.s.heavy, gw.url);
    clearTimeout(toggle);
    process.kill(server.pid, 'SIGUSR2');
    queries = run.n;
    console.log(
      `  ${fmt(run.rps)} req/s, p50 ${fmt(run.p50, 1)} ms, p99 ${fmt(run.p99, 1)} ms, gateway CPU ${fmt(run.gwCpu)}% of a core (load client ${fmt(run.driverCpu)}%), RSS ${mb(run.maxServerRss)} MB, ${fmt(run.scavengesPerSecond)} scavenges/s, GC ${fmt(run.gcPercent, 1)}% of wall`,
    );
  }
  await pool.close();
  const file = `${server.pid}.${allocating ? 'heapprofile' : 'cpuprofile'}`;
  for (let i = 0; i < 300 && !existsSync(join(profDir, file)); i++) await sleep(100);
  if (!existsSync(join(profDir, file))) throw new Error(`no ${file} in ${profDir}`);
  const outDir = join(root, 'bench/out');
  mkdirSync(outDir, { recursive: true });
  const dest = join(outDir, `${p.s.name}-${new Date().toISOString().replace(/[:.]/g, '-')}.${file.split('.')[1]}`);
  writeFileSync(dest, readFileSync(join(profDir, file)));
  console.log(`  profile: ${dest} (open in Chrome DevTools or speedscope)\n`);
  const data = JSON.parse(readFileSync(dest, 'utf8'));
  console.log(allocating ? analyzeAllocations(data, { root, queries }) : analyzeProfile(data, { root }));
  await direct.close();
  process.exit(0);
}

if (o.soak) {
  const p = prepared[0]!;
  console.log(
    `\nsoak: the gateway under ${p.s.name}, closed loop, ${o.connections} connections, ${o.duration} s; RSS every ${o.rssEvery} s`,
  );
  const server = serverOf(tree(gwPid))!;
  const samples: { t: number; rss: number }[] = [];
  const t0 = performance.now();
  const sample = () => samples.push({ t: (performance.now() - t0) / 1000, rss: readProc(server.pid)?.rssBytes ?? 0 });
  sample();
  let peak = 0;
  const peakTimer = setInterval(() => (peak = Math.max(peak, readProc(server.pid)?.rssBytes ?? 0)), 250);
  const timer = setInterval(() => {
    sample();
    const last = samples.at(-1)!;
    console.log(`  t=${fmt(last.t).padStart(4)} s  RSS ${mb(last.rss)} MB`);
  }, o.rssEvery * 1000);
  // heavy=false: the duration is the one given, whatever the scenario.
  const run = await closedLoop(p.gateway, sims.admin, gwPid, false, gw.url);
  clearInterval(timer);
  clearInterval(peakTimer);
  sample();
  const rss = samples.map((x) => x.rss);
  const half = rss.slice(Math.floor(rss.length / 2));
  console.log(
    `  ${fmt(run.rps)} req/s, ${run.errors} errors, p50 ${fmt(run.p50, 1)} ms, p99 ${fmt(run.p99, 1)} ms, ${fmt(run.calls, 1)} vendor calls/query`,
  );
  console.log(
    `  RSS start ${mb(rss[0])} MB, end ${mb(rss.at(-1))} MB, peak ${mb(Math.max(peak, ...rss))} MB; second half min ${mb(Math.min(...half))} / max ${mb(Math.max(...half))} MB`,
  );
  await pool.close();
  await direct.close();
  process.exit(0);
}

// JIT warm-up before anything is measured: otherwise the first round's gateway runs pay for the tier-up alone.
async function prewarm(send: Send, seconds: number) {
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: o.connections }, async () => {
      while (performance.now() < until) await send().catch(() => undefined);
    }),
  );
}
if (o.prewarm > 0) {
  console.log(`\nwarming up: ${o.prewarm} s of each scenario, gateway and direct, unmeasured`);
  for (const p of prepared) {
    await prewarm(p.gateway, o.prewarm);
    if (p.gateway2) await prewarm(p.gateway2, o.prewarm);
    await prewarm(p.direct, o.prewarm);
  }
}

// Interleaved rounds, each starting one place further along: with a second gateway, every mode runs first, in the
// middle and last equally often over three rounds. The order matters on two cores: a fixed one (gw, gw2, direct,
// then reversed) kept the second gateway always in the middle, and that alone made it 0-16% faster than the first
// whichever settings it had (2 December: `--no-parallel-scavenge` won as gw2 and lost as gw, in runs 25 min apart).
const rotated = <T>(xs: T[], by: number): T[] => xs.map((_, i) => xs[(i + by) % xs.length]!);
const modesOf = (p: Prepared): ('gw' | 'gw2' | 'direct')[] => (p.gateway2 ? ['gw', 'gw2', 'direct'] : ['gw', 'direct']);
const results = new Map<string, { gw: Run[]; gw2: Run[]; direct: Run[] }>();
for (const p of prepared) results.set(p.s.name, { gw: [], gw2: [], direct: [] });
console.log(
  `\nclosed loop: ${o.rounds} rounds x ${prepared.length} scenarios, ${o.connections} connections (gateway side: ${o.loadClient === 'raw' ? 'raw-socket client, answers compared byte for byte' : 'undici, answers JSON-parsed'}), ${o.warmup} s warm-up + ${o.duration} s each (heavy ones W2, W3: max(${o.warmup}, 2) s + ${o.duration * o.heavyFactor} s)`,
);
for (let r = 0; r < o.rounds; r++) {
  for (const p of prepared) {
    const res = results.get(p.s.name)!;
    for (const mode of rotated(modesOf(p), r)) {
      const run =
        mode === 'gw'
          ? await closedLoop(p.gateway, sims.admin, gwPid, p.s.heavy, gw.url)
          : mode === 'gw2'
            ? await closedLoop(p.gateway2!, sims.admin, gw2!.child.pid!, p.s.heavy, gw2!.url)
            : await closedLoop(p.direct, sims.admin, undefined, p.s.heavy);
      res[mode].push(run);
      process.stdout.write(
        `  round ${r + 1} ${p.s.name} ${mode.padEnd(6)} ${fmt(run.rps).padStart(6)} req/s${run.errors ? ` ${run.errors} ERRORS` : ''}\n`,
      );
      if (flag('verbose')) {
        const per = Object.entries(run.routes ?? {}).map(([k, v]) => `${k.replace(/^\w+ /, '')} ${v.toFixed(2)}`);
        process.stdout.write(`    calls/query by route: ${per.join('; ')}\n`);
      }
    }
  }
}
await sleep(3000);
const after = usage(gwPid);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
// Median (min-max) over the rounds; a single round is its one figure.
const spread = (xs: number[], d = 0) =>
  xs.length > 1 ? `${fmt(median(xs), d)} (${fmt(Math.min(...xs), d)}-${fmt(Math.max(...xs), d)})` : fmt(xs[0], d);

console.log(
  `\nclosed loop, median (min-max) over ${o.rounds} rounds; ratio = gateway / direct within each round; CPU in % of one core`,
);
console.log(
  [
    'scenario',
    'gateway req/s',
    'direct req/s',
    'ratio',
    'gw p50/p99 ms',
    'direct p50/p99 ms',
    '≈calls/query gw/direct',
    'gw CPU %',
    'gw load client CPU %',
    'direct client CPU %',
    'sims CPU % gw/direct',
    'machine CPU % gw/direct (of 200)',
    'max RSS MB server/tree',
    'gw scavenges/s, GC % of wall',
    'gw CPU ms/query (GC ms)',
    'gw load client CPU ms/query',
    'direct client CPU ms/query',
  ].join(' | '),
);
for (const p of prepared) {
  const { gw: g, direct: d } = results.get(p.s.name)!;
  const ratios = g.map((run, i) => run.rps / d[i]!.rps);
  console.log(
    [
      p.s.name,
      spread(g.map((x) => x.rps)),
      spread(d.map((x) => x.rps)),
      spread(ratios, 2),
      `${fmt(median(g.map((x) => x.p50)), 1)} / ${fmt(median(g.map((x) => x.p99)), 1)}`,
      `${fmt(median(d.map((x) => x.p50)), 1)} / ${fmt(median(d.map((x) => x.p99)), 1)}`,
      `${fmt(median(g.map((x) => x.calls!)), 1)} / ${fmt(median(d.map((x) => x.calls!)), 1)}`,
      spread(g.map((x) => x.gwCpu!)),
      spread(g.map((x) => x.driverCpu)),
      spread(d.map((x) => x.driverCpu)),
      `${fmt(median(g.map((x) => x.simCpu)))} / ${fmt(median(d.map((x) => x.simCpu)))}`,
      // Near 200 on this 2-core machine: the machine, not the gateway, was the limit of that run.
      `${fmt(median(g.map((x) => x.gwCpu! + x.driverCpu + x.simCpu)))} / ${fmt(median(d.map((x) => x.driverCpu + x.simCpu)))}`,
      `${mb(Math.max(...g.map((x) => x.maxServerRss!)))} / ${mb(Math.max(...g.map((x) => x.maxTreeRss!)))}`,
      `${fmt(median(g.map((x) => x.scavengesPerSecond ?? NaN)))}, ${fmt(median(g.map((x) => x.gcPercent ?? NaN)), 1)}`,
      // CPU time per query moves least with the machine's other load: the figure to compare between runs.
      `${fmt(median(g.map((x) => (x.gwCpu! * 10) / x.rps)), 2)} (${fmt(median(g.map((x) => ((x.gcPercent ?? NaN) * 10) / x.rps)), 2)})`,
      fmt(median(g.map((x) => (x.driverCpu * 10) / x.rps)), 3),
      fmt(median(d.map((x) => (x.driverCpu * 10) / x.rps)), 2),
    ].join(' | '),
  );
}
if (gw2) {
  console.log(
    `\nsecond gateway (gw2: ${JSON.stringify(o.compare)}) against the first, same rounds; median (min-max) of per-round ratios`,
  );
  console.log(
    [
      'scenario',
      'gw req/s',
      'gw2 req/s',
      'gw2 / gw',
      'gw ratio to direct',
      'gw2 ratio to direct',
      'gw CPU ms/query',
      'gw2 CPU ms/query',
      'gw2 p50/p99 ms',
      'gw2 max RSS MB server/tree',
    ].join(' | '),
  );
  for (const p of prepared) {
    const { gw: g, gw2: g2, direct: d } = results.get(p.s.name)!;
    console.log(
      [
        p.s.name,
        spread(g.map((x) => x.rps)),
        spread(g2.map((x) => x.rps)),
        spread(
          g2.map((run, i) => run.rps / g[i]!.rps),
          2,
        ),
        spread(
          g.map((run, i) => run.rps / d[i]!.rps),
          2,
        ),
        spread(
          g2.map((run, i) => run.rps / d[i]!.rps),
          2,
        ),
        fmt(median(g.map((x) => (x.gwCpu! * 10) / x.rps)), 2),
        fmt(median(g2.map((x) => (x.gwCpu! * 10) / x.rps)), 2),
        `${fmt(median(g2.map((x) => x.p50)), 1)} / ${fmt(median(g2.map((x) => x.p99)), 1)}`,
        `${mb(Math.max(...g2.map((x) => x.maxServerRss!)))} / ${mb(Math.max(...g2.map((x) => x.maxTreeRss!)))}`,
      ].join(' | '),
    );
  }
}
console.log(
  `idle RSS: after start server ${mb(idle.serverRss)} / tree ${mb(idle.treeRss)} MB; 3 s after the load server ${mb(after.serverRss)} / tree ${mb(after.treeRss)} MB`,
);

if (o.openDuration > 0) {
  console.log(
    `\nopen loop at ${o.rate} req/s (or half a scenario's closed-loop capacity, if lower) for ${o.openDuration} s, ${o.openRounds} interleaved round(s); latency from the scheduled start; median (min-max) over the rounds`,
  );
  console.log(
    [
      'scenario',
      'gateway p50/p99 ms',
      'direct p50/p99 ms',
      'added p50 / p99 ms',
      // One round's p99 is a handful of answers; every round's answers together give a steadier one.
      'all rounds pooled: gateway p99 / direct p99 / added p50, p99 ms',
      'CPU % of a core: gateway / bench process (direct)',
      ...(gw2
        ? [
            'gw2 p50/p99 ms',
            'gw2 added p50 / p99 ms',
            'gw2 pooled: gw2 p99 / direct p99 / added p50, p99 ms',
            'gw2 CPU %',
          ]
        : []),
    ].join(' | '),
  );
  type Open = Awaited<ReturnType<typeof openLoop>>;
  const latencies = (p50: number[], p99: number[]) => `${spread(p50, 2)} / ${spread(p99, 2)}`;
  const pair = (xs: Open[]) =>
    latencies(
      xs.map((x) => x.p50),
      xs.map((x) => x.p99),
    );
  const added = (xs: Open[], ds: Open[]) =>
    latencies(
      xs.map((x, i) => x.p50 - ds[i]!.p50),
      xs.map((x, i) => x.p99 - ds[i]!.p99),
    );
  const cpuOf = (xs: Open[]) => spread(xs.map((x) => x.cpu));
  const pooled = (xs: Open[]) => xs.flatMap((x) => x.latencies).sort((a, b) => a - b);
  const pooledAdded = (xs: Open[], ds: Open[]) => {
    const [a, b] = [pooled(xs), pooled(ds)];
    return `${fmt(pct(a, 99), 2)} / ${fmt(pct(b, 99), 2)} / ${fmt(pct(a, 50) - pct(b, 50), 2)}, ${fmt(pct(a, 99) - pct(b, 99), 2)} (n ${a.length}, ${b.length})`;
  };
  const errorsOf = (xs: Open[]) => {
    const n = xs.reduce((a, x) => a + x.errors, 0);
    return n ? ` (${n} errors)` : '';
  };
  for (const p of prepared) {
    // A rate the closed loop could not sustain measures only the queue: such a scenario runs at half its capacity.
    const capacity = Math.min(
      median(results.get(p.s.name)!.gw.map((x) => x.rps)),
      median(results.get(p.s.name)!.direct.map((x) => x.rps)),
    );
    const rate = Math.min(o.rate, Math.max(1, Math.floor(capacity / 2)));
    const g: Open[] = [];
    const g2: Open[] = [];
    const d: Open[] = [];
    for (let round = 0; round < o.openRounds; round++) {
      for (const mode of rotated(modesOf(p), round)) {
        if (mode === 'gw') g.push(await openLoop(p.gateway, rate, gwPid));
        else if (mode === 'gw2') g2.push(await openLoop(p.gateway2!, rate, gw2!.child.pid!));
        else d.push(await openLoop(p.direct, rate));
      }
    }
    console.log(
      [
        `${p.s.name}${rate < o.rate ? ` at ${rate} req/s (half its capacity)` : ''}`,
        `${pair(g)}${errorsOf(g)}`,
        pair(d),
        added(g, d),
        pooledAdded(g, d),
        `${cpuOf(g)} / ${cpuOf(d)}`,
        ...(p.gateway2 ? [`${pair(g2)}${errorsOf(g2)}`, added(g2, d), pooledAdded(g2, d), cpuOf(g2)] : []),
      ].join(' | '),
    );
  }
}

if (o.settle > 0) {
  await sleep(o.settle * 1000);
  console.log(
    `\nidle RSS settled: ${o.settle} s after the last request, server ${mb(usage(gwPid).serverRss)} MB${gw2 ? `, gw2 ${mb(usage(gw2.child.pid!).serverRss)} MB` : ''} (V8 gives back what the load grew once allocation has stopped for a while; "after start" above is read 1 s after start-up, before that)`,
  );
}

await pool.close();
await pool2?.close();
load.close();
load2?.close();
await direct.close();
if (existsSync(gw.log)) {
  const errs = readFileSync(gw.log, 'utf8')
    .split('\n')
    .filter((l) => /"level":(50|60)/.test(l));
  if (errs.length) console.log(`\ngateway logged ${errs.length} errors; first: ${errs[0]!.slice(0, 300)}`);
}
process.exit(0);
