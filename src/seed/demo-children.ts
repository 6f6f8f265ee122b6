import {
  AllocationRole,
  InvolvementRole,
  LegalStatusBasis,
  PlacementStatus,
  PlacementType,
} from 'src/vocabulary/children.enums.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { ReleaseLivingOption } from 'src/records/content/plans.content.js';
import type { LegalStatusEvent } from 'src/children/children.events.js';
import { EventType } from 'src/events/event-type.js';
import { daysAfter, demoRemandDay, FIRST_VISIT_CALENDAR_DAYS } from 'src/seed/demo-calendar.js';
import type { DemoAgencyCode } from 'src/seed/demo-directory.js';

const id = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;

export interface DemoChild {
  readonly id: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly references: readonly { caseSystem: string; value: string }[];
  readonly involvements: readonly { agency: DemoAgencyCode; role: InvolvementRole; startDate: string; endDate?: string }[];
  readonly allocations: readonly { user: string; role: AllocationRole; startDate: string }[];
  readonly legalStatus: readonly {
    basis: LegalStatusBasis;
    startDate: string;
    endDate?: string;
    sourceEvent: string;
    by: string;
    /**
     * Recorded through Tandem: the events the legal-status service raised for it, written to the
     * outbox by the seed so that the duties engine reads them like any other (the rest of the demo
     * history predates Tandem and raises nothing).
     */
    raises?: readonly LegalStatusEvent['type'][];
  }[];
  readonly placements: readonly {
    status: PlacementStatus;
    type: PlacementType;
    name: string;
    address: string;
    postcode: string;
    area: 'derby' | 'islington';
    reason: string;
    plannedDate?: string;
    effectiveDate?: string;
    endDate?: string;
    by: string;
  }[];
  readonly records: readonly {
    id: string;
    kind: RecordKind;
    owner: DemoAgencyCode;
    author: string;
    versions: readonly Record<string, unknown>[];
  }[];
}

/**
 * Three children from the scenarios: an s20 child remanded to youth detention accommodation (S05,
 * S09), a looked-after child placed out of borough with a home and a host YOS (S20, S22), and a care
 * leaver (S40s). Jordan's remand is dated eight days before `now`, his first statutory visit overdue
 * (see `demoRemandDay`); the rest of the demo history is fixed.
 */
export function demoChildren(now: Date): readonly DemoChild[] {
  const remanded = demoRemandDay(now);
  return [
    {
      id: id(1),
      givenName: 'Jordan',
      familyName: 'Pryce',
      dateOfBirth: '2010-03-14',
      references: [
        { caseSystem: 'derby-csc-liquidlogic', value: 'LL-204518' },
        { caseSystem: 'derby-yos-childview', value: 'CV-88231' },
      ],
      involvements: [
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2025-09-02' },
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-02-11' },
        { agency: 'wetherby-yoi', role: InvolvementRole.SECURE_ESTATE, startDate: remanded },
      ],
      allocations: [
        { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2025-09-02' },
        { user: 'tara.nolan', role: AllocationRole.TEAM_MANAGER, startDate: '2025-09-02' },
        { user: 'irene.walsh', role: AllocationRole.INDEPENDENT_REVIEWING_OFFICER, startDate: '2025-09-20' },
        { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-02-11' },
      ],
      legalStatus: [
        {
          basis: LegalStatusBasis.S20_ACCOMMODATED,
          startDate: '2025-09-02',
          sourceEvent: 'Accommodated with parental agreement',
          by: 'sam.okafor',
        },
        {
          basis: LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
          startDate: remanded,
          sourceEvent: 'Remanded by Derby Youth Court',
          by: 'dana.hughes',
          // As the YOS records a remand (LegalStatusService): the change, and the notice CSC must hear.
          raises: [EventType.LEGAL_STATUS_CHANGED, EventType.REMAND_RECORDED],
        },
      ],
      placements: [
        {
          status: PlacementStatus.ENDED,
          type: PlacementType.FOSTER_CARE,
          name: 'Foster carers (Derby)',
          address: '14 Ashbourne Road, Derby',
          postcode: 'DE22 3AA',
          area: 'derby',
          reason: 'Accommodated under s20',
          effectiveDate: '2025-09-02',
          endDate: remanded,
          by: 'sam.okafor',
        },
        {
          status: PlacementStatus.CURRENT,
          type: PlacementType.YOUNG_OFFENDER_INSTITUTION,
          name: 'HMYOI Wetherby',
          address: 'York Road, Wetherby',
          postcode: 'LS22 5ED',
          area: 'derby',
          reason: 'Remanded to youth detention accommodation',
          effectiveDate: remanded,
          by: 'sam.okafor',
        },
      ],
      records: [
        {
          id: id(101),
          kind: RecordKind.DETENTION_PLACEMENT_PLAN,
          owner: 'derby-csc',
          author: 'sam.okafor',
          versions: [
            {
              establishmentName: 'HMYOI Wetherby',
              establishmentAddress: 'York Road, Wetherby LS22 5ED',
              howNeedsWillBeMet: 'Keyworker sessions twice weekly; education placement on the Keppel unit.',
              contactArrangements: 'Weekly visits from mother; phone calls with younger brother.',
              healthArrangements: 'Healthcare unit to continue CAMHS follow-up.',
              healthConsentArrangements: 'Mother retains parental responsibility and gives consent.',
              socialWorkerVisits: 'Within 5 working days of remand, then every 6 weeks.',
              religiousPersuasion: 'None stated',
              wishesAndFeelingsConsidered: true,
              socialWorker: { name: 'Sam Okafor', role: 'Social worker', telephone: '01332 000 001', email: null },
              independentReviewingOfficer: { name: 'Irene Walsh', role: 'IRO', telephone: '01332 000 002', email: null },
            },
          ],
        },
        {
          id: id(102),
          kind: RecordKind.CARE_PLAN,
          owner: 'derby-csc',
          author: 'sam.okafor',
          versions: [
            {
              summary: 'Jordan to remain accommodated under s20 with long-term foster carers.',
              remandOnly: false,
              nextReviewDate: '2026-09-01',
            },
            {
              summary: 'Jordan is remanded to HMYOI Wetherby; plan covers the remand and a return to foster care on release.',
              remandOnly: false,
              contingencyOnCeasingToBeLookedAfter:
                'If acquitted, return to foster carers under s20; if sentenced, pathway planning with YOS.',
              youthJusticeContribution:
                'YOS case manager Dana Hughes attends reviews; intervention plan targets peer association.',
              courtProceedingsInformation:
                'Findings of fact from the 2024 private-law proceedings about contact with the father.',
              nextReviewDate: '2026-11-27',
            },
          ],
        },
        {
          id: id(104),
          kind: RecordKind.CUSTODY_INFORMATION_PACK,
          owner: 'derby-csc',
          author: 'sam.okafor',
          versions: [
            {
              previousCareStatus: 'Accommodated under s20 from September 2025 until the remand.',
              parentalResponsibility: [{ name: 'Lisa Pryce', role: 'Mother', telephone: '07700 900123', email: null }],
              representativeAndTeamManager: [
                { name: 'Tara Nolan', role: 'Accountable team manager', telephone: '01332 000 003', email: null },
              ],
              immediateSafetyInformation: 'Risk of exploitation by older peers; no known self-harm.',
              familyAndContact: 'Weekly visits from mother; calls with younger brother.',
              healthAndEducationNeeds: 'Asthma (inhaler); Year 10 at a mainstream school.',
              socialWorkerVisitDate: daysAfter(remanded, FIRST_VISIT_CALENDAR_DAYS),
            },
          ],
        },
        {
          id: id(103),
          kind: RecordKind.ASSET_PLUS,
          owner: 'derby-yos',
          author: 'dana.hughes',
          versions: [
            {
              assessmentDate: '2026-03-05',
              orderStartDate: '2026-02-11',
              riskOfReoffending: 'HIGH',
              riskOfSeriousHarm: 'MEDIUM',
              safetyAndWellbeing: 'HIGH',
              careHistory: { lookedAfter: 'CURRENT', section20: true, careOrder: false },
              analysis: 'Offending linked to exploitation by older peers.',
              thirdPartyInformation: "The school's safeguarding lead reports contact with an older group at the bus station.",
              thirdPartySource: 'Derby Moor Academy designated safeguarding lead',
            },
          ],
        },
      ],
    },
    {
      id: id(2),
      givenName: 'Kayla',
      familyName: 'Osei',
      dateOfBirth: '2009-07-22',
      references: [
        { caseSystem: 'islington-csc-mosaic', value: 'MOS-771204' },
        { caseSystem: 'islington-yos-careworks', value: 'CW-31877' },
        { caseSystem: 'derby-yos-childview', value: 'CV-90412' },
      ],
      involvements: [
        { agency: 'islington-csc', role: InvolvementRole.CSC, startDate: '2023-05-10' },
        { agency: 'islington-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-20' },
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOST, startDate: '2026-08-04' },
      ],
      allocations: [
        { user: 'ben.carter', role: AllocationRole.SOCIAL_WORKER, startDate: '2024-01-08' },
        { user: 'ayesha.malik', role: AllocationRole.TEAM_MANAGER, startDate: '2024-01-08' },
        { user: 'olu.bakare', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-20' },
        { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-08-04' },
      ],
      legalStatus: [
        { basis: LegalStatusBasis.S31_CARE_ORDER, startDate: '2023-09-18', sourceEvent: 'Final care order', by: 'ben.carter' },
      ],
      placements: [
        {
          status: PlacementStatus.ENDED,
          type: PlacementType.FOSTER_CARE,
          name: 'Foster carers (Islington)',
          address: '3 Canonbury Grove, London',
          postcode: 'N1 2HR',
          area: 'islington',
          reason: 'Care order',
          effectiveDate: '2023-09-18',
          endDate: '2026-08-04',
          by: 'ben.carter',
        },
        {
          status: PlacementStatus.CURRENT,
          type: PlacementType.RESIDENTIAL_CHILDRENS_HOME,
          name: 'Oakwood House',
          address: '27 Kedleston Road, Derby',
          postcode: 'DE22 1FL',
          area: 'derby',
          reason: 'Foster placement broke down; specialist residential care',
          plannedDate: '2026-08-01',
          effectiveDate: '2026-08-04',
          by: 'ben.carter',
        },
      ],
      records: [
        {
          id: id(201),
          kind: RecordKind.CARE_PLAN,
          owner: 'islington-csc',
          author: 'ben.carter',
          versions: [
            {
              summary: 'Kayla remains in residential care in Derby with weekly contact with her grandmother.',
              remandOnly: false,
              permanencePlan: 'Long-term residential care, then pathway planning at 16.',
              education: 'Attends Derby Moor Academy, Year 11.',
              nextReviewDate: '2027-01-15',
            },
          ],
        },
        {
          id: id(202),
          kind: RecordKind.PLACEMENT_PLAN,
          owner: 'islington-csc',
          author: 'ben.carter',
          versions: [{ howPlacementMeetsNeeds: 'Small home with therapeutic support.', visitFrequency: 'Every 6 weeks' }],
        },
        {
          id: id(203),
          kind: RecordKind.INTERVENTION_PLAN,
          owner: 'islington-yos',
          author: 'olu.bakare',
          versions: [
            {
              riskTargets: ['Peer association', 'Substance misuse'],
              protectiveFactors: ['Engaged in education'],
              interventions: [{ action: 'Weekly sessions with host YOS (Derby)', owner: 'Dana Hughes', dueBy: '2026-12-31' }],
              parentOrCarerSignature: {
                signedByName: 'Ben Carter',
                capacity: 'Social worker, as parent/carer',
                signedOn: '2026-08-20',
              },
            },
          ],
        },
        {
          id: id(204),
          kind: RecordKind.PLANNING_MEETING_RECORD,
          owner: 'islington-yos',
          author: 'olu.bakare',
          versions: [
            {
              meetingDate: '2026-08-18',
              agreedRoles: 'Islington YOS remains home YOS; Derby YOS delivers sessions as host.',
              communicationArrangements: 'Fortnightly call between the social worker and both YOS workers.',
              youthJusticePlanExchanged: true,
              socialCarePlanExchanged: true,
            },
          ],
        },
      ],
    },
    {
      id: id(3),
      givenName: 'Reece',
      familyName: 'Walsh',
      dateOfBirth: '2008-11-02',
      references: [
        { caseSystem: 'derby-lc-liquidlogic', value: 'LL-118745' },
        { caseSystem: 'derby-yos-childview', value: 'CV-70112' },
      ],
      involvements: [
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2024-06-03', endDate: '2025-11-02' },
        { agency: 'derby-leaving-care', role: InvolvementRole.LEAVING_CARE, startDate: '2025-11-02' },
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-04-01' },
      ],
      allocations: [
        { user: 'paul.adeyemi', role: AllocationRole.PERSONAL_ADVISER, startDate: '2025-11-02' },
        { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-04-01' },
      ],
      legalStatus: [
        // Looked after from 15 to 17, so a relevant child on leaving care and former relevant at 18 (Table 4.5-A).
        {
          basis: LegalStatusBasis.S20_ACCOMMODATED,
          startDate: '2024-06-03',
          endDate: '2025-11-02',
          sourceEvent: 'Accommodated with parental agreement',
          by: 'sam.okafor',
        },
        { basis: LegalStatusBasis.NONE, startDate: '2025-11-02', sourceEvent: 'Left care at 17', by: 'sam.okafor' },
      ],
      placements: [
        {
          status: PlacementStatus.CURRENT,
          type: PlacementType.SUPPORTED_ACCOMMODATION,
          name: 'Riverside supported housing',
          address: '8 Nottingham Road, Derby',
          postcode: 'DE1 3QS',
          area: 'derby',
          reason: 'Move to supported accommodation at 17',
          effectiveDate: '2025-11-10',
          by: 'paul.adeyemi',
        },
      ],
      records: [
        {
          id: id(301),
          kind: RecordKind.PATHWAY_PLAN,
          owner: 'derby-leaving-care',
          author: 'paul.adeyemi',
          versions: [
            {
              needsAssessment: 'Needs support with budgeting and a tenancy by 18.',
              accommodation: 'Supported housing until 18, then a council tenancy.',
              criminalJusticeInformation: 'Referral order (YOS, Dana Hughes) until April 2027.',
              nextReviewDate: '2027-02-01',
            },
          ],
        },
        {
          id: id(302),
          kind: RecordKind.RELEASE_PLAN,
          owner: 'derby-yos',
          author: 'dana.hughes',
          versions: [
            {
              releaseDate: '2026-06-12',
              livingOption: ReleaseLivingOption.INDEPENDENT_LIVING,
              preReleaseChecklist: { whoIsCollecting: 'Paul Adeyemi (PA)', whereTheyWillLive: 'Riverside supported housing' },
              agreedBySocialCare: true,
            },
          ],
        },
      ],
    },
  ];
}

/** The demo children as loaded now: their ids, names and fixed history, for whoever names them. */
export const DEMO_CHILDREN: readonly DemoChild[] = demoChildren(new Date());
