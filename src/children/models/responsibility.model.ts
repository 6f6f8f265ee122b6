import { Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Sensitive, SensitiveGroup } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { WithheldField } from 'src/policy/models/withheld.model.js';
import { Agency } from 'src/directory/directory.model.js';
import { LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { CareLeaverCategory, CscInvolvement, LeadService, LookedAfterRoute } from 'src/responsibility/responsibility.types.js';

registerEnumType(LookedAfterRoute, {
  name: 'LookedAfterRoute',
  description: 'How a looked-after child is looked after.',
  valuesMap: {
    CARE_ORDER: { description: 'In care under a care order (s31).' },
    INTERIM_CARE_ORDER: { description: 'In care under an interim care order (s38).' },
    ACCOMMODATED_S20: { description: 'Accommodated under s20.' },
    REMAND: { description: 'Only through a remand (T1, T2).' },
    BAIL_TO_RESIDE: { description: 'Through bail to reside as directed by the LA (T3, Somerset).' },
    INTENSIVE_FOSTERING: { description: 'Through a YRO intensive fostering requirement (T14).' },
  },
});
registerEnumType(CareLeaverCategory, {
  name: 'CareLeaverCategory',
  description: 'Care-leaver category (DOMAIN Table 4.5-A).',
  valuesMap: {
    NONE: { description: 'Not a care leaver (the rule says why).' },
    ELIGIBLE: { description: 'Looked after, 16 or 17, 13 weeks looked after since 14.' },
    RELEVANT: { description: 'Left care at 16 or 17 after 13 weeks since 14, looked after after 16.' },
    FORMER_RELEVANT: { description: '18 or over (to 25), was eligible or relevant.' },
    QUALIFYING: { description: 'Looked after after 16 but never eligible or relevant (001 §8.1).' },
  },
});
registerEnumType(LeadService, {
  name: 'LeadService',
  description: 'The service that leads (DOMAIN §4.1).',
  valuesMap: {
    YOUTH_JUSTICE: { description: 'The YOS / YJS.' },
    CHILDRENS_SOCIAL_CARE: { description: "Children's social care (or early help)." },
    LEAVING_CARE: { description: 'The leaving-care service.' },
    NONE: { description: 'Neither service is involved: nobody leads.' },
  },
});
registerEnumType(CscInvolvement, {
  name: 'CscInvolvement',
  description: "Children's social care's involvement before the current looked-after period (an input of the lead rules).",
  valuesMap: {
    NONE_OR_CLOSED: { description: 'Unknown to CSC, or closed.' },
    OPEN_EARLY_HELP: { description: 'Open to early help.' },
    OPEN_CIN: { description: 'Open as a child in need (or involved without a care basis).' },
    OPEN_CP: { description: 'Open under child protection (s47).' },
    LAC: { description: 'Already looked after.' },
  },
});

@ObjectType({
  description: 'Looked-after status at one step of Table 4.2, derived from the legal-status history; never typed in.',
})
export class LookedAfterStatus {
  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'Whether the child is looked after.' })
  lookedAfter: boolean;

  @Sensitive(S.LEGAL_STATUS, () => LookedAfterRoute, { description: 'How, when looked after.' })
  route: LookedAfterRoute | null;

  @Sensitive(S.LEGAL_STATUS, () => Boolean, {
    description:
      'T8/T9: treated as a child in need; the Visits to Former Looked After Children in Detention Regulations 2010 apply.',
  })
  formerlyLookedAfterInDetention: boolean;

  @Sensitive(S.LEGAL_STATUS, () => LocalDateScalar, { description: 'Since when the child has been (or not been) looked after.' })
  since: string;

  @Sensitive(S.LEGAL_STATUS, () => LocalDateScalar, { description: 'The date of the event the rule was applied to.' })
  decidedOn: string;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'What the rule was applied to, e.g. CUSTODIAL_SENTENCE.' })
  trigger: string;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'The rule id, e.g. T7 (DOMAIN Table 4.2).' })
  rule: string;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'The source the rule comes from.' })
  citation: string;

  @Sensitive(S.LEGAL_STATUS, () => String, {
    description: 'The authority policy file and version, e.g. derby-responsibility@v1.',
  })
  policy: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => [WithheldField], { required: true, description: 'Fields withheld from you.' })
  withheld: WithheldField[];
}

@ObjectType({ description: 'Care-leaver category (Table 4.5-A), computed from the looked-after history, age and dates.' })
export class CareLeaverStatus {
  @Sensitive(S.LEGAL_STATUS, () => CareLeaverCategory, { description: 'The category.' })
  category: CareLeaverCategory;

  @Sensitive(S.LEGAL_STATUS, () => LocalDateScalar, { description: 'The date it was computed for (today, London).' })
  asOf: string;

  @Sensitive(S.LEGAL_STATUS, () => Int, { description: 'Age in whole years on that date.' })
  age: number;

  @Sensitive(S.LEGAL_STATUS, () => Int, { description: 'Days looked after since the 14th birthday (13 weeks = 91).' })
  daysLookedAfterSince14: number;

  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'Looked after at some time on or after the 16th birthday.' })
  lookedAfterAfter16: boolean;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'The rule id.' })
  rule: string;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'The source the rule comes from.' })
  citation: string;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'The authority policy file and version.' })
  policy: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => [WithheldField], { required: true, description: 'Fields withheld from you.' })
  withheld: WithheldField[];
}

@ObjectType({ description: 'What the lead rules read.' })
export class LeadInputsView {
  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'Looked after now.' })
  lookedAfter: boolean;

  @Sensitive(S.LEGAL_STATUS, () => LookedAfterRoute, { description: 'How, when looked after.' })
  route: LookedAfterRoute | null;

  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'T8/T9 applies.' })
  formerlyLookedAfterInDetention: boolean;

  @Sensitive(S.LEGAL_STATUS, () => LegalStatusBasis, { description: 'The current care basis.' })
  careBasis: LegalStatusBasis | null;

  @Sensitive(S.LEGAL_STATUS, () => LegalStatusBasis, { description: 'The current justice status.' })
  justiceBasis: LegalStatusBasis | null;

  @Sensitive(S.LEGAL_STATUS, () => CscInvolvement, { description: 'CSC involvement before the looked-after period.' })
  cscBefore: CscInvolvement;

  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'An open child-protection basis (s47).' })
  childProtection: boolean;

  @Sensitive(S.LEGAL_STATUS, () => CareLeaverCategory, { description: 'The care-leaver category.' })
  careLeaver: CareLeaverCategory;

  @Sensitive(S.CASE_ADMINISTRATION, () => Boolean, { description: 'A youth justice service is involved.' })
  youthJusticeInvolved: boolean;
}

@ObjectType({ description: 'The lead professional as the authority policy computes it (DOMAIN §4.1; DECISIONS §1).' })
export class LeadProfessional {
  // What leads, and under which rule, says what the child's legal status is (L11: child protection,
  // L2: looked after through a remand): it is legal status, not case administration.
  @Sensitive(S.LEGAL_STATUS, () => LeadService, { description: 'The service that leads.' })
  lead: LeadService;

  @Sensitive(S.CASE_ADMINISTRATION, () => Agency, { description: 'The agency of that service for this child, when known.' })
  agency: Agency | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: "The lead agency's allocated worker, when one is allocated." })
  practitionerName: string | null;

  @Sensitive(S.LEGAL_STATUS, () => [String], {
    description: 'What must also happen, e.g. CSC_SOCIAL_WORKER: a social worker must be allocated too (L2).',
  })
  alsoRequired: string[];

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'The rule id, e.g. L2.' })
  rule: string;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'The source the rule comes from.' })
  citation: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The authority policy file and version.' })
  policy: string;

  @SensitiveGroup(() => LeadInputsView, { description: 'The inputs the rule read.' })
  inputs: LeadInputsView;

  @Sensitive(S.CASE_ADMINISTRATION, () => [WithheldField], { required: true, description: 'Fields withheld from you.' })
  withheld: WithheldField[];
}
