// The security layer's refusals: GraphQL errors with a stable `extensions.code` and the HTTP status (and headers)
// that yoga puts on the response. `extensions.http` is yoga's channel for those and never reaches the client's body.
import { GraphQLError, type ASTNode } from 'graphql';

export type RefusalCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'PERSISTED_QUERY_NOT_IN_LIST'
  | 'BAD_REQUEST'
  | 'CSRF_PREVENTED'
  | 'INTROSPECTION_DISABLED'
  | 'DEPTH_LIMIT_EXCEEDED'
  | 'ALIAS_LIMIT_EXCEEDED'
  | 'TOKEN_LIMIT_EXCEEDED'
  | 'DIRECTIVE_LIMIT_EXCEEDED'
  | 'COST_LIMIT_EXCEEDED'
  | 'ENTITY_LIMIT_EXCEEDED';

export function refusal(
  code: RefusalCode,
  message: string,
  status: number,
  extra: { headers?: Record<string, string>; extensions?: Record<string, unknown>; nodes?: readonly ASTNode[] } = {},
): GraphQLError {
  return new GraphQLError(message, {
    ...(extra.nodes ? { nodes: extra.nodes } : {}),
    extensions: {
      code,
      ...extra.extensions,
      // spec: false keeps the status for application/json clients too (yoga otherwise answers them 200).
      http: { status, spec: false, ...(extra.headers ? { headers: extra.headers } : {}) },
    },
  });
}
