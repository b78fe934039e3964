import {
  type DocumentNode,
  type FieldNode,
  getNamedType,
  type GraphQLNamedType,
  GraphQLObjectType,
  type GraphQLSchema,
  isAbstractType,
  isCompositeType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate,
  visit,
} from 'graphql';
import { collectFields, fragmentsOf, isConnectionType } from '../admin-graphql/cost';

/**
 * Bulk query rules (shopify.dev bulkOperationRunQuery): at least one
 * connection, at most five, nested at most two levels deep, and no top-level
 * `node`/`nodes`. The simulator also needs the top level to be exactly one
 * connection, which is how every bulk query is written in practice.
 */
export const MAX_BULK_CONNECTIONS = 5;
export const MAX_BULK_DEPTH = 2;
export const BULK_PAGE_SIZE = 250;
export const AFTER_VARIABLE = '__bulkAfter';
export const PAGE_INFO_ALIAS = '__bulkPageInfo';

export interface PreparedBulkQuery {
  /** The query rewritten to page its top-level connection. */
  document: DocumentNode;
  rootField: string;
  rootType: GraphQLObjectType;
  rootSelection: SelectionSetNode;
  fragments: ReturnType<typeof fragmentsOf>;
}

export type BulkQueryCheck = { ok: true; prepared: PreparedBulkQuery } | { ok: false; message: string };

export function prepareBulkQuery(schema: GraphQLSchema, query: string): BulkQueryCheck {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { ok: false, message: `Invalid bulk query: ${(error as Error).message}` };
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return { ok: false, message: `Invalid bulk query: ${errors.map((e) => e.message).join('; ')}` };
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0]!.operation !== 'query') {
    return { ok: false, message: 'Bulk queries must contain exactly one query operation (use bulkOperationRunMutation for mutations).' };
  }
  const operation = operations[0]!;
  const fragments = fragmentsOf(document);
  const queryType = schema.getQueryType()!;
  const top = collectFields({ schema, fragments, variables: {} }, operation.selectionSet, queryType);
  const topField = top[0];
  if (top.length !== 1 || !topField) return { ok: false, message: 'Bulk queries must have exactly one top-level field, a connection.' };
  if (topField.name.value === 'node' || topField.name.value === 'nodes') {
    return { ok: false, message: 'The top-level node and nodes fields are not supported in bulk queries.' };
  }
  const rootType = getNamedType(queryType.getFields()[topField.name.value]!.type);
  if (!isConnectionType(rootType) || !topField.selectionSet) {
    return { ok: false, message: 'Bulk queries must contain at least one connection.' };
  }
  const stats = { connections: 0, depth: 0 };
  countConnections(schema, fragments, topField.selectionSet, rootType as GraphQLObjectType, 1, stats);
  stats.connections++;
  if (stats.connections > MAX_BULK_CONNECTIONS) {
    return { ok: false, message: `Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.` };
  }
  if (stats.depth > MAX_BULK_DEPTH) {
    return { ok: false, message: `Bulk queries cannot contain connections nested more than ${MAX_BULK_DEPTH} levels deep.` };
  }
  return {
    ok: true,
    prepared: {
      document: rewrite(schema, document, topField),
      rootField: topField.alias?.value ?? topField.name.value,
      rootType: rootType as GraphQLObjectType,
      rootSelection: topField.selectionSet,
      fragments,
    },
  };
}

function countConnections(
  schema: GraphQLSchema,
  fragments: ReturnType<typeof fragmentsOf>,
  selectionSet: SelectionSetNode,
  type: GraphQLNamedType,
  depth: number,
  stats: { connections: number; depth: number },
): void {
  stats.depth = Math.max(stats.depth, depth);
  const concrete = isAbstractType(type) ? schema.getPossibleTypes(type) : type instanceof GraphQLObjectType ? [type] : [];
  for (const object of concrete) {
    for (const field of collectFields({ schema, fragments, variables: {} }, selectionSet, object)) {
      const definition = object.getFields()[field.name.value];
      if (!definition || !field.selectionSet) continue;
      const named = getNamedType(definition.type);
      if (!isCompositeType(named)) continue;
      const isConnection = isConnectionType(named) && depth > 0 && !['edges', 'nodes', 'node'].includes(field.name.value);
      if (isConnection) stats.connections++;
      countConnections(schema, fragments, field.selectionSet, named, isConnection ? depth + 1 : depth, stats);
    }
  }
}

/**
 * Pages the top-level connection (`first: 250, after: $__bulkAfter` plus a
 * hidden `pageInfo`), and makes every node that owns a nested connection
 * select `id`, which its children's `__parentId` points at.
 */
function rewrite(schema: GraphQLSchema, document: DocumentNode, topField: FieldNode): DocumentNode {
  const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
  const field = (fieldName: string, selections?: FieldNode[], alias?: string): FieldNode => ({
    kind: Kind.FIELD,
    name: name(fieldName),
    ...(alias ? { alias: name(alias) } : {}),
    ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
  });
  return visit(document, {
    OperationDefinition: (node) => ({
      ...node,
      variableDefinitions: [
        ...(node.variableDefinitions ?? []),
        {
          kind: Kind.VARIABLE_DEFINITION,
          variable: { kind: Kind.VARIABLE, name: name(AFTER_VARIABLE) },
          type: { kind: Kind.NAMED_TYPE, name: name('String') },
        },
      ],
    }),
    Field: (node) => {
      if (node !== topField) return undefined;
      const args = (node.arguments ?? []).filter((arg) => !['first', 'last', 'after', 'before'].includes(arg.name.value));
      return {
        ...node,
        arguments: [
          ...args,
          { kind: Kind.ARGUMENT, name: name('first'), value: { kind: Kind.INT, value: String(BULK_PAGE_SIZE) } },
          { kind: Kind.ARGUMENT, name: name('after'), value: { kind: Kind.VARIABLE, name: name(AFTER_VARIABLE) } },
        ],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [...ensureIds(schema, node.selectionSet!), field('pageInfo', [field('hasNextPage'), field('endCursor')], PAGE_INFO_ALIAS)],
        },
      };
    },
  });
}

/** Adds `id` to node selections (under `nodes` / `edges.node`) so nested children can name their parent. */
function ensureIds(schema: GraphQLSchema, selectionSet: SelectionSetNode): SelectionSetNode['selections'] {
  void schema;
  return selectionSet.selections.map((selection) => {
    if (selection.kind !== Kind.FIELD || !selection.selectionSet) return selection;
    const addId = (set: SelectionSetNode): SelectionSetNode => {
      const hasId = set.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'id' && !s.alias);
      return hasId ? set : { ...set, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'id' } }, ...set.selections] };
    };
    if (selection.name.value === 'nodes') return { ...selection, selectionSet: addId(selection.selectionSet) };
    if (selection.name.value === 'edges') {
      return {
        ...selection,
        selectionSet: {
          ...selection.selectionSet,
          selections: selection.selectionSet.selections.map((edgeSelection) =>
            edgeSelection.kind === Kind.FIELD && edgeSelection.name.value === 'node' && edgeSelection.selectionSet
              ? { ...edgeSelection, selectionSet: addId(edgeSelection.selectionSet) }
              : edgeSelection,
          ),
        },
      };
    }
    return selection;
  });
}

/**
 * Turns one top-level node into JSONL lines: the node without its nested
 * connections, then each nested node as its own line with `__parentId`
 * (children straight after their parent, as grouped output is laid out).
 */
export function nodeLines(
  schema: GraphQLSchema,
  fragments: PreparedBulkQuery['fragments'],
  connectionSelection: SelectionSetNode,
  connectionType: GraphQLObjectType,
  connectionValue: Record<string, unknown>,
  parentId: string | undefined,
  out: string[],
): number {
  let roots = 0;
  for (const { node, selection, type } of connectionNodes(schema, fragments, connectionSelection, connectionType, connectionValue)) {
    roots++;
    const children: string[] = [];
    const owner = (node as { id?: string }).id;
    detachConnections(schema, fragments, selection, type, node as Record<string, unknown>, owner, children);
    out.push(JSON.stringify(parentId === undefined ? node : { ...(node as object), __parentId: parentId }));
    for (const child of children) out.push(child);
  }
  return roots;
}

function* connectionNodes(
  schema: GraphQLSchema,
  fragments: PreparedBulkQuery['fragments'],
  selectionSet: SelectionSetNode,
  connectionType: GraphQLObjectType,
  value: Record<string, unknown>,
): Generator<{ node: unknown; selection: SelectionSetNode; type: GraphQLNamedType }> {
  for (const field of collectFields({ schema, fragments, variables: {} }, selectionSet, connectionType)) {
    const list = value[field.alias?.value ?? field.name.value];
    if (!Array.isArray(list) || !field.selectionSet) continue;
    if (field.name.value === 'nodes') {
      const type = getNamedType(connectionType.getFields()['nodes']!.type);
      for (const node of list) yield { node, selection: field.selectionSet, type };
    } else if (field.name.value === 'edges') {
      const edgeType = getNamedType(connectionType.getFields()['edges']!.type) as GraphQLObjectType;
      for (const edgeField of collectFields({ schema, fragments, variables: {} }, field.selectionSet, edgeType)) {
        if (edgeField.name.value !== 'node' || !edgeField.selectionSet) continue;
        const type = getNamedType(edgeType.getFields()['node']!.type);
        for (const edge of list) yield { node: (edge as Record<string, unknown>)[edgeField.alias?.value ?? 'node'], selection: edgeField.selectionSet, type };
      }
    }
  }
}

function detachConnections(
  schema: GraphQLSchema,
  fragments: PreparedBulkQuery['fragments'],
  selectionSet: SelectionSetNode,
  type: GraphQLNamedType,
  value: Record<string, unknown> | null,
  ownerId: string | undefined,
  out: string[],
): void {
  if (!value || typeof value !== 'object') return;
  let object: GraphQLObjectType | undefined;
  if (type instanceof GraphQLObjectType) object = type;
  else if (isAbstractType(type) && typeof value['__typename'] === 'string') {
    const named = schema.getType(value['__typename']);
    object = named instanceof GraphQLObjectType ? named : undefined;
  }
  if (!object) return;
  for (const field of collectFields({ schema, fragments, variables: {} }, selectionSet, object)) {
    const definition = object.getFields()[field.name.value];
    if (!definition || !field.selectionSet) continue;
    const named = getNamedType(definition.type);
    const key = field.alias?.value ?? field.name.value;
    const fieldValue = value[key];
    if (fieldValue === null || fieldValue === undefined) continue;
    if (isConnectionType(named)) {
      delete value[key];
      nodeLines(schema, fragments, field.selectionSet, named as GraphQLObjectType, fieldValue as Record<string, unknown>, ownerId, out);
    } else if (isCompositeType(named)) {
      const elements = Array.isArray(fieldValue) ? fieldValue : [fieldValue];
      for (const element of elements) detachConnections(schema, fragments, field.selectionSet, named, element as Record<string, unknown>, ownerId, out);
    }
  }
}
