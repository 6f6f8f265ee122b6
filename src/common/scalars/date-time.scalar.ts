import { GraphQLScalarType, Kind } from 'graphql';

/** RFC 3339: a date, a time (fractions of a second allowed) and a time zone (Z or an offset). */
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/i;

/** The instant a well-formed RFC 3339 date-time names, or null for anything else (or an impossible date). */
export function parseDateTime(value: string): Date | null {
  const match = PATTERN.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59 || Number(match[9] ?? 0) > 23 || Number(match[10] ?? 0) > 59) return null;
  const instant = new Date(value.toUpperCase());
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/**
 * An invalid input becomes an Invalid Date rather than an error here: the input guard
 * (src/graphql/input-guard.ts) refuses it before any resolver runs, naming the argument or input
 * field (BAD_USER_INPUT), which a scalar cannot know.
 */
function parse(value: unknown): Date {
  return (typeof value === 'string' ? parseDateTime(value) : null) ?? new Date(Number.NaN);
}

/** A point in time, accepted as RFC 3339 with a time zone and returned in UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A date-time with a time zone (RFC 3339), such as 2026-12-03T09:54:33Z; returned in UTC.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : null),
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : null),
});
