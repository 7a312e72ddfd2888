// Self time of a V8 .cpuprofile by package, for `npm run bench -- --profile W2`. Built-in frames without a script
// (RegExp, Promise and Array builtins, native bindings) count for the nearest caller that has one, except JSON's
// parse/stringify, which get their own line; idle time (and the profiler's own inspector session) is left out of
// the percentages.

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: Frame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const GROUPS: [RegExp, string][] = [
  [/^graphql$/, 'graphql-js'],
  [/^@graphql-tools\/executor$/, "GraphQL execution (@graphql-tools/executor, yoga's)"],
  [
    /^(graphql-yoga|@graphql-yoga\/.*|@envelop\/.*|@whatwg-node\/.*|@graphql-tools\/.*|urlpattern-polyfill|@repeaterjs\/.*)$/,
    'yoga / envelop / whatwg-node',
  ],
  [/^@escape\.tech\/.*$/, 'graphql-armor'],
  [/^@pothos\/.*$/, 'Pothos'],
  [/^dataloader$/, 'dataloader'],
  [/^undici$/, 'undici'],
  [
    /^(pino|pino-.*|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|atomic-sleep|on-exit-leak-free|safe-stable-stringify)$/,
    'pino',
  ],
  [/^(prom-client|tdigest|bintrees)$/, 'prom-client'],
  [/^cockatiel$/, 'cockatiel'],
  [/^graphql-scalars$/, 'graphql-scalars'],
  [/^(tsx|esbuild|get-tsconfig)$/, 'tsx (loader)'],
];

function packageOf(url: string): string | undefined {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return m?.[1];
}

export function categoryOf(frame: Frame, root: string): string | undefined {
  const { functionName: fn, url } = frame;
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return 'V8 / native (program)';
  if (fn === '(root)') return 'V8 / native (program)';
  if (!url) return fn === 'parse' || fn === 'stringify' ? 'JSON' : undefined;
  if (url.startsWith('wasm://')) return 'undici'; // llhttp, undici's HTTP parser, is the only WebAssembly here
  const pkg = packageOf(url);
  if (pkg) return GROUPS.find(([re]) => re.test(pkg))?.[1] ?? `other: ${pkg}`;
  if (url.startsWith('node:')) {
    if (/inspector/.test(url)) return 'idle'; // the profiler's own session, not the gateway's work
    if (/async_hooks|async_local_storage/.test(url)) return 'node: async_hooks (AsyncResource, AsyncLocalStorage)';
    if (/_http|internal\/http|node:http/.test(url)) return 'node: http';
    if (/domexception/.test(url)) return 'node: DOMException';
    if (/webstreams/.test(url)) return 'node: web streams';
    if (/net|stream|tcp|socket|dns/.test(url)) return 'node: net / streams';
    if (/task_queues|timers/.test(url)) return 'node: microtasks / timers';
    if (/events/.test(url)) return 'node: events';
    if (/url/.test(url)) return 'node: url';
    if (/buffer|encoding/.test(url)) return 'node: buffer / encoding';
    return `node: other (${url.replace(/^node:(internal\/)?/, '')})`;
  }
  const path = url.replace(/^file:\/\//, '');
  if (path.startsWith(`${root}/src/`) || path.startsWith(`${root}/dist/`)) return 'ours';
  return `other: ${url.slice(0, 60)}`;
}

const ours = (url: string, root: string) => url.replace(/^file:\/\//, '').replace(`${root}/`, '');

export function analyzeProfile(profile: CpuProfile, opts: { from?: number; to?: number; root: string }): string {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  /** A sample's category, and the frame it is charged to (itself, or the nearest caller with a script). */
  const memo = new Map<number, { cat: string; frame: Frame }>();
  const catOf = (id: number): { cat: string; frame: Frame } => {
    const hit = memo.get(id);
    if (hit) return hit;
    let cur: number | undefined = id;
    let cat: string | undefined;
    let frame = byId.get(id)!.callFrame;
    while (cur !== undefined && cat === undefined) {
      frame = byId.get(cur)!.callFrame;
      cat = categoryOf(frame, opts.root);
      cur = parent.get(cur);
    }
    const out = { cat: cat ?? 'V8 / native (program)', frame };
    memo.set(id, out);
    return out;
  };

  let t = profile.startTime;
  const inWindow = (ts: number) =>
    (opts.from === undefined || ts >= opts.from) && (opts.to === undefined || ts <= opts.to);
  // The window comes from the bench's monotonic clock; if it does not overlap the profile, use the whole profile.
  let any = false;
  {
    let u = profile.startTime;
    for (const d of profile.timeDeltas) {
      u += d;
      if (inWindow(u)) {
        any = true;
        break;
      }
    }
  }
  const cats = new Map<string, number>();
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (any && !inWindow(t)) continue;
    const id = profile.samples[i]!;
    const { cat, frame: charged } = catOf(id);
    if (cat === 'idle') {
      idle += dt;
      continue;
    }
    total += dt;
    cats.set(cat, (cats.get(cat) ?? 0) + dt);
    const f = byId.get(id)!.callFrame;
    if (cat === 'ours') {
      const file = ours(charged.url, opts.root);
      files.set(file, (files.get(file) ?? 0) + dt);
    }
    const key = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.includes('node_modules') ? packageOf(f.url) : ours(f.url, opts.root)}:${f.lineNumber + 1}` : '(builtin)'}`;
    fns.set(key, (fns.get(key) ?? 0) + dt);
  }
  const pc = (v: number) => `${((v / total) * 100).toFixed(1).padStart(5)}%`;
  const ms = (v: number) => `${(v / 1000).toFixed(0).padStart(7)} ms`;
  const lines: string[] = [];
  lines.push(
    `self time by package, ${any ? 'given window' : 'measured window'}: ${ms(total).trim()} busy, ${ms(idle).trim()} idle (excluded)`,
  );
  const sorted = [...cats].sort((a, b) => b[1] - a[1]);
  const small = sorted.filter(([k, v]) => k.startsWith('node: other') && v / total < 0.005);
  for (const [k, v] of sorted) if (!small.some(([s]) => s === k)) lines.push(`  ${pc(v)} ${ms(v)}  ${k}`);
  const rest = small.reduce((n, [, v]) => n + v, 0);
  if (rest > 0) lines.push(`  ${pc(rest)} ${ms(rest)}  node: other (${small.length} small)`);
  lines.push('\nour files (self time, % of busy):');
  for (const [k, v] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${pc(v)}  ${k}`);
  lines.push('\ntop functions (self time):');
  for (const [k, v] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(`  ${pc(v)}  ${k}`);
  return lines.join('\n');
}

interface HeapNode {
  callFrame: Frame;
  selfSize: number;
  children: HeapNode[];
}
export interface HeapProfile {
  head: HeapNode;
}

/**
 * Bytes allocated by package, file and function, from a sampling heap profile that kept collected objects
 * (`npm run bench -- --alloc W1`), per query when the number of queries is given. Built-ins without a script count
 * for the nearest caller with one, as in analyzeProfile.
 */
export function analyzeAllocations(profile: HeapProfile, opts: { root: string; queries?: number }): string {
  const cats = new Map<string, number>();
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode, charged: Frame | undefined) => {
    const f = node.callFrame;
    const own = f.url ? f : charged;
    if (node.selfSize > 0) {
      const cat = (own && categoryOf(own, opts.root)) ?? categoryOf(f, opts.root) ?? 'V8 / native (program)';
      total += node.selfSize;
      cats.set(cat, (cats.get(cat) ?? 0) + node.selfSize);
      if (cat === 'ours' && own) {
        const file = ours(own.url, opts.root);
        files.set(file, (files.get(file) ?? 0) + node.selfSize);
      }
      const at = own ?? f;
      const key = `${at.functionName || '(anonymous)'} ${at.url ? `${at.url.includes('node_modules') ? packageOf(at.url) : ours(at.url, opts.root)}:${at.lineNumber + 1}` : '(builtin)'}${own && own !== f ? ` [${f.functionName}]` : ''}`;
      fns.set(key, (fns.get(key) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c, own);
  };
  walk(profile.head, undefined);
  const q = opts.queries && opts.queries > 0 ? opts.queries : undefined;
  const pc = (v: number) => `${((v / total) * 100).toFixed(1).padStart(5)}%`;
  const kb = (v: number) =>
    q ? `${(v / q / 1024).toFixed(1).padStart(7)} KB/query` : `${(v / 2 ** 20).toFixed(1)} MB`;
  const lines = [
    `allocated (sampled, collected objects included): ${(total / 2 ** 20).toFixed(0)} MB${q ? `, ${(total / q / 1024).toFixed(1)} KB per query over ${q} queries` : ''}`,
  ];
  for (const [k, v] of [...cats].sort((a, b) => b[1] - a[1]))
    if (v / total >= 0.003) lines.push(`  ${pc(v)} ${kb(v)}  ${k}`);
  lines.push('\nour files:');
  for (const [k, v] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${pc(v)} ${kb(v)}  ${k}`);
  lines.push('\ntop allocating functions:');
  for (const [k, v] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 30)) lines.push(`  ${pc(v)} ${kb(v)}  ${k}`);
  return lines.join('\n');
}
