import { Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { ContentType } from 'src/records/content/content-type.decorator.js';

const TEXT = 20000;

/**
 * The statutory looked-after review held for a child in custody (003 §7.4, §7.6; the Care Planning
 * Regulations): when it was held, who chaired it and what it decided. CSC records it; it is the
 * evidence the review duty (D30) waits for, instead of a planning-meeting record standing in.
 */
@ContentType('LookedAfterReviewContent', 'A statutory looked-after review of a child in custody (003 §7.4).')
export class LookedAfterReviewContent {
  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the review was held.' })
  reviewDate: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, {
    description: 'The independent reviewing officer who chaired it.',
    maxLength: 200,
  })
  chairedBy: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Boolean, { description: 'The YJS worker was invited (003 §7.4).' })
  youthJusticeInvited: boolean | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: 'What the review decided.', maxLength: TEXT })
  decisions: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the next review is due.' })
  nextReviewDate: string | null;
}
