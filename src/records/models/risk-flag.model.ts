import { ObjectType, registerEnumType } from '@nestjs/graphql';
import { Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { Agency } from 'src/directory/directory.model.js';
import { WithheldField } from 'src/policy/models/withheld.model.js';
import { RiskLevel } from 'src/records/content/common.content.js';

export enum RiskFlagKind {
  RISK_OF_REOFFENDING = 'RISK_OF_REOFFENDING',
  RISK_OF_SERIOUS_HARM = 'RISK_OF_SERIOUS_HARM',
  SAFETY_AND_WELLBEING = 'SAFETY_AND_WELLBEING',
}

registerEnumType(RiskFlagKind, {
  name: 'RiskFlagKind',
  description: 'What a risk flag is about.',
  valuesMap: {
    RISK_OF_REOFFENDING: { description: 'Likelihood of re-offending.' },
    RISK_OF_SERIOUS_HARM: { description: 'Risk of serious harm to others (RoSH).' },
    SAFETY_AND_WELLBEING: { description: 'Risk to the child’s own safety and wellbeing (SWB).' },
  },
});

@ObjectType({ description: 'A risk level from the child’s latest AssetPlus: part of the break-glass narrow read.' })
export class RiskFlag {
  @Sensitive(S.RISK, () => RiskFlagKind, { description: 'What the flag is about.', required: true })
  kind: RiskFlagKind;

  @Sensitive(S.RISK, () => RiskLevel, { description: 'The assessed level.' })
  level: RiskLevel | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When it was assessed.' })
  assessedOn: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Agency, { description: 'The agency whose assessment it is.' })
  assessedBy: Agency | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => [WithheldField], {
    description: 'Fields of this flag the policy withheld from you, with reason and rule.',
    required: true,
  })
  withheld: WithheldField[];
}
