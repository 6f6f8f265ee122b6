import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Role } from 'src/auth/roles.js';
import { Agency } from 'src/directory/directory.model.js';
import { SignatureDecision } from 'src/records/entities/record-signature.entity.js';

registerEnumType(SignatureDecision, {
  name: 'SignatureDecision',
  description: 'What another agency decided on a version it was asked to agree.',
  valuesMap: {
    AGREED: { description: 'Agreed (signed).' },
    NOT_AGREED: { description: 'Not agreed, with a reason: the owner must reach agreement (003 §8.3).' },
  },
});

@ObjectType({
  description:
    "Another agency's signature of one version of a record: the secure establishment's governor, director or registered manager agreeing the detention placement plan (001 §6.11, App.2), or the CSC operations manager's decision on a release plan (003 §8.3).",
})
export class RecordSignature {
  @Field(() => ID, { description: "Tandem's id for the signature." })
  id: string;

  @Field(() => Int, { description: 'The version signed.' })
  version: number;

  @Field({ description: "The signatory's name." })
  name: string;

  @Field(() => Role, {
    description: 'The role they signed in (SECURE_ESTATE_GOVERNOR: governor, director or registered manager).',
  })
  role: Role;

  @Field(() => Agency, { description: 'The establishment they signed for.' })
  agency: Agency;

  @Field(() => SignatureDecision, { description: 'Agreed, or not agreed (a release plan).' })
  decision: SignatureDecision;

  @Field(() => String, { nullable: true, description: 'Why it was not agreed; null for an agreement.' })
  reason: string | null;

  @Field({ description: 'When they signed.' })
  signedAt: Date;
}

@ObjectType({
  description:
    'A version of a record its owner sent to another agency, which reads that version and no other: the care plan given to the youth detention accommodation (001 §6.10).',
})
export class RecordCopy {
  @Field(() => ID, { description: "Tandem's id for the copy." })
  id: string;

  @Field(() => Int, { description: 'The version sent.' })
  version: number;

  @Field(() => Agency, { description: 'The agency it was sent to.' })
  recipient: Agency;

  @Field({ description: 'Who sent it.' })
  sentByName: string;

  @Field({ description: 'When it was sent.' })
  sentAt: Date;
}

@ObjectType({ description: 'Why and by whom a record was withdrawn; it stays readable, marked withdrawn.' })
export class RecordWithdrawal {
  @Field({ description: 'When it was withdrawn.' })
  withdrawnAt: Date;

  @Field({ description: 'The reason the owning agency gave.' })
  reason: string;

  @Field({ description: 'Who withdrew it.' })
  name: string;

  @Field(() => Agency, { description: 'Their agency (the owner).' })
  agency: Agency;
}
