import {
  type DocumentNode,
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  parse,
  validate,
} from 'graphql';
import type { Throttles } from './bucket';
import type { GraphqlContext } from './context';
import { actualCost, fragmentsOf, requestedCost } from './cost';
import { maxCostExceeded, shopifyValidationError, THROTTLED_ERROR } from './shopify-errors';
import type { ShopState } from '../store/shop';

/** The API versions Shopify supports on 2026-11 (four stable quarters, the release candidate, unstable). */
export const SUPPORTED_API_VERSIONS = ['2026-01', '2026-04', '2026-07', '2026-10', '2027-01', 'unstable'] as const;
export const MAX_QUERY_COST = 1_000;

export interface GraphqlHttpRequest {
  version: string;
  accessToken: string | undefined;
  body: unknown;
  origin: string;
}

export interface GraphqlHttpResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface GraphqlPipelineDeps {
  schema: GraphQLSchema;
  shopForToken: (token: string | undefined) => ShopState | undefined;
  throttles: Throttles;
  contextFor: (shop: ShopState, origin: string, version: string) => GraphqlContext;
  onRequest?: (outcome: 'ok' | 'throttled' | 'max_cost' | 'invalid' | 'unauthorized', cost: number) => void;
}

/**
 * One Admin GraphQL request, end to end, in Shopify's order: version, token,
 * parse, validate, cost (refused over 1,000 points), bucket (THROTTLED when
 * the requested cost is not available), execute, refund the difference
 * between requested and actual cost, report `extensions.cost`.
 */
export class AdminGraphqlPipeline {
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[]>();

  constructor(private readonly deps: GraphqlPipelineDeps) {}

  async handle(request: GraphqlHttpRequest): Promise<GraphqlHttpResponse> {
    const headers: Record<string, string> = { 'x-request-id': crypto.randomUUID() };
    if (!(SUPPORTED_API_VERSIONS as readonly string[]).includes(request.version)) {
      return { status: 404, body: { errors: 'Not Found' }, headers };
    }
    headers['x-shopify-api-version'] = request.version;
    const shop = this.deps.shopForToken(request.accessToken);
    if (!shop) {
      this.deps.onRequest?.('unauthorized', 0);
      return { status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }, headers };
    }
    const body = request.body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
    if (!body || typeof body.query !== 'string' || body.query.trim() === '') {
      return { status: 400, body: { errors: { query: 'Required parameter missing or invalid' } }, headers };
    }
    const variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;

    const document = this.documentFor(body.query);
    if (!('kind' in document)) {
      this.deps.onRequest?.('invalid', 0);
      return { status: 200, body: { errors: document.map((error) => shopifyValidationError(error)) }, headers };
    }
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return { status: 200, body: { errors: [{ message: operationName ? `No operation named "${operationName}"` : 'An operation name is required' }] }, headers };
    }
    const coerced = getVariableValues(this.deps.schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) {
      return { status: 200, body: { errors: coerced.errors.map((error) => error.toJSON()) }, headers };
    }
    const fragments = fragmentsOf(document);
    const cost = requestedCost(this.deps.schema, operation, fragments, coerced.coerced);
    if (cost.errors.length > 0) {
      this.deps.onRequest?.('invalid', 0);
      return { status: 200, body: { errors: cost.errors.map((error) => error.toJSON()) }, headers };
    }
    if (cost.requested > MAX_QUERY_COST) {
      this.deps.onRequest?.('max_cost', 0);
      return { status: 200, body: { errors: [maxCostExceeded(cost.requested, MAX_QUERY_COST)] }, headers };
    }

    const bucket = this.deps.throttles.bucket(shop.info.domain, request.accessToken!);
    if (!bucket.tryTake(cost.requested)) {
      this.deps.onRequest?.('throttled', 0);
      return {
        status: 200,
        body: {
          errors: [THROTTLED_ERROR],
          extensions: { cost: { requestedQueryCost: cost.requested, actualQueryCost: null, throttleStatus: bucket.status() } },
        },
        headers,
      };
    }

    const result = await execute({
      schema: this.deps.schema,
      document,
      operationName,
      variableValues: coerced.coerced,
      contextValue: this.deps.contextFor(shop, request.origin, request.version),
    });
    const actual = result.data ? Math.min(cost.requested, actualCost(this.deps.schema, operation, fragments, coerced.coerced, result.data)) : cost.requested;
    bucket.refund(cost.requested - actual);
    this.deps.onRequest?.('ok', actual);
    const errors: GraphQLFormattedError[] | undefined = result.errors?.map((error) => error.toJSON());
    return {
      status: 200,
      body: {
        ...(errors ? { errors } : {}),
        data: result.data ?? null,
        extensions: { cost: { requestedQueryCost: cost.requested, actualQueryCost: actual, throttleStatus: bucket.status() } },
      },
      headers,
    };
  }

  /** Parsed and validated documents are cached by text: a paginating client sends the same query hundreds of times. */
  private documentFor(query: string): DocumentNode | readonly GraphQLError[] {
    const cached = this.documents.get(query);
    if (cached) return cached;
    let result: DocumentNode | readonly GraphQLError[];
    try {
      const document = parse(query);
      const errors = validate(this.deps.schema, document);
      result = errors.length > 0 ? errors : document;
    } catch (error) {
      result = [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
    }
    if (this.documents.size >= 1_000) this.documents.delete(this.documents.keys().next().value!);
    this.documents.set(query, result);
    return result;
  }
}
