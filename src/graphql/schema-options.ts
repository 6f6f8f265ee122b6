import { RECORD_TYPES } from 'src/records/models/shared-record.model.js';

/** Options shared by the running gateway and `npm run schema:print`, so both build one schema. */
export const SCHEMA_BUILD_OPTIONS = {
  sortSchema: true,
  buildSchemaOptions: {
    orphanedTypes: [...RECORD_TYPES],
    dateScalarMode: 'isoDate' as const,
    noDuplicatedFields: true,
  },
};
