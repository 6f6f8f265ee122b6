import { z } from 'zod';
import { obligationDefinitionSchema } from 'src/responsibility/obligation-definitions.schema.js';
import { AgencyKind, CourtOutcome, InvolvementRole, LegalStatusBasis, YroRequirement } from 'src/vocabulary/children.enums.js';
import { CareLeaverCategory, CscInvolvement, LeadService, LookedAfterRoute } from 'src/responsibility/responsibility.types.js';

/**
 * One local authority's responsibility rules as reviewed data (policy/responsibility/*.json): who
 * records each legal-status dimension, the looked-after transitions of DOMAIN Table 4.2, the
 * care-leaver tests of Table 4.5-A and the lead-professional rules of Tables 4.1-A/B. Each file is
 * self-contained (the statutory rows are repeated in every file) so that an answer names exactly
 * one file and version; the functions in this folder interpret it and cite each row.
 *
 * Not encoded as transitions (no outcome the gateway could apply): T13 (001 §5.11 is truncated),
 * T16 (a threshold decision by CSC), T17 (a decision by the Operational Director, not a status).
 * Each file lists them under `lookedAfter.notEncoded` with the reason.
 */

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const citation = z.string().min(1);
const ruleId = z.string().regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/);
const dimension = z.enum(['CARE', 'JUSTICE']);
const basis = z.nativeEnum(LegalStatusBasis);

/** The state a transition row applies from: not looked after, or looked after through a route. */
export const NOT_LOOKED_AFTER = 'NOT_LOOKED_AFTER';
const stateSchema = z.union([z.literal(NOT_LOOKED_AFTER), z.nativeEnum(LookedAfterRoute)]);
export type LookedAfterState = z.infer<typeof stateSchema>;

export enum TransitionResult {
  /** Looked after through `route` (also used to change the route of a looked-after child). */
  BECOMES = 'BECOMES',
  /** The row says the status stays (T5, T7): nothing changes. */
  STAYS = 'STAYS',
  CEASES = 'CEASES',
  /** The event does not change the status (T4, T15, an unadopted T3). */
  UNCHANGED = 'UNCHANGED',
}

/** A change of legal status a row reacts to: an episode starting in one dimension. */
const triggerSchema = z
  .object({
    dimension,
    /** The basis of the episode that starts; any when absent. */
    bases: z.array(basis).min(1).optional(),
    /** The court outcome recorded on it (e.g. ACQUITTED on a NONE episode). */
    outcomes: z.array(z.nativeEnum(CourtOutcome)).min(1).optional(),
    /** Any of these requirements on it (T14: INTENSIVE_FOSTERING). */
    requirements: z.array(z.nativeEnum(YroRequirement)).min(1).optional(),
    /** The basis of the episode it follows in the same dimension; NONE when there was none (T15: after custody). */
    after: z.array(basis).min(1).optional(),
    /** For a care change: the justice episode current that day (a remand that keeps the child looked after). */
    whileJustice: z
      .object({
        bases: z.array(basis).min(1),
        requirements: z.array(z.nativeEnum(YroRequirement)).min(1).optional(),
      })
      .strict()
      .optional(),
    /** T10: on the day the child is 16 or 17 and has been looked after for the 13 weeks since 14 (careLeaver.minimumDaysSince14). */
    becomesRelevant: z.literal(true).optional(),
  })
  .strict();

const transitionSchema = z
  .object({
    rule: ruleId,
    summary: z.string().min(1),
    from: z.array(stateSchema).min(1),
    trigger: triggerSchema,
    result: z.nativeEnum(TransitionResult),
    /** The route a BECOMES row makes the child looked after through. */
    route: z.nativeEnum(LookedAfterRoute).optional(),
    /** T8/T9: the Visits to Former Looked After Children in Detention Regulations apply; kept from before when absent on STAYS/UNCHANGED. */
    formerlyLookedAfterInDetention: z.boolean().optional(),
    /** False: a rule the protocols state that this authority does not adopt; the row gives the answer without it. */
    adopted: z.boolean().optional(),
    citation,
  })
  .strict()
  .superRefine((row, ctx) => {
    if ((row.result === TransitionResult.BECOMES) !== (row.route !== undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['route'], message: 'a BECOMES row, and only one, names its route' });
    }
  });

const notEncodedSchema = z.object({ rule: ruleId, reason: z.string().min(1), citation }).strict();

const recordingSchema = z
  .object({
    dimension,
    agencyKinds: z.array(z.nativeEnum(AgencyKind)).min(1),
    /** When given, the recorder's agency must be involved with the child now in one of these roles. */
    involvementRoles: z.array(z.nativeEnum(InvolvementRole)).min(1).optional(),
    /** The recorder's agency must be of the child's home authority (the first still working with it). */
    childsAuthority: z.literal(true).optional(),
    /** When given, the row applies only while no agency is involved with the child in this role. */
    unlessHeld: z.nativeEnum(InvolvementRole).optional(),
    rule: ruleId,
    citation,
  })
  .strict();

/** The cases of Table 4.5-A the care-leaver function tells apart; the file names each one's rule and citation. */
export enum CareLeaverCase {
  ELIGIBLE = 'ELIGIBLE',
  RELEVANT = 'RELEVANT',
  FORMER_RELEVANT = 'FORMER_RELEVANT',
  QUALIFYING = 'QUALIFYING',
  /** Went home with s17 support: not qualifying (001 §8.3). */
  QUALIFYING_EXCLUSION = 'QUALIFYING_EXCLUSION',
  LOOKED_AFTER_UNDER_16 = 'LOOKED_AFTER_UNDER_16',
  /** Looked after at 16–17 but not yet for 13 weeks since 14. */
  LOOKED_AFTER_UNDER_13_WEEKS = 'LOOKED_AFTER_UNDER_13_WEEKS',
  NOT_A_CARE_LEAVER = 'NOT_A_CARE_LEAVER',
  /** From the upper age limit of leaving-care support. */
  AGE_LIMIT = 'AGE_LIMIT',
}

/** The category each case must give: the file states it so it reads on its own, and the schema checks it. */
export const CASE_CATEGORY: Readonly<Record<CareLeaverCase, CareLeaverCategory>> = {
  ELIGIBLE: CareLeaverCategory.ELIGIBLE,
  RELEVANT: CareLeaverCategory.RELEVANT,
  FORMER_RELEVANT: CareLeaverCategory.FORMER_RELEVANT,
  QUALIFYING: CareLeaverCategory.QUALIFYING,
  QUALIFYING_EXCLUSION: CareLeaverCategory.NONE,
  LOOKED_AFTER_UNDER_16: CareLeaverCategory.NONE,
  LOOKED_AFTER_UNDER_13_WEEKS: CareLeaverCategory.NONE,
  NOT_A_CARE_LEAVER: CareLeaverCategory.NONE,
  AGE_LIMIT: CareLeaverCategory.NONE,
};

const careLeaverSchema = z
  .object({
    /** 13 weeks, counted in calendar days (DECISIONS §7). */
    minimumDaysSince14: z.number().int().positive(),
    minimumDaysCitation: citation,
    /** Leaving-care support ends at this birthday. */
    ageLimit: z.number().int().min(18),
    ageLimitCitation: citation,
    cases: z.array(
      z
        .object({ case: z.nativeEnum(CareLeaverCase), rule: ruleId, category: z.nativeEnum(CareLeaverCategory), citation })
        .strict(),
    ),
    /**
     * H&F's reading (DECISIONS §3): a child on s20 when remanded, whose remand of at least
     * `minimumRemandDays` ended in a custodial sentence, gets leaving-care services at 16–17 even
     * when the statutory tests fail. On only where `adopted` is true.
     */
    remandVariant: z
      .object({
        adopted: z.boolean(),
        rule: ruleId,
        category: z.literal(CareLeaverCategory.RELEVANT),
        minimumRemandDays: z.number().int().positive(),
        citation,
      })
      .strict(),
  })
  .strict()
  .superRefine((careLeaver, ctx) => {
    for (const wanted of Object.values(CareLeaverCase)) {
      const rows = careLeaver.cases.filter((row) => row.case === wanted);
      if (rows.length !== 1) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['cases'], message: `${wanted} must be listed once` });
      } else if (rows[0]?.category !== CASE_CATEGORY[wanted]) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['cases'], message: `${wanted} gives ${CASE_CATEGORY[wanted]}` });
      }
    }
  });

/** Conditions over LeadInputs: every one given must hold; a list holds when the input is one of it. */
const leadWhenSchema = z
  .object({
    lookedAfter: z.boolean().optional(),
    routes: z.array(z.nativeEnum(LookedAfterRoute)).min(1).optional(),
    formerRoutes: z.array(z.nativeEnum(LookedAfterRoute)).min(1).optional(),
    formerlyLookedAfterInDetention: z.boolean().optional(),
    careBases: z.array(basis).min(1).optional(),
    justiceBases: z.array(basis).min(1).optional(),
    cscBefore: z.array(z.nativeEnum(CscInvolvement)).min(1).optional(),
    childProtection: z.boolean().optional(),
    careLeaver: z.array(z.nativeEnum(CareLeaverCategory)).min(1).optional(),
    youthJusticeInvolved: z.boolean().optional(),
  })
  .strict();
export type LeadConditions = z.infer<typeof leadWhenSchema>;

const leadRuleSchema = z
  .object({
    rule: ruleId,
    summary: z.string().min(1),
    when: leadWhenSchema,
    lead: z.nativeEnum(LeadService),
    alsoRequired: z
      .array(z.string().regex(/^[A-Z][A-Z_]*$/))
      .min(1)
      .optional(),
    citation,
  })
  .strict();

/** The rows of Table 4.2 with an outcome: each file must say what each does (T13, T16, T17 have none). */
export const REQUIRED_TRANSITIONS: readonly string[] = [
  'T1',
  'T2',
  'T3',
  'T4',
  'T5',
  'T6',
  'T7',
  'T8',
  'T9',
  'T10',
  'T11',
  'T12',
  'T14',
  'T15',
];
const NOT_ENCODED: readonly string[] = ['T13', 'T16', 'T17'];

export const responsibilityPolicySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    version: z.number().int().positive(),
    title: z.string().min(1),
    source: z.string().min(1),
    /** The directory code of the local authority the rules are for. */
    localAuthority: z.string().regex(/^[a-z0-9-]+$/),
    effectiveFrom: localDate,
    reviewDate: localDate,
    recording: z.array(recordingSchema).min(1),
    lookedAfter: z.object({ transitions: z.array(transitionSchema).min(1), notEncoded: z.array(notEncodedSchema) }).strict(),
    careLeaver: careLeaverSchema,
    /** First match wins; the last rule has no conditions (the catch-all), and only the last. */
    leadProfessional: z.array(leadRuleSchema).min(1),
    /** The protocols' duties with their clocks (DOMAIN §3). */
    obligations: z.array(obligationDefinitionSchema),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
    // Each dimension has one row for who records it, and may have rows that apply only while a role
    // is not held (a host YOS while no home YOS works with the child).
    for (const wanted of ['CARE', 'JUSTICE'] as const) {
      if (policy.recording.filter((row) => row.dimension === wanted && !row.unlessHeld).length !== 1)
        issue(['recording'], `${wanted} must be listed once`);
    }
    const rules = new Set(policy.lookedAfter.transitions.map((row) => row.rule));
    for (const rule of REQUIRED_TRANSITIONS) if (!rules.has(rule)) issue(['lookedAfter', 'transitions'], `${rule} is missing`);
    const listed = new Set(policy.lookedAfter.notEncoded.map((row) => row.rule));
    for (const rule of NOT_ENCODED) if (!listed.has(rule)) issue(['lookedAfter', 'notEncoded'], `${rule} is missing`);
    const ids = policy.obligations.map((definition) => definition.id);
    if (new Set(ids).size !== ids.length) issue(['obligations'], 'obligation ids must be unique');
    policy.leadProfessional.forEach((row, index) => {
      const catchAll = Object.keys(row.when).length === 0;
      const last = index === policy.leadProfessional.length - 1;
      if (catchAll !== last) {
        issue(
          ['leadProfessional', index],
          last ? 'the last rule must be a catch-all (no conditions)' : 'only the last rule may be a catch-all',
        );
      }
    });
  });

export type ResponsibilityPolicy = z.infer<typeof responsibilityPolicySchema>;
export type TransitionRow = ResponsibilityPolicy['lookedAfter']['transitions'][number];
export type LeadRule = ResponsibilityPolicy['leadProfessional'][number];

/** How answers name the file they came from, e.g. "derby-responsibility@v1". */
export function policyRef(policy: Pick<ResponsibilityPolicy, 'id' | 'version'>): string {
  return `${policy.id}@v${policy.version}`;
}
