import type { DisclosurePermissionKind } from 'src/vocabulary/disclosure-permission-kind.js';
import type { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

/** A recorded court order, consent (C1) or third-party permission (C2) that a disclosure relied on. */
export interface PermissionRef {
  readonly kind: DisclosurePermissionKind;
  readonly id: string;
  readonly reference: string;
}

/** The permissions recorded on a record, which its gated classes (C1, C2) rely on. */
export interface RecordPermissions {
  readonly courtOrder: PermissionRef | null;
  readonly consent: PermissionRef | null;
  readonly thirdParty: PermissionRef | null;
}

/** The rule, agreement clause and lawful basis under which one sensitivity class was disclosed. */
export interface ClassGrant {
  readonly rule: string;
  readonly lawfulBasis: string | null;
  readonly agreement: { readonly id: string; readonly version: number; readonly clause: string } | null;
  /** For a class behind a gate (C1, C2): the recorded permission that opened it. Absent otherwise. */
  readonly permission?: PermissionRef;
}

/** How the caller sees the child a disclosed thing belongs to: the rule for its identity, and the flags. */
export interface ChildGrant {
  readonly identity: ClassGrant;
  /** Seen only under break-glass (purpose EMERGENCY, no relationship). */
  readonly breakGlass: boolean;
  /** The caller's relationship came only from an allocation that has ended (within its grace period). */
  readonly afterAllocationEnded: boolean;
}

/** What a disclosable thing is, as its mapper knows it: what a receipt names. */
export interface DisclosureFacts {
  /** CHILD, PLACEMENT, LEGAL_STATUS, RISK_FLAG or a record kind such as CARE_PLAN. */
  readonly kind: string;
  readonly id: string;
  readonly childId: string;
  readonly version: number | null;
  readonly owningAgencyId: string | null;
  /** The labelled model whose @Sensitive labels give each field path its class. */
  readonly model: Function;
}

/** What the policy decided about a thing for one caller, once: each class's grant and the child's. */
export interface Disclosure extends DisclosureFacts {
  /** The classes the caller received, each with its grant; a class absent here came with the child's identity. */
  readonly grants: ReadonlyMap<SensitivityClass, ClassGrant>;
  readonly child: ChildGrant;
}

/** The model of a thing whose fields carry no class of their own: its paths leave under the child's identity grant. */
export class Unlabelled {}

/** A value as its mapper made it: the GraphQL fields, and what it is. */
export type Described<T extends object> = T & { readonly disclosure: DisclosureFacts };

/** A value as the policy let it out: fields it withheld are null, and `disclosure` says why the rest left. */
export type Disclosed<T extends object> = T & { readonly disclosure: Disclosure };

/**
 * Sets a value's `disclosure`. Not enumerable, so it never reaches a JSON payload or a copy by
 * spread: a copy is a new value, and must be disclosed again.
 */
function attach<T extends object, D extends DisclosureFacts>(value: T, disclosure: D): T & { readonly disclosure: D } {
  return Object.defineProperty(value, 'disclosure', { value: disclosure, enumerable: false, configurable: true }) as T & {
    readonly disclosure: D;
  };
}

export function describe<T extends object>(value: T, facts: DisclosureFacts): Described<T> {
  return attach(value, facts);
}

/** The value the policy decided on, with its decision; only the policy's discloser calls this. */
export function disclosed<T extends object>(value: T, disclosure: Disclosure): Disclosed<T> {
  return attach(value, disclosure);
}

/** Whether a value went through the policy (anything else must not leave). */
export function isDisclosed(value: object): value is Disclosed<object> {
  const disclosure = (value as Partial<Disclosed<object>>).disclosure;
  return disclosure !== undefined && 'grants' in disclosure && 'child' in disclosure;
}
