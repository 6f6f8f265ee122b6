import { describe, expect, it } from 'vitest';
import { validateContent } from 'src/records/content/content-validation.js';
import { DetentionPlacementPlanContent, ReleasePlanContent } from 'src/records/content/plans.content.js';

describe('validateContent', () => {
  it('returns a plain copy without absent fields', () => {
    expect(validateContent(ReleasePlanContent, { releaseDate: '2027-01-01', risksPosed: undefined }, 'c')).toEqual({
      releaseDate: '2027-01-01',
    });
  });

  it('checks nested lists and objects, naming the path', () => {
    expect(() =>
      validateContent(
        DetentionPlacementPlanContent,
        { contactOrders: [{ orderType: 'x'.repeat(101) }] },
        'input.content.detentionPlacementPlan',
      ),
    ).toThrowError(
      expect.objectContaining({ details: { field: 'input.content.detentionPlacementPlan.contactOrders.0.orderType' } }),
    );
    expect(() =>
      validateContent(ReleasePlanContent, { preReleaseChecklist: { whoIsCollecting: 'x'.repeat(2001) } }, 'r'),
    ).toThrowError(expect.objectContaining({ details: { field: 'r.preReleaseChecklist.whoIsCollecting' } }));
  });

  it('refuses fields the content type does not have', () => {
    expect(() => validateContent(ReleasePlanContent, { secret: 1 }, 'r')).toThrowError(
      expect.objectContaining({ details: { field: 'r.secret' } }),
    );
  });
});
