import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from 'src/common/pagination/connection.js';
import { Agency } from 'src/directory/directory.model.js';

export enum AnomalyKind {
  BREAK_GLASS = 'BREAK_GLASS',
  BREAK_GLASS_REFUSED = 'BREAK_GLASS_REFUSED',
  AFTER_ALLOCATION_ENDED = 'AFTER_ALLOCATION_ENDED',
  OUT_OF_HOURS_BULK = 'OUT_OF_HOURS_BULK',
  MANY_CHILDREN = 'MANY_CHILDREN',
}

export enum AnomalyDispositionKind {
  JUSTIFIED = 'JUSTIFIED',
  NO_FURTHER_ACTION = 'NO_FURTHER_ACTION',
  REFERRED_TO_DPO = 'REFERRED_TO_DPO',
  BREACH = 'BREACH',
}

registerEnumType(AnomalyKind, {
  name: 'AnomalyKind',
  description: 'Why an access was flagged for an auditor.',
  valuesMap: {
    BREAK_GLASS: { description: 'A read under emergency (break-glass) access.' },
    BREAK_GLASS_REFUSED: {
      description:
        'An emergency (break-glass) look-up that was refused: no emergency clause, over the hourly rate, or out of reach.',
    },
    AFTER_ALLOCATION_ENDED: { description: 'A read allowed only by the grace period after an allocation ended.' },
    OUT_OF_HOURS_BULK: { description: 'Many records read by one user outside working hours in one hour.' },
    MANY_CHILDREN: { description: 'One user read more children than the threshold in one window.' },
  },
});
registerEnumType(AnomalyDispositionKind, {
  name: 'AnomalyDispositionKind',
  description: 'An auditor’s finding on an anomaly.',
  valuesMap: {
    JUSTIFIED: { description: 'The access was justified.' },
    NO_FURTHER_ACTION: { description: 'Reviewed; nothing more to do.' },
    REFERRED_TO_DPO: { description: 'Referred to the data protection officer.' },
    BREACH: { description: 'A personal data breach: handled under the breach procedure.' },
  },
});

@ObjectType({ description: 'An auditor’s recorded finding.' })
export class AnomalyDisposition {
  @Field(() => AnomalyDispositionKind, { description: 'The finding.' })
  disposition: AnomalyDispositionKind;

  @Field({ description: 'The auditor’s note.' })
  note: string;

  @Field({ description: 'The auditor.' })
  recordedBy: string;

  @Field({ description: 'When.' })
  recordedAt: Date;
}

@ObjectType({ description: 'An access an auditor should look at.' })
export class DisclosureAnomaly {
  @Field(() => ID, { description: 'The anomaly.' })
  id: string;

  @Field(() => AnomalyKind, { description: 'Why it was flagged.' })
  kind: AnomalyKind;

  @Field({ description: 'The user.' })
  userSubject: string;

  @Field(() => Agency, { nullable: true, description: 'Their agency.' })
  agency: Agency | null;

  @Field(() => ID, { nullable: true, description: 'The child, for flags about one child.' })
  childId: string | null;

  @Field({ description: 'The window start.' })
  windowStart: Date;

  @Field({ description: 'The window end.' })
  windowEnd: Date;

  @Field(() => Int, { description: 'Receipts (or, for MANY_CHILDREN, distinct children) behind the flag.' })
  count: number;

  @Field(() => ID, { description: 'The first log entry behind it.' })
  firstEntryId: string;

  @Field({ description: 'When it was flagged.' })
  detectedAt: Date;

  @Field(() => AnomalyDisposition, { nullable: true, description: 'The latest disposition; null while undisposed.' })
  disposition: AnomalyDisposition | null;
}

@InputType({ description: 'An auditor’s finding on an anomaly.' })
export class DisposeAnomalyInput {
  @Field(() => ID, { description: 'The anomaly.' })
  anomalyId: string;

  @Field(() => AnomalyDispositionKind, { description: 'The finding.' })
  disposition: AnomalyDispositionKind;

  @Field({ description: 'Why (at most 2000 characters).' })
  note: string;
}

@ObjectType('AnomalyConnection', { description: 'A page of anomalies, newest first.' })
export class AnomalyConnection extends Connection(DisclosureAnomaly, 'AnomalyList', 'anomaly') {}
