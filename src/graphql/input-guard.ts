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
    const invalid = findInvalid(args);
    if (invalid) throw TandemError.badInput(invalid.message, invalid.field);
    return resolve(source, args, context, info);
  };
}

function findInvalid(args: unknown): Invalid | null {
  const found = invalidIn(args);
  if (!found) return null;
  const field = found.keys.reverse().join('.');
  return found.problem === 'NUL'
    ? { field, message: `${field} must not contain a NUL character` }
    : { field, message: `${field} must be a date-time with a time zone, such as 2026-12-03T09:54:33Z` };
}

/**
 * The first value no resolver can use and the keys that lead to it, innermost first. Walked in
 * place, the path written only when something is found: every argument of every field passes here.
 */
function invalidIn(value: unknown): { readonly keys: string[]; readonly problem: 'NUL' | 'DATE' } | null {
  if (typeof value === 'string') return value.includes('\u0000') ? { keys: [], problem: 'NUL' } : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { keys: [], problem: 'DATE' } : null;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = invalidIn(value[index]);
      if (found) {
        found.keys.push(String(index));
        return found;
      }
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const found = invalidIn((value as Record<string, unknown>)[key]);
    if (found) {
      found.keys.push(key);
      return found;
    }
  }
  return null;
}
