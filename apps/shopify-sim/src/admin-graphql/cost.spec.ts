import { parse, type OperationDefinitionNode } from 'graphql';
import { actualCost, fragmentsOf, requestedCost } from './cost';
import { buildAdminSchema } from './resolvers';

const schema = buildAdminSchema();

function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;
  return requestedCost(schema, operation, fragmentsOf(document), variables);
}

function actual(query: string, data: unknown) {
  const document = parse(query);
  return actualCost(schema, document.definitions[0] as OperationDefinitionNode, fragmentsOf(document), {}, data);
}

describe('calculated query cost', () => {
  it('charges objects 1 and scalars 0', () => {
    expect(cost('{ shop { name myshopifyDomain plan { displayName } } }').requested).toBe(2);
    expect(cost('{ productVariant(id: "gid://shopify/ProductVariant/1") { id sku inventoryItem { id } } }').requested).toBe(2);
  });

  it('sizes connections by first/last: 2 + n × node cost, for nodes and edges alike', () => {
    expect(cost('{ productVariants(first: 250) { nodes { id } } }').requested).toBe(252);
    expect(cost('{ productVariants(last: 10) { edges { cursor node { id inventoryItem { id } } } pageInfo { hasNextPage } } }').requested).toBe(22);
    expect(cost('query($n: Int) { locations(first: $n) { nodes { id } } }', { n: 5 }).requested).toBe(7);
    expect(cost('{ products(first: 10) { nodes { id variants(first: 5) { nodes { id } } } } }').requested).toBe(2 + 10 * (1 + 2 + 5));
  });

  it('charges each top-level mutation 10, whatever it selects', () => {
    expect(cost('mutation { a: webhookSubscriptionDelete(id: "1") { deletedWebhookSubscriptionId } b: webhookSubscriptionDelete(id: "2") { userErrors { message } } }').requested).toBe(20);
  });

  it('takes the most expensive possible type for interfaces, and honours fragments and @skip', () => {
    const query = `query($skip: Boolean!) { node(id: "x") { id ... on Product { variants(first: 3) { nodes { id } } } ... on Location { name } }
      shop @skip(if: $skip) { name } }`;
    expect(cost(query, { skip: true }).requested).toBe(1 + 5);
    expect(cost(query, { skip: false }).requested).toBe(1 + 5 + 1);
    expect(cost('{ ...F } fragment F on QueryRoot { locations(first: 4) { nodes { id } } }').requested).toBe(6);
  });

  it('refuses connections without first/last or over 250', () => {
    expect(cost('{ productVariants { nodes { id } } }').errors[0]?.message).toBe('you must provide one of first or last');
    expect(cost('{ productVariants(first: 251) { nodes { id } } }').errors[0]?.message).toMatch(/^first cannot exceed 250\./);
  });

  it('charges actual cost for the nodes that came back', () => {
    const query = '{ locations(first: 100) { nodes { id } } }';
    expect(actual(query, { locations: { nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] } })).toBe(5);
    expect(actual('{ productVariant(id: "1") { id } }', { productVariant: null })).toBe(0);
  });
});
