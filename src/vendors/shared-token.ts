// A vendor session shared by every replica (issue 12): the current token lives in a shared store, and a refresh is
// single-flight across replicas — one replica refreshes under a short lease, the others wait for the token it
// writes and use it. A vendor whose refresh token may be single-use (DotZero) must never refresh from two places.
// The store is given by the process (src/shared/tokens.ts, on Redis); the vendors only see this interface.

export interface SharedToken {
  /** The access token as sent (e.g. `Bearer ...`). */
  header: string;
  /** Epoch ms after which it should not be used. */
  expiresAt: number;
}

export interface SharedTokenStore {
  read(name: string): Promise<SharedToken | null>;
  /**
   * Replaces the token unless another replica already has: runs `refresh` under the lease when the shared token is
   * still `stale` (or absent), and answers the token it wrote; otherwise waits for the holder's token and answers
   * that. `refresh` runs at most once across replicas for one stale token.
   */
  refresh(name: string, stale: string | undefined, refresh: () => Promise<SharedToken>): Promise<SharedToken>;
}
