import {
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLField,
  type GraphQLNamedType,
  GraphQLObjectType,
  type GraphQLSchema,
  isAbstractType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export interface SelectionContext {
  readonly schema: GraphQLSchema;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variables: Readonly<Record<string, unknown>>;
  /** Types whose objects get receipts of their own: the walk stops at them. */
  readonly isSubject: (type: GraphQLNamedType) => boolean;
}

/** Plumbing types that carry no child data themselves. */
const STRUCTURAL = /(Connection|Edge)$|^PageInfo$/;

/**
 * The field paths (field names, not aliases; list positions dropped) that a selection asks of an
 * object of `type`, stopping at objects that get receipts of their own. With aliases, fragments,
 * inline fragments and @include/@skip resolved as the executor resolves them.
 */
export function selectedPaths(context: SelectionContext, type: GraphQLObjectType, fieldNodes: readonly FieldNode[]): string[] {
  const paths = new Set<string>();
  for (const node of fieldNodes) if (node.selectionSet) collect(context, type, node.selectionSet, '', paths, new Set());
  return [...paths].sort();
}

/**
 * The names of the fields a selection asks of an object of `type` itself (fragments, inline
 * fragments and @include/@skip resolved), whatever they return: things with receipts of their own
 * and connections included.
 */
export function selectedFieldNames(
  context: SelectionContext,
  type: GraphQLObjectType,
  fieldNodes: readonly FieldNode[],
): string[] {
  const names = new Set<string>();
  for (const node of fieldNodes) if (node.selectionSet) collectNames(context, type, node.selectionSet, names, new Set());
  return [...names].sort();
}

function collectNames(
  context: SelectionContext,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  names: Set<string>,
  visitedFragments: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (!included(context, selection.directives)) continue;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!selection.typeCondition || applies(context, selection.typeCondition.name.value, type))
        collectNames(context, type, selection.selectionSet, names, visitedFragments);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = context.fragments[selection.name.value];
      if (!fragment || visitedFragments.has(fragment.name.value)) continue;
      if (!applies(context, fragment.typeCondition.name.value, type)) continue;
      collectNames(context, type, fragment.selectionSet, names, new Set([...visitedFragments, fragment.name.value]));
    } else if (!selection.name.value.startsWith('__') && type.getFields()[selection.name.value]) {
      names.add(selection.name.value);
    }
  }
}

function collect(
  context: SelectionContext,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  prefix: string,
  paths: Set<string>,
  visitedFragments: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (!included(context, selection.directives)) continue;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!selection.typeCondition || applies(context, selection.typeCondition.name.value, type)) {
        collect(context, type, selection.selectionSet, prefix, paths, visitedFragments);
      }
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = context.fragments[selection.name.value];
      if (!fragment || visitedFragments.has(fragment.name.value)) continue;
      if (!applies(context, fragment.typeCondition.name.value, type)) continue;
      collect(context, type, fragment.selectionSet, prefix, paths, new Set([...visitedFragments, fragment.name.value]));
      continue;
    }
    const name = selection.name.value;
    if (name.startsWith('__')) continue;
    const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[name];
    if (!field) continue;
    const named = getNamedType(field.type);
    const path = `${prefix}${name}`;
    if (context.isSubject(named)) continue;
    if (!selection.selectionSet) {
      paths.add(path);
      continue;
    }
    if (STRUCTURAL.test(named.name)) continue;
    const targets = isObjectType(named) ? [named] : isAbstractType(named) ? context.schema.getPossibleTypes(named) : [];
    for (const target of targets) collect(context, target, selection.selectionSet, `${path}.`, paths, visitedFragments);
  }
}

function applies(context: SelectionContext, condition: string, type: GraphQLObjectType): boolean {
  if (condition === type.name) return true;
  const conditionType = context.schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && context.schema.isSubType(conditionType, type);
}

function included(context: SelectionContext, directives: FieldNode['directives']): boolean {
  for (const directive of directives ?? []) {
    const argument = directive.arguments?.find((arg) => arg.name.value === 'if');
    if (!argument) continue;
    const value = valueOf(context, argument.value);
    if (directive.name.value === 'skip' && value === true) return false;
    if (directive.name.value === 'include' && value !== true) return false;
  }
  return true;
}

function valueOf(context: SelectionContext, node: ValueNode): unknown {
  if (node.kind === Kind.VARIABLE) return context.variables[node.name.value];
  if (node.kind === Kind.BOOLEAN) return node.value;
  return undefined;
}

export { GraphQLObjectType };
