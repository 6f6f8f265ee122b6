import { describe, expect, it } from 'vitest';
import { missingForFinal, requireFinalContent } from 'src/records/content/final-requirements.js';
import { readableRange, readableVersions, readsOnlyCopies } from 'src/records/readable-versions.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { RecordStatus, RecordVersionStatus } from 'src/vocabulary/record-status.js';
import { COMPLETE_DPP } from '../support/record-fixtures.js';

describe('what FINAL requires', () => {
  it('names every Appendix 2 item an empty detention placement plan lacks', () => {
    const missing = missingForFinal(RecordKind.DETENTION_PLACEMENT_PLAN, {});
    expect(missing).toHaveLength(17);
    expect(missing).toContain('establishmentAddress: its address');
    expect(missing).toContain(
      'contactArrangements or contactNotPracticableReasons: contact with parents and connected persons, or why it is not practicable',
    );
    expect(missing).toContain(
      "wishesAndFeelingsConsidered: confirmation that the child's wishes and feelings were sought and considered",
    );
  });

  it('accepts a complete plan, and either contact item; blank text and false confirmations do not count', () => {
    expect(missingForFinal(RecordKind.DETENTION_PLACEMENT_PLAN, COMPLETE_DPP)).toEqual([]);
    expect(
      missingForFinal(RecordKind.DETENTION_PLACEMENT_PLAN, {
        ...COMPLETE_DPP,
        contactArrangements: null,
        contactNotPracticableReasons: 'Father in custody',
      }),
    ).toEqual([]);
    expect(
      missingForFinal(RecordKind.DETENTION_PLACEMENT_PLAN, {
        ...COMPLETE_DPP,
        racialOrigin: '  ',
        wishesAndFeelingsConsidered: false,
        socialWorker: { name: null, telephone: '01332 000 001' },
      }).map((item) => item.split(':')[0]),
    ).toEqual(['racialOrigin', 'socialWorker.name', 'wishesAndFeelingsConsidered']);
  });

  it("needs the custody-visit assessment's analysis and recommendations (001 §7.10)", () => {
    const missing = missingForFinal(RecordKind.CUSTODY_VISIT_ASSESSMENT, {
      visitDate: '2026-11-06',
      seenInPrivate: false,
      analysis: { welfareSafeguarded: true, furtherVisitsNeeded: false },
    });
    expect(missing.map((item) => item.split(':')[0])).toEqual([
      'analysis.keepingInTouch',
      'analysis.lookedAfterOnRelease',
      'analysis.otherServicesNeeded',
    ]);
  });

  it('needs only some content of a kind without rules, and says so with BAD_USER_INPUT', () => {
    expect(missingForFinal(RecordKind.INTERVENTION_PLAN, { riskTargets: ['Peer association'] })).toEqual([]);
    expect(missingForFinal(RecordKind.INTERVENTION_PLAN, { riskTargets: [] })).toEqual([
      'content: an empty record cannot be final',
    ]);
    expect(() => requireFinalContent(RecordKind.DETENTION_PLACEMENT_PLAN, {}, 'input.content.detentionPlacementPlan')).toThrow(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        details: expect.objectContaining({ field: 'input.content.detentionPlacementPlan' }) as unknown,
        message: expect.stringContaining('Appendix 2') as unknown,
      }),
    );
  });
});

describe('which versions a caller reads', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 10, day));
  const rows = [
    { version: 1, status: RecordVersionStatus.FINAL, createdAt: at(1) },
    { version: 2, status: RecordVersionStatus.DRAFT, createdAt: at(2) },
    { version: 3, status: RecordVersionStatus.FINAL, createdAt: at(3) },
    { version: 4, status: RecordVersionStatus.DRAFT, createdAt: at(4) },
  ];

  it('the owner reads drafts; a superseded final version says so', () => {
    expect(readableVersions(rows, { own: true, before: null, copied: null })).toEqual([
      { version: 1, status: RecordStatus.SUPERSEDED },
      { version: 2, status: RecordStatus.DRAFT },
      { version: 3, status: RecordStatus.FINAL },
      { version: 4, status: RecordStatus.DRAFT },
    ]);
  });

  it('others read FINAL versions only, C3 stops at the investigation, copy recipients read what they were sent', () => {
    const others = readableVersions(rows, { own: false, before: null, copied: null });
    expect(others).toEqual([
      { version: 1, status: RecordStatus.SUPERSEDED },
      { version: 3, status: RecordStatus.FINAL },
    ]);
    expect(readableRange(others)).toBe('The versions of the record you may read are 1, 3');
    // What the caller cannot read does not show through the status of what it can.
    expect(readableVersions(rows, { own: false, before: at(3), copied: null })).toEqual([
      { version: 1, status: RecordStatus.FINAL },
    ]);
    expect(readableVersions(rows, { own: false, before: null, copied: new Set([1]) })).toEqual([
      { version: 1, status: RecordStatus.FINAL },
    ]);
    expect(readableRange([{ version: 1, status: RecordStatus.FINAL }])).toBe('The record has versions 1 to 1');
  });

  it('the establishment reads care plans only as copies', () => {
    expect(readsOnlyCopies(RecordKind.CARE_PLAN, AgencyKind.SECURE_ESTATE)).toBe(true);
    expect(readsOnlyCopies(RecordKind.CARE_PLAN, AgencyKind.YOUTH_JUSTICE)).toBe(false);
    expect(readsOnlyCopies(RecordKind.DETENTION_PLACEMENT_PLAN, AgencyKind.SECURE_ESTATE)).toBe(false);
  });
});
