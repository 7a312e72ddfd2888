// Whose figures /metrics answers with. A worker of our own primary (WORKERS=N) asks it for every worker's; any other
// process answers for itself, including a gateway embedded in a cluster worker of someone else's, whose primary
// knows nothing of the question (it would wait for an answer that never comes). Here the primary's side of the IPC
// is played by a stand-in for process.send; the real one is test/integration/cluster.test.ts's.
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

describe("/metrics in a worker of our primary: the primary's answer", () => {
  /** Stands in for the primary: each question of ours is answered at once with `answer`; anything else goes on. */
  async function scrapeAnswered(answer: { text?: string; error?: string }): Promise<Response> {
    mutableCluster.isWorker = true;
    process.env[GATHERED_BY_PRIMARY_ENV] = '1';
    const metrics = createMetrics();
    metrics.observeOperation('query', performance.now(), { data: {} }, 0);
    const send = process.send;
    const asked: unknown[] = [];
    process.send = ((message: { type?: string; id?: number }, ...rest: unknown[]) => {
      if (message?.type !== 'mes-gateway:metrics-of-every-worker')
        return (send as (...args: unknown[]) => boolean).call(process, message, ...rest);
      asked.push(message);
      queueMicrotask(() =>
        (process.emit as (event: string, message: unknown) => boolean)('message', {
          type: 'mes-gateway:metrics-of-every-worker:answer',
          id: message.id,
          ...answer,
        }),
      );
      return true;
    }) as typeof process.send;
    try {
      const res = await scrape(metrics);
      expect(asked).toHaveLength(1);
      return res;
    } finally {
      process.send = send;
    }
  }

  it('serves the text the primary gathered, not its own registry', async () => {
    const res = await scrapeAnswered({ text: 'mes_gateway_graphql_operations_total{type="query",outcome="ok"} 7\n' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('mes_gateway_graphql_operations_total{type="query",outcome="ok"} 7\n');
  });

  it('fails the scrape with a 503 that says why when a worker did not answer, rather than serve its own figures', async () => {
    const res = await scrapeAnswered({ error: 'Operation timed out.' });
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('metrics of every worker could not be gathered: Operation timed out.\n');
  });
});
