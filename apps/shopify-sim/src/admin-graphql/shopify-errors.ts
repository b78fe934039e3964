import type { GraphQLError, GraphQLFormattedError } from 'graphql';

/**
 * Shopify runs graphql-ruby, so its validation errors read differently from
 * graphql-js's. The common ones are rewritten to Shopify's wording and
 * `extensions.code`, e.g.
 * `{"message":"Field 'foo' doesn't exist on type 'QueryRoot'","extensions":{"code":"undefinedField","typeName":"QueryRoot","fieldName":"foo"}}`.
 */
export function shopifyValidationError(error: GraphQLError): GraphQLFormattedError {
  const base = { locations: error.locations ? [...error.locations] : undefined };
  let match = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(error.message);
  if (match) {
    return {
      message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`,
      ...base,
      extensions: { code: 'undefinedField', typeName: match[2], fieldName: match[1] },
    };
  }
  match = /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./.exec(error.message);
  if (match) {
    return {
      message: `Field '${match[3]}' doesn't accept argument '${match[1]}'`,
      ...base,
      extensions: { code: 'argumentNotAccepted', name: match[3], typeName: 'Field', argumentName: match[1] },
    };
  }
  match = /^Field "(\w+)" of type "([^"]+)" must have a selection of subfields/.exec(error.message);
  if (match) {
    return {
      message: `Field must have selections (field '${match[1]}' returns ${match[2].replace(/[[\]!]/g, '')} but has no selections. Did you mean '${match[1]} { ... }'?)`,
      ...base,
      extensions: { code: 'selectionMismatch', nodeName: `field '${match[1]}'`, typeName: match[2].replace(/[[\]!]/g, '') },
    };
  }
  match = /^Field "(\w+)" must not have a selection since type "([^"]+)" has no subfields\./.exec(error.message);
  if (match) {
    return {
      message: `Selections can't be made on scalars (field '${match[1]}' returns ${match[2].replace(/[[\]!]/g, '')} but has selections [...])`,
      ...base,
      extensions: { code: 'selectionMismatch', nodeName: `field '${match[1]}'`, typeName: match[2].replace(/[[\]!]/g, '') },
    };
  }
  match = /^Field "(\w+)" argument "(\w+)" of type "([^"]+)" is required, but it was not provided\./.exec(error.message);
  if (match) {
    return {
      message: `Field '${match[1]}' is missing required arguments: ${match[2]}`,
      ...base,
      extensions: { code: 'missingRequiredArguments', className: 'Field', name: match[1], arguments: match[2] },
    };
  }
  match = /^Unknown type "(\w+)"\./.exec(error.message);
  if (match) {
    return { message: `No such type ${match[1]}, so it can't be a fragment condition`, ...base, extensions: { code: 'undefinedType', typeName: match[1] } };
  }
  return { message: error.message, ...base };
}

export const THROTTLED_ERROR: GraphQLFormattedError = {
  message: 'Throttled',
  extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
};

export function maxCostExceeded(cost: number, maxCost: number): GraphQLFormattedError {
  return {
    message:
      `Query cost is ${cost}, which exceeds the single query max cost limit (${maxCost}).\n\n` +
      'See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n' +
      'cost of a query is calculated.\n\n' +
      'To query larger amounts of data with fewer limits, bulk operations should be used instead.\n' +
      'See https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n',
    extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost, documentation: 'https://shopify.dev/api/usage/rate-limits' },
  };
}
