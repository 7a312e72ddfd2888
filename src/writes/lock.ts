// Per-key async mutex: work on one key runs one at a time, in arrival order; different keys run in parallel.
// It makes "read the state, check the table, call the vendor" atomic within this process, so two racing changes to
// one order cannot both pass the check.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.catch(() => undefined).then(fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      // Only the last waiter clears the entry, so the map does not grow with every order ever touched.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
