// Metrics under WORKERS=N. A scrape reaches one worker (the primary hands connections round-robin), and one
// worker's counts alone would be wrong by a factor nobody could tell from the numbers. So a worker answers /metrics
// with every worker's figures: it asks the primary, which asks each worker for its registry and merges them
// (prom-client's AggregatorRegistry: counters and histograms summed, each gauge by its own aggregator).
// Kept apart from metrics.ts so that the primary, which serves nothing, loads no GraphQL.
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * Set by the primary for its workers: only a worker of ours has a primary that gathers (a gateway embedded in
 * someone else's cluster worker answers for itself, as any lone gateway).
 */
export const GATHERED_BY_PRIMARY_ENV = 'MESGW_CLUSTER_METRICS';

/** True in a worker whose primary is ours (cluster.ts), which answers for every worker. */
export const gatheredByPrimary = (): boolean => cluster.isWorker && process.env[GATHERED_BY_PRIMARY_ENV] === '1';

const ASK = 'mes-gateway:metrics-of-every-worker';
const ANSWER = 'mes-gateway:metrics-of-every-worker:answer';
type Ask = { type: typeof ASK; id: number };
type Answer = { type: typeof ANSWER; id: number; text?: string; error?: string };

/**
 * In a cluster's primary: answers a worker's request for the metrics of every worker. prom-client's aggregator asks
 * each connected worker for its registry and merges them (counters and histograms summed, gauges as each says).
 */
export function gatherWorkerMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Ask | undefined) => {
    if (message?.type !== ASK) return;
    const reply = (answer: Omit<Answer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, ...answer } satisfies Answer);
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (err: Error) => reply({ error: err.message }),
    );
  });
}

/** In a worker: the metrics text of every worker, asked of the primary (which asks each worker, this one included). */
export function everyWorkersMetrics(registry: Registry): () => Promise<string> {
  // prom-client answers the primary's request for this worker's figures from the registries set here; its listener
  // for that request is added by the first AggregatorRegistry made in the process, so one is made for that alone.
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry();
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();
  let next = 0;
  process.on('message', (message: Answer | undefined) => {
    if (message?.type !== ANSWER) return;
    const w = waiting.get(message.id);
    if (!w) return;
    waiting.delete(message.id);
    if (message.text !== undefined) w.resolve(message.text);
    else w.reject(new Error(message.error ?? 'no answer'));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      // prom-client gives up on a silent worker after 5 s; this covers a primary that never answers.
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the primary did not answer within 10 s'));
      }, 10_000);
      waiting.set(id, {
        resolve: (text) => (clearTimeout(timer), resolve(text)),
        reject: (err) => (clearTimeout(timer), reject(err)),
      });
      process.send!({ type: ASK, id } satisfies Ask);
    });
}
