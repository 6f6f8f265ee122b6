import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { RecordedSex } from 'src/identity/child-description.js';
import { MatchAttribute, MatchOutcome } from 'src/identity/match-result.js';
import { WithheldField } from 'src/policy/models/withheld.model.js';
import { Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';

registerEnumType(RecordedSex, {
  name: 'RecordedSex',
  description: "Sex or gender as the agency's system records it (NHS Data Dictionary person stated gender).",
  valuesMap: {
    FEMALE: { description: 'Female.' },
    MALE: { description: 'Male.' },
    INDETERMINATE: { description: 'Indeterminate (unable to be classified as either).' },
    NOT_KNOWN: { description: 'Not known, or not recorded.' },
  },
});

registerEnumType(MatchOutcome, {
  name: 'MatchOutcome',
  description: 'Whether a description is a child Tandem already holds.',
  valuesMap: {
    CONFIDENT: { description: 'The same child: its id and the attributes that matched are returned.' },
    POSSIBLE: { description: 'Perhaps the same child: a person must review; nothing of the other record is returned.' },
    NO_MATCH: { description: 'No child Tandem holds matches.' },
  },
});

registerEnumType(MatchAttribute, {
  name: 'MatchAttribute',
  description: 'An attribute a confident match rested on (its name only, never a value).',
  valuesMap: {
    NHS_NUMBER: { description: 'The same valid NHS number.' },
    PNC_ID: { description: 'The same valid PNC ID.' },
    UPN: { description: 'The same valid Unique Pupil Number.' },
    GIVEN_NAME: { description: 'The given name, exactly.' },
    FAMILY_NAME: { description: 'The family name, exactly.' },
    DATE_OF_BIRTH: { description: 'The date of birth, exactly.' },
    SEX: { description: 'Sex as recorded (female or male on both sides).' },
    POSTCODE: { description: 'A postcode of the address history, in full.' },
  },
});

@ObjectType({ description: 'A previous or alternative name of the child.' })
export class ChildName {
  @Field(() => String, { nullable: true, description: 'Given names, first then middle, space-separated.' })
  givenNames: string | null;

  @Field(() => String, { nullable: true, description: 'Family name.' })
  familyName: string | null;
}

@InputType({ description: 'A previous or alternative name (birth or pre-adoption name, alias, name used at school).' })
export class ChildNameInput {
  @Field(() => String, { nullable: true, description: 'Given names, first then middle, space-separated.' })
  givenNames?: string | null;

  @Field(() => String, { nullable: true, description: 'Family name.' })
  familyName?: string | null;
}

@ObjectType({
  description:
    'The national identifiers Tandem holds for the child, each under the class of the system it comes from (NHS number: the consistent identifier across services; PNC ID: that a police record exists; UPN: education).',
})
export class ChildIdentifiers {
  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'NHS number (ten digits, check digit verified).' })
  nhsNumber: string | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => String, { description: 'Police National Computer ID (YY/NNNNNNNC).' })
  pncId: string | null;

  @Sensitive(S.EDUCATION, () => String, { description: 'Unique Pupil Number (13 characters, check letter verified).' })
  upn: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => [WithheldField], {
    description: 'Identifiers the policy withheld from you (they read as null), with reason and rule.',
    required: true,
  })
  withheld: WithheldField[];
}

@InputType({ description: 'A description of a child from your case system, to find out whether Tandem holds them already.' })
export class MatchChildInput {
  @Field({ description: 'Given names (first, then middle, space-separated).' })
  givenName: string;

  @Field({ description: 'Family name.' })
  familyName: string;

  @Field(() => LocalDateScalar, { description: 'Date of birth.' })
  dateOfBirth: string;

  @Field(() => RecordedSex, { nullable: true, description: 'Sex as your system records it.' })
  sex?: RecordedSex | null;

  @Field(() => [ChildNameInput], { nullable: true, description: 'Previous and alternative names.' })
  otherNames?: ChildNameInput[] | null;

  @Field(() => String, { nullable: true, description: 'NHS number; one that fails its check is refused.' })
  nhsNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'PNC ID; one that fails its check is refused.' })
  pncId?: string | null;

  @Field(() => String, { nullable: true, description: 'Unique Pupil Number; one that fails its check is refused.' })
  upn?: string | null;

  @Field(() => String, { nullable: true, description: "The child's current postcode." })
  postcode?: string | null;
}

@ObjectType({
  description:
    "What a match request may tell: a confident match's id and the attributes that agreed; for a possible match, only that there is one to review; for none, nothing.",
})
export class ChildMatch {
  @Field(() => MatchOutcome, { description: 'Confident, possible or no match.' })
  outcome: MatchOutcome;

  @Field(() => ID, { nullable: true, description: "The matched child's Tandem id; only for a confident match." })
  childId: string | null;

  @Field(() => [MatchAttribute], { description: 'The attributes that agreed exactly; only for a confident match.' })
  matchedAttributes: MatchAttribute[];
}

@InputType({ description: "Attaches your case system's reference to a child Tandem holds (found with matchChild)." })
export class LinkCaseReferenceInput {
  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field({ description: "The child's reference in your case system (unique in that system)." })
  reference: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'When your agency became involved; today if omitted.' })
  involvementStartDate?: string | null;
}

@InputType({ description: 'Folds a duplicate child into the child that survives.' })
export class MergeChildrenInput {
  @Field(() => ID, { description: 'The child that stays.' })
  survivingChildId: string;

  @Field(() => ID, { description: 'The duplicate; its id then resolves to the surviving child.' })
  mergedChildId: string;
}

@ObjectType({ description: 'A merge of a duplicate child into the surviving one.' })
export class ChildMerge {
  @Field(() => ID, { description: "Tandem's id for the merge (pass it to unmergeChildren)." })
  id: string;

  @Field(() => ID, { description: 'The child that stays.' })
  survivingChildId: string;

  @Field(() => ID, { description: 'The duplicate folded into it.' })
  mergedChildId: string;

  @Field({ description: 'When the merge was made.' })
  mergedAt: Date;

  @Field({ description: 'Until when unmergeChildren can undo it.' })
  undoBefore: Date;

  @Field(() => Date, { nullable: true, description: 'When it was undone; null while in force.' })
  undoneAt: Date | null;
}
