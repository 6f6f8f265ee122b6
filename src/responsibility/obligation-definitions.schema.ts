import { z } from 'zod';
import { AgencyKind, AllocationRole, CourtOutcome, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { CareLeaverCategory } from 'src/responsibility/responsibility.types.js';

/**
 * The protocols' duties with their clocks (DOMAIN §3, D1–D43 where a duty has a trigger, an owner
 * and a time), as each authority's reviewed data: what opens a duty, who owns it, when it is due,
 * what satisfies it, what cancels it, how it escalates, and the source. The obligations module
 * interprets them; event names are the gateway's EventType values (checked by a unit test there,
 * since this layer sits below the events module).
 */

const ruleId = z.string().regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/);
const eventName = z.string().regex(/^[A-Z][A-Z_]+$/);

/** What opens a duty: a committed event of the child, and conditions on it and on the child then. */
const triggerSchema = z
  .object({
    event: eventName,
    /** For legal-status events: the basis of the episode that started. */
    bases: z.array(z.nativeEnum(LegalStatusBasis)).min(1).optional(),
    /** For legal-status events: the court outcome recorded on it. */
    outcomes: z.array(z.nativeEnum(CourtOutcome)).min(1).optional(),
    /** Whether the child was looked after on the day before the trigger (001 §6.10 vs §6.11). */
    lookedAfterBefore: z.boolean().optional(),
    /** Whether a CSC social worker was allocated to the child before the trigger's day (L2: the allocation duty is for a child without one). */
    socialWorkerAllocated: z.boolean().optional(),
    /** Whether the child is looked after once the trigger applied. */
    lookedAfterAfter: z.boolean().optional(),
    /** The child's care-leaver category on the trigger day (D17: relevant or former relevant). */
    careLeaver: z.array(z.nativeEnum(CareLeaverCategory)).min(1).optional(),
    /** Only when the episode carries an expected release date (D18, D19, D33). */
    withExpectedReleaseDate: z.literal(true).optional(),
  })
  .strict();

/** When a duty is due, counted per DECISIONS §7 in Europe/London. */
const dueSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('WORKING_DAYS'), n: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('CALENDAR_DAYS'), n: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('HOURS'), n: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('SAME_DAY') }).strict(),
  /** "Immediately" / "as soon as possible": no fixed deadline; escalates at the end of the next working day. */
  z.object({ kind: z.literal('AS_SOON_AS_POSSIBLE') }).strict(),
  /** Before the expected release date: months (D18) or days (D19, D33). */
  z.object({ kind: z.literal('MONTHS_BEFORE_RELEASE'), n: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('DAYS_BEFORE_RELEASE'), n: z.number().int().positive() }).strict(),
]);

/** The evidence that satisfies a duty: a later event of the same child. */
const evidenceSchema = z
  .object({
    event: eventName,
    /** For RECORD_FINALISED / RECORD_PUBLISHED: the record kinds that count. */
    recordKinds: z
      .array(z.string().regex(/^[A-Z_]+$/))
      .min(1)
      .optional(),
    /** For VISIT_RECORDED: the visit kinds that count. */
    visitKinds: z
      .array(z.string().regex(/^[A-Z_]+$/))
      .min(1)
      .optional(),
    /** For VISIT_RECORDED: the child was seen alone (001 §7.8). */
    seenAlone: z.literal(true).optional(),
    /** For WORKER_ALLOCATION_CHANGED: a worker allocated in one of these roles. */
    allocationRoles: z.array(z.nativeEnum(AllocationRole)).min(1).optional(),
  })
  .strict();

export const obligationDefinitionSchema = z
  .object({
    /** The DOMAIN §3 deadline id (D9), or an authority's own id. */
    id: ruleId,
    title: z.string().min(1),
    trigger: triggerSchema,
    owner: z
      .object({
        agencyKind: z.nativeEnum(AgencyKind),
        /** The allocated worker of the owner agency in this role, when there is one; else the team queue. */
        allocationRole: z.nativeEnum(AllocationRole).optional(),
      })
      .strict(),
    due: dueSchema,
    /** When the duty shows as DUE_SOON, in working days before it is due (default 2). */
    dueSoonWorkingDays: z.number().int().nonnegative().optional(),
    satisfiedBy: z.array(evidenceSchema).min(1),
    /** Events that reverse the trigger (an acquittal, the end of the remand): the duty is cancelled. */
    cancelledBy: z
      .array(z.object({ event: eventName, outcomes: z.array(z.nativeEnum(CourtOutcome)).min(1).optional() }).strict())
      .optional(),
    /** Who hears when it is overdue, in order, one level per working day overdue. */
    escalation: z.array(z.enum(['TEAM_MANAGER', 'HEAD_OF_SERVICE'])).min(1),
    /** A duty that recurs: once satisfied, the next falls due this many calendar days after the evidence (D15, D32). */
    recursEveryCalendarDays: z.number().int().positive().optional(),
    citation: z.string().min(1),
  })
  .strict();

export type ObligationDefinition = z.infer<typeof obligationDefinitionSchema>;
export type DueRule = ObligationDefinition['due'];
export type Evidence = ObligationDefinition['satisfiedBy'][number];
