import type { GraphQLSchema } from 'graphql';
import { DateTimeScalar } from 'src/common/scalars/date-time.scalar.js';
import { RECORD_TYPES } from 'src/records/models/shared-record.model.js';

/** Options shared by the running gateway and `npm run schema:print`, so both build one schema. */
export const SCHEMA_BUILD_OPTIONS = {
  sortSchema: true,
  buildSchemaOptions: {
    orphanedTypes: [...RECORD_TYPES],
    dateScalarMode: 'isoDate' as const,
    // Strict RFC 3339 (Nest's own DateTime takes anything `new Date()` does, invalid dates included).
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    noDuplicatedFields: true,
  },
};

/** Code-first cannot describe the root types; clients read these in the schema. */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  if (query) query.description = 'Reads: children, their records and the directory, as the caller may see them.';
  if (mutation) mutation.description = 'Changes: each needs a permission, and updates name the version they change.';
  if (subscription) subscription.description = 'Live notifications over graphql-ws (graphql-transport-ws) at /graphql.';
  return schema;
}
