// The generic MES authenticates with a static API key sent as a Bearer token. There is nothing to refresh: when the
// vendor answers 401 the key itself is wrong, so unauthorized() says so at once and VendorHttp does not resend.
import type { VendorAuth } from '../http.js';

export function staticKeyAuth(apiKey: string): VendorAuth {
  if (apiKey.length === 0) throw new Error('GENERIC_MES API key is empty');
  // Built once: the header never changes, and a closure keeps the key out of any object that might be logged.
  const header = `Bearer ${apiKey}`;
  return {
    authorization: () => Promise.resolve(header),
    unauthorized: () => Promise.resolve(false),
  };
}
