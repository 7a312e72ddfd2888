// Composes this gateway's subgraph SDL with other subgraphs into a Federation v2 supergraph, with The Guild's
// composition library (MIT): what `npm run supergraph` prints and what the composition test serves with Hive Gateway.
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { printedSubgraphSchema } from '../src/schema/index.js';

export interface SubgraphSource {
  /** Subgraph name in the supergraph (join__Graph). */
  name: string;
  /** Where the router sends this subgraph's queries. */
  url: string;
  /** The subgraph's SDL, as `{ _service { sdl } }` answers it. */
  sdl: string;
}

export const MES_SUBGRAPH = 'mes';

/** The supergraph SDL of this gateway (named `mes`, served at `mesUrl`) and the other subgraphs. */
export function composeSupergraph(mesUrl: string, others: readonly SubgraphSource[]): string {
  const services = [{ name: MES_SUBGRAPH, url: mesUrl, sdl: printedSubgraphSchema() }, ...others];
  const names = services.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`Two subgraphs are named "${twice}"`);
  const result = composeServices(services.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (compositionHasErrors(result)) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

/** A subgraph's SDL from its running server: the `_service { sdl }` query every Federation subgraph answers. */
export async function fetchSubgraphSdl(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await res.json().catch(() => null)) as {
    data?: { _service?: { sdl?: string } };
    errors?: { message: string }[];
  } | null;
  const sdl = body?.data?._service?.sdl;
  if (typeof sdl !== 'string') {
    throw new Error(
      `${url} did not answer _service { sdl } (HTTP ${res.status}${body?.errors?.[0] ? `: ${body.errors[0].message}` : ''})`,
    );
  }
  return sdl;
}
