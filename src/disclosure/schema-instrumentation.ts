import {
  defaultFieldResolver,
  getNamedType,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isAbstractType,
  isObjectType,
} from 'graphql';
import { principalOf, type TandemRequest } from 'src/auth/request-principal.js';
import { collectorFor } from 'src/disclosure/disclosure-collector.js';

/**
 * GraphQL types whose objects each get a receipt: children, their national identifiers, records,
 * placements, legal status, risk flags, referrals, visits, and what Tandem derives of a child
 * (looked-after status, care-leaver category, lead professional), each decided by the policy on its
 * own (a receipt lists the grants and withheld fields of its own decision).
 */
export const SUBJECT_TYPE_NAMES: ReadonlySet<string> = new Set([
  'ChildIdentifiers',
  'LookedAfterStatus',
  'CareLeaverStatus',
  'LeadProfessional',
  'Obligation',
  'Child',
  'SharedRecord',
  'Placement',
  'LegalStatusEpisode',
  'RiskFlag',
  'ChildReferral',
  'Visit',
]);

export function isSubjectType(schema: GraphQLSchema, type: GraphQLNamedType): boolean {
  if (SUBJECT_TYPE_NAMES.has(type.name)) return true;
  return isObjectType(type) && type.getInterfaces().some((iface) => SUBJECT_TYPE_NAMES.has(iface.name));
}

/**
 * Wraps every field that returns a disclosable object so that the request's collector learns each
 * one the executor resolves, with the selection asked of it. The receipts are built from these
 * once execution ends (see DisclosureService.commit).
 */
export function instrumentDisclosures(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (!isSubjectType(schema, named)) continue;
      field.resolve = tracking(field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}

function tracking(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, contextValue, info) => {
    const context = contextValue as { req?: TandemRequest };
    const result = resolve(source, args, contextValue, info);
    if (result instanceof Promise) return result.then((value: unknown) => note(value, context, info));
    return note(result, context, info);
  };
}

function note(value: unknown, context: { req?: TandemRequest }, info: GraphQLResolveInfo): unknown {
  const principal = context.req ? principalOf(context.req) : undefined;
  if (!principal || value === null || value === undefined) return value;
  const collector = collectorFor(principal);
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item: unknown, index) => {
    if (item === null || typeof item !== 'object') return;
    const type = concreteType(info, item);
    if (!type) return;
    collector.subjects.push({
      value: item,
      path: info.path,
      index: Array.isArray(value) ? index : null,
      type,
      fieldNodes: info.fieldNodes,
      fragments: info.fragments,
      variables: info.variableValues,
      schema: info.schema,
      operationName: info.operation.name?.value ?? null,
    });
  });
  return value;
}

/** A field's named return type when it is an object type, else null (kept per return type: asked for every thing noted). */
const objectTypes = new WeakMap<GraphQLOutputType, GraphQLObjectType | null>();

function concreteType(info: GraphQLResolveInfo, item: object): GraphQLObjectType | undefined {
  let objectType = objectTypes.get(info.returnType);
  if (objectType === undefined) {
    const returned = getNamedType(info.returnType);
    objectType = isObjectType(returned) ? returned : null;
    objectTypes.set(info.returnType, objectType);
  }
  if (objectType) return objectType;
  const named = getNamedType(info.returnType);
  if (isAbstractType(named) && named.resolveType) {
    const resolved = named.resolveType(item, undefined, info, named);
    const name = typeof resolved === 'string' ? resolved : undefined;
    const type = name ? info.schema.getType(name) : undefined;
    return type && isObjectType(type) ? type : undefined;
  }
  return undefined;
}
