// DataLoader shapes the adapters share: per request, never between callers.
import DataLoader from 'dataloader';
import { NotFoundError } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';

/**
 * A DataLoader over a vendor's lookup by keys: every key asked for in one tick goes to one `fetch` (which batches
 * where the vendor can, else calls once per distinct key in parallel); a key it answers nothing for is not found,
 * and a fetch that throws fails each of its keys.
 */
export function byKeys<T>(vendor: Vendor, fetch: (keys: string[]) => Promise<(T | Error)[]>): DataLoader<string, T> {
  return new DataLoader<string, T>(async (keys) => {
    let answers: (T | Error)[];
    try {
      answers = await fetch([...keys]);
    } catch (err) {
      answers = keys.map(() => (err instanceof Error ? err : new Error(String(err))));
    }
    return keys.map((_k, i) => answers[i] ?? new NotFoundError(`No such ${vendor} record`, vendor));
  });
}

/** A DataLoader over a single-key fetch: each distinct key once per request, all in parallel. */
export function perKey<T>(fetch: (k: string) => Promise<T>): DataLoader<string, T> {
  return new DataLoader<string, T>(async (keys) => Promise.all(keys.map((k) => fetch(k).catch((e: Error) => e))));
}
