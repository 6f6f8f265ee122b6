import { Field, ID, ObjectType } from '@nestjs/graphql';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';

@ObjectType({ description: 'Where an entry sits in the hash chain, once sealed.' })
export class DisclosureSeal {
  @Field({ description: 'Its sequence number in the chain (the place a checkpoint covers).' })
  seq: string;

  @Field({ description: 'The signed checkpoint whose batch holds it.' })
  checkpointId: number;
}

@ObjectType({
  description:
    'A child found for a subject-access request: only children with entries in the log the caller may read, to pick whose report to produce.',
})
export class AuditChild {
  @Field(() => ID, { description: "Tandem's id for the child." })
  id: string;

  @Field({ description: 'Given name.' })
  givenName: string;

  @Field({ description: 'Family name.' })
  familyName: string;

  @Field(() => LocalDateScalar, { description: 'Date of birth.' })
  dateOfBirth: string;
}
