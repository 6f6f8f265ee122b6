import { Int, registerEnumType } from '@nestjs/graphql';
import { Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { ContentType } from 'src/records/content/content-type.decorator.js';

export enum RiskLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  VERY_HIGH = 'VERY_HIGH',
}

registerEnumType(RiskLevel, {
  name: 'RiskLevel',
  description: 'An assessed level of risk.',
  valuesMap: {
    LOW: { description: 'Low.' },
    MEDIUM: { description: 'Medium.' },
    HIGH: { description: 'High.' },
    VERY_HIGH: { description: 'Very high.' },
  },
});

@ContentType('ScoredSection', 'A section of an assessment scored 0–4 (3–4 counts as high), with a summary.')
export class ScoredSection {
  @Sensitive(S.CARE_PLANNING, () => Int, { description: 'The score, 0 (none) to 4 (very high).', min: 0, max: 4 })
  score: number | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: "The assessor's summary of the section.", maxLength: 20000 })
  summary: string | null;
}

@ContentType('ContactDetails', 'A named person and how to reach them.')
export class ContactDetails {
  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'Name.', maxLength: 200 })
  name: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'Role or job title.', maxLength: 200 })
  role: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'Telephone number.', maxLength: 50 })
  telephone: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'E-mail address.', maxLength: 200 })
  email: string | null;
}

@ContentType('Signature', 'Who signed a plan, in what capacity, and when.')
export class Signature {
  @Sensitive(S.IDENTITY_BASIC, () => String, { description: "The signatory's name.", maxLength: 200 })
  signedByName: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'The capacity they signed in.', maxLength: 200 })
  capacity: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When they signed.' })
  signedOn: string | null;
}
