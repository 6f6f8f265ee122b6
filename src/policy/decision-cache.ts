import { originOf, type RuleOrigin, type TandemAbility } from 'src/policy/ability.factory.js';
import type { SubjectAttributes } from 'src/policy/access-subject.js';
import type { GrantRequirement } from 'src/policy/agreements/agreement.schema.js';
import type { ClassGrant } from 'src/policy/disclosed.js';
import type { ClassDecision } from 'src/policy/projection.js';
import type { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

/** What the policy decided for one class of one subject; an allowed class has its grant, and its gate if it has one. */
export interface ClassOutcome {
  readonly decision: ClassDecision;
  readonly grant: ClassGrant | null;
  readonly gate: GrantRequirement | null;
}

/** One subject's decisions: the classes its allowing rules name, and each class's outcome once asked for. */
export interface SubjectDecisions {
  readonly permitted: ReadonlySet<string>;
  readonly byClass: Map<SensitivityClass, ClassOutcome>;
}

interface AbilityDecisions {
  readonly inputs: readonly unknown[];
  readonly bySubject: Map<string, SubjectDecisions>;
}

/** Distinct subjects (attribute sets) kept per ability; beyond it the ability's decisions start again. */
const MAX_SUBJECTS = 512;
/** Subjects kept in all (abilities live as long as AbilityFactory keeps them); beyond it every decision starts again. */
const MAX_KEPT = 8192;

/**
 * Field decisions kept across requests. An ability is shared by every caller with the same agency,
 * roles, purpose and day (AbilityFactory), and a decision depends only on the ability, the
 * subject's attributes and the `inputs` besides (the agreements in force, the day the default
 * denial reads): the same three give the same decision, so each is made once rather than for every
 * record of every read. Subjects are told apart by a key the policy writes (the attributes' JSON:
 * every property the rules could read); anything in `inputs` that changes (compared by identity)
 * starts the ability's decisions again. The outcomes are shared: callers copy them and never change them.
 */
export class DecisionCache {
  private byAbility = new WeakMap<TandemAbility, AbilityDecisions>();
  /** Subjects added since everything last started again (some may have gone with their ability). */
  private added = 0;

  /** `subject`: everything of the subject and the caller a decision reads that the ability does not fix. */
  decisionsFor(
    ability: TandemAbility,
    subject: string,
    inputs: readonly unknown[],
    permitted: () => ReadonlySet<string>,
  ): SubjectDecisions {
    if (this.added >= MAX_KEPT) {
      this.byAbility = new WeakMap();
      this.added = 0;
    }
    let kept = this.byAbility.get(ability);
    if (!kept || !sameInputs(kept.inputs, inputs)) {
      kept = { inputs, bySubject: new Map() };
      this.byAbility.set(ability, kept);
    }
    let decisions = kept.bySubject.get(subject);
    if (!decisions) {
      if (kept.bySubject.size >= MAX_SUBJECTS) kept.bySubject.clear();
      decisions = { permitted: permitted(), byClass: new Map() };
      kept.bySubject.set(subject, decisions);
      this.added++;
    }
    return decisions;
  }
}

function sameInputs(kept: readonly unknown[], given: readonly unknown[]): boolean {
  return kept.length === given.length && kept.every((input, index) => input === given[index]);
}

/** One class's decision for a subject: by the rule that allows it (with its grant and gate), or `denial`'s reason. */
export function classOutcome(
  ability: TandemAbility,
  attributes: SubjectAttributes,
  permitted: ReadonlySet<string>,
  sensitivity: SensitivityClass,
  denial: () => ClassDecision,
): ClassOutcome {
  const origin = originOf(ability.relevantRuleFor('read', attributes, sensitivity));
  if (permitted.has(sensitivity)) {
    return {
      decision: { allowed: true, rule: origin?.ruleId ?? 'ALLOWED', reason: origin?.reason ?? '' },
      grant: grantOf(origin, sensitivity),
      gate: origin?.requires ?? null,
    };
  }
  const decision = origin ? { allowed: false, rule: origin.ruleId, reason: origin.reason } : denial();
  return { decision, grant: null, gate: null };
}

/** What a disclosure receipt records of the rule that allowed a class. */
export function grantOf(origin: RuleOrigin | undefined, sensitivity: SensitivityClass): ClassGrant {
  return {
    rule: origin?.ruleId ?? 'ALLOWED',
    lawfulBasis: origin?.lawfulBasis?.[sensitivity] ?? (origin?.ruleId === 'OWN-AGENCY' ? 'Own record' : null),
    agreement:
      origin?.agreementId && origin.agreementVersion !== undefined && origin.clause
        ? { id: origin.agreementId, version: origin.agreementVersion, clause: origin.clause }
        : null,
  };
}
