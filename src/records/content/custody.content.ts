import { Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { ContentType } from 'src/records/content/content-type.decorator.js';
import { ContactDetails } from 'src/records/content/common.content.js';

const TEXT = 20000;

/** Exactly the seven items 001 §7.6 lists, and nothing else (C11). */
@ContentType(
  'CustodyInformationPackContent',
  'The information pack the social worker sends the custodial establishment (001 §7.6).',
)
export class CustodyInformationPackContent {
  @Sensitive(S.LEGAL_STATUS, () => String, { description: '1. Previous care status.', maxLength: 2000 })
  previousCareStatus: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => [ContactDetails], { description: '2. People with parental responsibility.' })
  parentalResponsibility: ContactDetails[] | null;

  @Sensitive(S.IDENTITY_BASIC, () => [ContactDetails], {
    description: "3. The authority's appointed representative and the accountable team manager.",
  })
  representativeAndTeamManager: ContactDetails[] | null;

  @Sensitive(S.RISK, () => String, { description: "4. Information needed immediately for the child's safety.", maxLength: TEXT })
  immediateSafetyInformation: string | null;

  @Sensitive(S.FAMILY_CONTACT, () => String, { description: '5. Family, carers and contact arrangements.', maxLength: TEXT })
  familyAndContact: string | null;

  @Sensitive(S.HEALTH, () => String, { description: '6. Needs, especially health and education.', maxLength: TEXT })
  healthAndEducationNeeds: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: '7. When the social worker will visit.' })
  socialWorkerVisitDate: string | null;
}

/** AIM3 assessment of harmful sexual behaviour (003 §6); blocked while a police investigation is open (C3). */
@ContentType('Aim3AssessmentContent', 'AIM3 assessment of harmful sexual behaviour (YOS, 003 §6).')
export class Aim3AssessmentContent {
  @Sensitive(S.SEXUAL_BEHAVIOUR, () => LocalDateScalar, { description: 'When the assessment was completed.' })
  assessmentDate: string | null;

  @Sensitive(S.SEXUAL_BEHAVIOUR, () => String, { description: 'The concerns assessed.', maxLength: TEXT })
  concerns: string | null;

  @Sensitive(S.SEXUAL_BEHAVIOUR, () => String, { description: 'Assessed level of concern and the reasons.', maxLength: TEXT })
  levelOfConcern: string | null;

  @Sensitive(S.SEXUAL_BEHAVIOUR, () => String, { description: 'Recommended intervention.', maxLength: TEXT })
  recommendedIntervention: string | null;
}
