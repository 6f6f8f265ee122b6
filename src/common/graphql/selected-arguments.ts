import {
  type FieldNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getDirectiveValues,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  isAbstractType,
  isObjectType,
  Kind,
  type NamedTypeNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

/** A field's nodes in an operation, and what reading their selections needs (as GraphQLResolveInfo has them). */
export interface FieldSelection {
  readonly fieldNodes: readonly FieldNode[];
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variableValues: Readonly<Record<string, unknown>>;
  readonly schema: GraphQLSchema;
}

/**
 * The arguments, as the executor will coerce them, of every `fieldName` field the selection asks
 * of an object of type `typeName` (the selection's own fields, through inline fragments and named
 * ones that apply to the type; not fields of nested objects), one entry per field node, aliases
 * included; a field @skip or @include leaves out is not there. Throws a GraphQLError where the
 * executor would.
 */
export function selectedArguments(selection: FieldSelection, typeName: string, fieldName: string): Record<string, unknown>[] {
  const type = selection.schema.getType(typeName);
  const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
  if (!type || !isObjectType(type) || !field) return [];
  const found: Record<string, unknown>[] = [];
  const visit = (set: SelectionSetNode | undefined): void => {
    for (const node of set?.selections ?? []) {
      if (!included(node, selection.variableValues)) continue;
      if (node.kind === Kind.FIELD) {
        if (node.name.value === fieldName) found.push(getArgumentValues(field, node, selection.variableValues));
      } else if (node.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.schema, type, node.typeCondition)) visit(node.selectionSet);
      } else {
        const fragment = selection.fragments[node.name.value];
        if (fragment && applies(selection.schema, type, fragment.typeCondition)) visit(fragment.selectionSet);
      }
    }
  };
  for (const node of selection.fieldNodes) visit(node.selectionSet);
  return found;
}

/** Whether @skip and @include let the node through, as the executor decides it. */
function included(node: SelectionNode, variables: Readonly<Record<string, unknown>>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** Whether a fragment's type condition takes in objects of `type` (no condition always does). */
function applies(schema: GraphQLSchema, type: GraphQLObjectType, condition: NamedTypeNode | undefined): boolean {
  if (!condition) return true;
  const named = schema.getType(condition.name.value);
  if (named === type) return true;
  return isAbstractType(named) && schema.isSubType(named, type);
}
