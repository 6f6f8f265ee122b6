import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import { TandemError } from 'src/common/errors/tandem-error.js';

interface Invalid {
  readonly field: string;
  readonly message: string;
}

/**
 * Refuses, before a field's resolver runs, arguments no resolver can use: a string with a NUL
 * character (PostgreSQL refuses it in text, which would surface as an internal error) and a
 * DateTime that is not one (DateTimeScalar leaves it an Invalid Date). BAD_USER_INPUT, naming the
 * argument or input field (`filter.from`, `input.items.2.note`), whether it came as a literal or a
 * variable.
 */
export function guardInputs(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      field.resolve = guarded(field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = guarded(field.subscribe);
    }
  }
  return schema;
}

function guarded(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    const invalid = findInvalid(args, '');
    if (invalid) throw TandemError.badInput(invalid.message, invalid.field);
    return resolve(source, args, context, info);
  };
}

function findInvalid(value: unknown, path: string): Invalid | null {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? { field: path, message: `${path} must not contain a NUL character` } : null;
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? { field: path, message: `${path} must be a date-time with a time zone, such as 2026-12-03T09:54:33Z` }
      : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item: unknown, index): [string, unknown] => [String(index), item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    const found = findInvalid(item, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}
