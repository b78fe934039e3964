import { parseId } from '@understudy/shopify';
import type { GraphQLResolveInfo } from 'graphql';
import type { ConnectionArgs } from './connection';
import type { GraphqlContext } from './context';

export type Args = Record<string, unknown>;

/** Inside a bulk operation, nested connections are read whole; the runner pages the top-level one. */
export function connectionArgs(args: Args, info: GraphQLResolveInfo, context: GraphqlContext): ConnectionArgs {
  if (context.bulk && info.path.prev !== undefined) return { first: Number.MAX_SAFE_INTEGER, reverse: args['reverse'] as boolean };
  return args as ConnectionArgs;
}

export function gidNumber(value: unknown, type: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const id = parseId(value, type);
  return id === undefined ? undefined : Number(id);
}

