import { registerEnumType } from '@nestjs/graphql';

/** What a version is when written: the owner's work in progress, or the agreed record others rely on. */
export enum RecordVersionStatus {
  DRAFT = 'DRAFT',
  FINAL = 'FINAL',
}

/** How a version reads: a FINAL version is SUPERSEDED once a later version is FINAL. */
export enum RecordStatus {
  DRAFT = 'DRAFT',
  FINAL = 'FINAL',
  SUPERSEDED = 'SUPERSEDED',
}

registerEnumType(RecordVersionStatus, {
  name: 'RecordVersionStatus',
  description: 'Whether a new version is a draft or final.',
  valuesMap: {
    DRAFT: { description: 'Work in progress: only the owning agency sees it, and it satisfies no duty.' },
    FINAL: {
      description: 'Agreed: shared with the agencies the policy allows; it must hold what its kind requires (e.g. 001 App.2).',
    },
  },
});

registerEnumType(RecordStatus, {
  name: 'RecordStatus',
  description: 'How a version of a record stands.',
  valuesMap: {
    DRAFT: { description: 'A draft: seen only by the owning agency.' },
    FINAL: { description: 'The latest final version.' },
    SUPERSEDED: { description: 'A final version replaced by a later final version.' },
  },
});
