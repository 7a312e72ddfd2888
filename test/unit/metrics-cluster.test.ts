// Whose figures /metrics answers with. A worker of our own primary (WORKERS=N) asks it for every worker's; any other
// process answers for itself, including a gateway embedded in a cluster worker of someone else's, whose primary
// knows nothing of the question (it would wait for an answer that never comes). The IPC path itself is
// test/integration/cluster.test.ts's.
import cluster from 'node:cluster';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics.js';
import { GATHERED_BY_PRIMARY_ENV, gatheredByPrimary } from '../../src/metrics-cluster.js';

const mutableCluster = cluster as { isWorker: boolean };
const wasWorker = cluster.isWorker;

afterEach(() => {
  mutableCluster.isWorker = wasWorker;
  delete process.env[GATHERED_BY_PRIMARY_ENV];
});

async function scrape(metrics: ReturnType<typeof createMetrics>): Promise<Response> {
  let answer: Response | undefined;
  const url = new URL('http://gateway.test/metrics');
  await (metrics.plugin.onRequest as (payload: unknown) => Promise<void>)({
    request: new Request(url),
    url,
    endResponse: (r: Response) => void (answer = r),
    fetchAPI: { Response },
  });
  if (!answer) throw new Error('/metrics was not answered');
  return answer;
}

describe('/metrics outside a cluster of our own', () => {
  it.each([
    { what: 'a lone process', worker: false, env: undefined },
    { what: "a worker of someone else's primary", worker: true, env: undefined },
    { what: 'a lone process with the variable set by hand', worker: false, env: '1' },
  ])('$what answers with its own registry at once', async ({ worker, env }) => {
    mutableCluster.isWorker = worker;
    if (env !== undefined) process.env[GATHERED_BY_PRIMARY_ENV] = env;
    expect(gatheredByPrimary()).toBe(false);
    const metrics = createMetrics();
    metrics.observeOperation('query', performance.now(), { data: {} }, 0);
    const res = await scrape(metrics);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^mes_gateway_graphql_operations_total\{type="query",outcome="ok"\} 1$/m);
  });

  it("a worker of our primary asks it (the variable the primary sets, in a cluster's worker)", () => {
    mutableCluster.isWorker = true;
    process.env[GATHERED_BY_PRIMARY_ENV] = '1';
    expect(gatheredByPrimary()).toBe(true);
  });
});
