import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AuditVerificationState } from 'src/disclosure/entities/audit-verification-run.entity.js';

export { AuditVerificationState };

export enum AuditVerificationOrigin {
  API = 'API',
  CLI = 'CLI',
}

registerEnumType(AuditVerificationState, {
  name: 'AuditVerificationState',
  description: 'Where a verification of the disclosure log is, or what it found.',
  valuesMap: {
    RUNNING: { description: 'Checking now; `checked` of `total` so far.' },
    PASSED: { description: 'Every sealed receipt, chain link and signed checkpoint checked out.' },
    FAILED: { description: 'The log is not as it was sealed: `failure` names the first bad entry or batch.' },
    ERROR: {
      description:
        'The run stopped before the end (the gateway shut down, a database error): it says nothing about the log; start another.',
    },
  },
});
registerEnumType(AuditVerificationOrigin, {
  name: 'AuditVerificationOrigin',
  description: 'What started a verification.',
  valuesMap: {
    API: { description: 'An auditor, with startAuditVerification.' },
    CLI: { description: 'An operator, with `npm run audit:verify`.' },
  },
});

@ObjectType({ description: 'The first problem a verification found, as `audit:verify` reports it.' })
export class AuditVerificationFailure {
  @Field(() => ID, { nullable: true, description: 'The log entry (receipt) at fault, where it is one entry.' })
  entryId: string | null;

  @Field(() => String, { nullable: true, description: 'Its place in the hash chain (sequence number).' })
  seq: string | null;

  @Field(() => Int, { nullable: true, description: 'The signed checkpoint (batch) at fault or holding the entry.' })
  checkpointId: number | null;

  @Field({ description: 'What is wrong, e.g. "the receipt’s bytes do not match its sealed hash (altered)".' })
  problem: string;
}

@ObjectType({
  description:
    'One check of the whole disclosure log: each sealed receipt against its hash and columns, each chain link, each signed checkpoint, and the receipts counted when committed.',
})
export class AuditVerificationRun {
  @Field(() => ID, { description: 'The run.' })
  id: string;

  @Field(() => AuditVerificationState, { description: 'Running, or what it found.' })
  state: AuditVerificationState;

  @Field(() => AuditVerificationOrigin, { description: 'Started by an auditor (API) or the command line (CLI).' })
  origin: AuditVerificationOrigin;

  @Field({ description: 'When it started.' })
  startedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it finished; null while it runs.' })
  finishedAt: Date | null;

  @Field({ description: 'Who started it: the auditor’s token subject, or the operating-system user of the command.' })
  startedBy: string;

  @Field(() => String, { nullable: true, description: 'Their name, where known.' })
  startedByName: string | null;

  @Field(() => Float, { description: 'Sealed receipts checked so far (a whole number).' })
  checked: number;

  @Field(() => Float, {
    description: 'Sealed receipts to check: those under the signed checkpoints when the run began (a whole number).',
  })
  total: number;

  @Field(() => Int, { nullable: true, description: 'Signed checkpoints checked, once finished.' })
  checkpoints: number | null;

  @Field(() => String, { nullable: true, description: 'The chain head it arrived at (hex), when it passed.' })
  chainHead: string | null;

  @Field(() => AuditVerificationFailure, { nullable: true, description: 'The first problem, when it failed.' })
  failure: AuditVerificationFailure | null;

  @Field(() => [String], {
    description: 'What went wrong, one line each as `audit:verify` prints it (or why the run stopped); empty when it passed.',
  })
  failures: string[];
}

@ObjectType({ description: 'The key that signs the log’s checkpoints, for the other agency to hold and check them with.' })
export class AuditSigningKey {
  @Field({ description: 'Its id, as checkpoints name it (`keyId`).' })
  keyId: string;

  @Field({ description: 'The public key (SPKI PEM), as `npm run audit:public-key` prints it.' })
  publicKey: string;

  @Field({ description: 'The signature algorithm: Ed25519.' })
  algorithm: string;
}
