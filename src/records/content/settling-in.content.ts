import { Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { ContentType } from 'src/records/content/content-type.decorator.js';

const TEXT = 20000;

/** The establishment's reply to the information pack (001 §7.7): written by the establishment, read by CSC. */
@ContentType('SettlingInReportContent', "The secure establishment's settling-in reply to the social worker (001 §7.7).")
export class SettlingInReportContent {
  @Sensitive(S.CARE_PLANNING, () => String, { description: 'How the child has settled in.', maxLength: TEXT })
  howChildHasSettled: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, {
    description: 'The arrangements agreed for the social worker to visit the child (001 §7.7–7.8).',
    maxLength: 2000,
  })
  agreedVisitingArrangements: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, {
    description: 'The date agreed for the first visit, if one is (within 10 working days, 001 §7.8).',
  })
  firstVisitDate: string | null;
}
