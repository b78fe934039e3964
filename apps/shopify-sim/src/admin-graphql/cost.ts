import {
  type FieldNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLError,
  GraphQLIncludeDirective,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isLeafType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  typeFromAST,
} from 'graphql';

/**
 * Shopify's calculated query cost (shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits),
 * computed from the query's AST before it runs (requested) and from the data
 * it returned (actual):
 *
 * - scalars and enums cost 0, objects 1;
 * - a connection costs 2 plus, per requested node (`first`/`last`), the cost
 *   of the node's selection (1 for the node object plus what it selects);
 *   actual cost counts the nodes that came back, so a short page is refunded;
 * - interfaces and unions cost the most expensive of their possible selections;
 * - each top-level mutation field costs 10.
 *
 * A connection without `first`/`last`, or asking for more than 250, is refused
 * before it runs, as Shopify refuses it.
 */
export const MUTATION_COST = 10;
export const MAX_PAGE_SIZE = 250;
export const CONNECTION_COST = 2;

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  path: Array<string | number>;
}

export interface CostResult {
  requested: number;
  errors: GraphQLError[];
}

export function isConnectionType(type: GraphQLNamedType): boolean {
  return type.name.endsWith('Connection') && type instanceof GraphQLObjectType && 'pageInfo' in type.getFields();
}

export function fragmentsOf(document: { definitions: ReadonlyArray<{ kind: string }> }): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      const fragment = definition as FragmentDefinitionNode;
      fragments[fragment.name.value] = fragment;
    }
  }
  return fragments;
}

/** The requested cost of an operation, or the errors that stop it before it runs. */
export function requestedCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): CostResult {
  const walk: Walk = { schema, fragments, variables, errors: [], path: [operation.operation] };
  if (operation.operation === 'mutation') {
    const root = schema.getMutationType()!;
    const fields = collectFields(walk, operation.selectionSet, root).filter((field) => field.name.value !== '__typename');
    return { requested: fields.length * MUTATION_COST, errors: [] };
  }
  const root = schema.getQueryType()!;
  const requested = selectionCost(walk, operation.selectionSet, root);
  return { requested, errors: walk.errors };
}

/** The cost of what actually came back: connections are charged for the nodes returned. */
export function actualCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data: unknown,
): number {
  const walk: Walk = { schema, fragments, variables, errors: [], path: [] };
  if (operation.operation === 'mutation') {
    const fields = collectFields(walk, operation.selectionSet, schema.getMutationType()!).filter((f) => f.name.value !== '__typename');
    return fields.length * MUTATION_COST;
  }
  return dataCost(walk, operation.selectionSet, schema.getQueryType()!, data);
}

// ---- requested ------------------------------------------------------------------------------

function selectionCost(walk: Walk, selectionSet: SelectionSetNode, type: GraphQLCompositeType): number {
  if (isAbstractType(type)) {
    let max = 0;
    for (const possible of walk.schema.getPossibleTypes(type)) max = Math.max(max, fieldsCost(walk, selectionSet, possible));
    return max;
  }
  return fieldsCost(walk, selectionSet, type as GraphQLObjectType);
}

function fieldsCost(walk: Walk, selectionSet: SelectionSetNode, type: GraphQLObjectType): number {
  let total = 0;
  for (const field of collectFields(walk, selectionSet, type)) {
    const definition = type.getFields()[field.name.value];
    if (!definition) continue;
    walk.path.push(field.alias?.value ?? field.name.value);
    total += fieldCost(walk, field, definition);
    walk.path.pop();
  }
  return total;
}

function fieldCost(walk: Walk, field: FieldNode, definition: GraphQLField<unknown, unknown>): number {
  const named = getNamedType(definition.type);
  if (isLeafType(named) || !field.selectionSet || !isCompositeType(named)) return 0;
  if (isConnectionType(named)) {
    const size = pageSize(walk, field, definition);
    return CONNECTION_COST + size * connectionNodeCost(walk, field.selectionSet, named as GraphQLObjectType);
  }
  return listMultiplier(walk, field, definition) * (1 + selectionCost(walk, field.selectionSet, named));
}

/** Per-node cost inside a connection: 1 for the node plus its selection, for `edges.node` and `nodes` alike. */
function connectionNodeCost(walk: Walk, selectionSet: SelectionSetNode, connection: GraphQLObjectType): number {
  let cost = 0;
  for (const field of collectFields(walk, selectionSet, connection)) {
    const definition = connection.getFields()[field.name.value];
    if (!definition || !field.selectionSet) continue;
    const named = getNamedType(definition.type);
    if (field.name.value === 'nodes' && isCompositeType(named)) cost += 1 + selectionCost(walk, field.selectionSet, named);
    if (field.name.value === 'edges' && named instanceof GraphQLObjectType) {
      for (const edgeField of collectFields(walk, field.selectionSet, named)) {
        const nodeDefinition = named.getFields()[edgeField.name.value];
        const nodeType = nodeDefinition && getNamedType(nodeDefinition.type);
        if (edgeField.name.value === 'node' && edgeField.selectionSet && nodeType && isCompositeType(nodeType)) {
          cost += 1 + selectionCost(walk, edgeField.selectionSet, nodeType);
        }
      }
    }
  }
  return cost;
}

function pageSize(walk: Walk, field: FieldNode, definition: GraphQLField<unknown, unknown>): number {
  const args = safeArguments(walk, field, definition);
  const first = args['first'];
  const last = args['last'];
  const size = typeof first === 'number' ? first : typeof last === 'number' ? last : undefined;
  if (size === undefined) {
    walk.errors.push(new GraphQLError('you must provide one of first or last', { nodes: field, path: [...walk.path] }));
    return 0;
  }
  if (size > MAX_PAGE_SIZE) {
    const argument = typeof first === 'number' ? 'first' : 'last';
    walk.errors.push(
      new GraphQLError(
        `${argument} cannot exceed ${MAX_PAGE_SIZE}. To query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n`,
        { nodes: field, path: [...walk.path] },
      ),
    );
    return MAX_PAGE_SIZE;
  }
  return Math.max(0, size);
}

/** A list of objects that is not a connection (`nodes(ids:)`, `quantities(names:)`) costs once per element asked for. */
function listMultiplier(walk: Walk, field: FieldNode, definition: GraphQLField<unknown, unknown>): number {
  const type = isNonNullType(definition.type) ? definition.type.ofType : definition.type;
  if (!isListType(type)) return 1;
  const args = safeArguments(walk, field, definition);
  for (const argument of definition.args) {
    const value = args[argument.name];
    if (Array.isArray(value)) return Math.max(1, value.length);
  }
  return 1;
}

// ---- actual ---------------------------------------------------------------------------------

function dataCost(walk: Walk, selectionSet: SelectionSetNode, type: GraphQLCompositeType, value: unknown): number {
  if (value === null || value === undefined || typeof value !== 'object') return 0;
  if (isAbstractType(type)) {
    const typename = (value as { __typename?: unknown }).__typename;
    const concrete = typeof typename === 'string' ? walk.schema.getType(typename) : undefined;
    if (concrete instanceof GraphQLObjectType) return dataFieldsCost(walk, selectionSet, concrete, value as Record<string, unknown>);
    let max = 0;
    for (const possible of walk.schema.getPossibleTypes(type)) {
      max = Math.max(max, dataFieldsCost(walk, selectionSet, possible, value as Record<string, unknown>));
    }
    return max;
  }
  return dataFieldsCost(walk, selectionSet, type as GraphQLObjectType, value as Record<string, unknown>);
}

function dataFieldsCost(walk: Walk, selectionSet: SelectionSetNode, type: GraphQLObjectType, value: Record<string, unknown>): number {
  let total = 0;
  for (const field of collectFields(walk, selectionSet, type)) {
    const definition = type.getFields()[field.name.value];
    if (!definition || !field.selectionSet) continue;
    const named = getNamedType(definition.type);
    if (!isCompositeType(named)) continue;
    const fieldValue = value[field.alias?.value ?? field.name.value];
    if (fieldValue === null || fieldValue === undefined) continue;
    if (isConnectionType(named)) {
      total += CONNECTION_COST + connectionDataCost(walk, field.selectionSet, named as GraphQLObjectType, fieldValue as Record<string, unknown>);
    } else if (Array.isArray(fieldValue)) {
      for (const element of fieldValue) if (element !== null) total += 1 + dataCost(walk, field.selectionSet, named, element);
    } else {
      total += 1 + dataCost(walk, field.selectionSet, named, fieldValue);
    }
  }
  return total;
}

function connectionDataCost(walk: Walk, selectionSet: SelectionSetNode, connection: GraphQLObjectType, value: Record<string, unknown>): number {
  let cost = 0;
  for (const field of collectFields(walk, selectionSet, connection)) {
    const definition = connection.getFields()[field.name.value];
    if (!definition || !field.selectionSet) continue;
    const named = getNamedType(definition.type);
    const list = value[field.alias?.value ?? field.name.value];
    if (!Array.isArray(list)) continue;
    if (field.name.value === 'nodes' && isCompositeType(named)) {
      for (const node of list) cost += 1 + dataCost(walk, field.selectionSet, named, node);
    }
    if (field.name.value === 'edges' && named instanceof GraphQLObjectType) {
      for (const edgeField of collectFields(walk, field.selectionSet, named)) {
        if (edgeField.name.value !== 'node' || !edgeField.selectionSet) continue;
        const nodeType = getNamedType(named.getFields()['node']!.type);
        if (!isCompositeType(nodeType)) continue;
        const key = edgeField.alias?.value ?? 'node';
        for (const edge of list) cost += 1 + dataCost(walk, edgeField.selectionSet, nodeType, (edge as Record<string, unknown>)[key]);
      }
    }
  }
  return cost;
}

// ---- shared -----------------------------------------------------------------------------------

/** The fields a selection set selects on a concrete type: fragments expanded, @skip/@include applied. */
export function collectFields(
  walk: Pick<Walk, 'schema' | 'fragments' | 'variables'>,
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  visited: Set<string> = new Set(),
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (!included(walk, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      fields.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (selection.typeCondition && !applies(walk.schema, selection.typeCondition.name.value, type)) continue;
      fields.push(...collectFields(walk, selection.selectionSet, type, visited));
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments[name];
      if (!fragment || visited.has(name) || !applies(walk.schema, fragment.typeCondition.name.value, type)) continue;
      visited.add(name);
      fields.push(...collectFields(walk, fragment.selectionSet, type, visited));
    }
  }
  return fields;
}

function included(walk: Pick<Walk, 'variables'>, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, walk.variables)?.['if'] === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, node, walk.variables)?.['if'] === false) return false;
  } catch {
    // Bad directive arguments are reported by validation/execution, not by cost.
  }
  return true;
}

function applies(schema: GraphQLSchema, condition: string, type: GraphQLObjectType): boolean {
  if (condition === type.name) return true;
  const conditionType = typeFromAST(schema, { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: condition } });
  return !!conditionType && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
}

function safeArguments(walk: Walk, field: FieldNode, definition: GraphQLField<unknown, unknown>): Record<string, unknown> {
  try {
    return getArgumentValues(definition, field, walk.variables);
  } catch {
    return {};
  }
}
