import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Role } from 'src/auth/roles.js';
import { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { Agency } from 'src/directory/directory.model.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { Relationship } from 'src/policy/relationship.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';

@ObjectType({ description: 'The decision for one sensitivity class, with the rule and agreement clause that made it.' })
export class ClassDecisionExplanation {
  @Field(() => SensitivityClass, { description: 'The sensitivity class.' })
  sensitivityClass: SensitivityClass;

  @Field({ description: 'Whether fields of this class are disclosed.' })
  allowed: boolean;

  @Field({ description: 'The deciding rule: an agreement clause, OWN-AGENCY, a restriction (C1…C17) or DEFAULT-DENY.' })
  rule: string;

  @Field({ description: 'The rule in words.' })
  reason: string;

  @Field(() => String, { nullable: true, description: 'The sharing agreement, when one decided.' })
  agreementId: string | null;

  @Field(() => Int, { nullable: true, description: 'Its version.' })
  agreementVersion: number | null;

  @Field(() => String, { nullable: true, description: 'Its clause.' })
  clause: string | null;

  @Field(() => String, { nullable: true, description: 'The lawful basis the agreement names for this class, when allowed.' })
  lawfulBasis: string | null;
}

@ObjectType({ description: "Decisions for one record, or for one agency's data about the child." })
export class AccessExplanationEntry {
  @Field(() => Agency, { description: 'The agency that owns the data.' })
  owningAgency: Agency;

  @Field(() => ID, { nullable: true, description: 'The record, when one was asked about.' })
  recordId: string | null;

  @Field(() => RecordKind, { nullable: true, description: 'Its kind.' })
  recordKind: RecordKind | null;

  @Field(() => [ClassDecisionExplanation], { description: 'One decision per sensitivity class.' })
  decisions: ClassDecisionExplanation[];
}

@ObjectType({ description: 'What a user may see of a child for a purpose, and why.' })
export class AccessExplanation {
  @Field({ description: 'The user explained (token subject).' })
  subject: string;

  @Field(() => PurposeOfUse, { description: 'The purpose explained.' })
  purpose: PurposeOfUse;

  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field({ description: 'Whether the user can see the child at all.' })
  childVisible: boolean;

  @Field(() => [Relationship], { description: "The user's relationships to the child." })
  relationship: Relationship[];

  @Field(() => [InvolvementRole], { description: "The user's agency's involvement roles with the child." })
  agencyRoles: InvolvementRole[];

  @Field(() => [AccessExplanationEntry], { description: 'Decisions per owning agency, or for the record asked about.' })
  entries: AccessExplanationEntry[];
}

@InputType({ description: 'For auditors: the user to explain, as their token would describe them.' })
export class ExplainAsUserInput {
  @Field({ description: 'Their token subject.' })
  subject: string;

  @Field({ description: 'Their agency code.' })
  agencyCode: string;

  @Field(() => [Role], { description: 'Their roles.' })
  roles: Role[];
}
