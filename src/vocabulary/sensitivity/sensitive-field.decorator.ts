import { Field, type FieldOptions, type ReturnTypeFunc } from '@nestjs/graphql';
import type { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

/** Limits checked on input, kept beside the label so a field is described once. */
export interface InputLimits {
  readonly min?: number;
  readonly max?: number;
  readonly maxLength?: number;
}

export type FieldLabel =
  | {
      readonly kind: 'class';
      readonly sensitivity: SensitivityClass;
      readonly limits: InputLimits;
      readonly type: ReturnTypeFunc;
      /** Identifies the object (ids, kinds, versions); never withheld from a caller who sees it. */
      readonly required: boolean;
      /**
       * Tells where the child is though its class is not PLACEMENT_LOCATION (a placement's area, why
       * the child moved): a contact restriction (C10) withholds it as it does the address. 'owner':
       * it names the owning agency's staff, so it locates the child when that agency does.
       */
      readonly locates: boolean | 'owner';
    }
  | { readonly kind: 'group'; readonly type: () => Function; readonly list: boolean };

type Constructor = abstract new (...args: never[]) => unknown;

const labels = new Map<Constructor, Map<string, FieldLabel>>();

/**
 * Each class's labels with its ancestors', as fieldLabels gives them: asked for every object the
 * policy projects. Labels are registered as classes are declared; any registration empties it.
 */
const resolved = new Map<Function, ReadonlyMap<string, FieldLabel>>();

function register(target: object, field: string, label: FieldLabel): void {
  const type = target.constructor as Constructor;
  const fields = labels.get(type) ?? new Map<string, FieldLabel>();
  fields.set(field, label);
  labels.set(type, fields);
  resolved.clear();
}

interface SensitiveOptions extends Omit<FieldOptions, 'nullable'>, InputLimits {
  readonly description: string;
  /** Only for keys that are never withheld from a caller who sees the record at all (ids). */
  readonly required?: boolean;
  /**
   * Tells where the child is, whatever its class: withheld under a contact restriction (C10).
   * 'owner': only when the owning agency is where the child is (a host YOS, an establishment).
   */
  readonly locates?: boolean | 'owner';
}

/**
 * A GraphQL field of shared child data and its sensitivity class, in one declaration. The class of
 * a field whose type is an object covers everything below it. Fields are nullable because the
 * policy may withhold any of them.
 */
export function Sensitive(sensitivity: SensitivityClass, type: ReturnTypeFunc, options: SensitiveOptions): PropertyDecorator {
  const { min, max, maxLength, required, locates, ...fieldOptions } = options;
  return (target, key) => {
    register(target, String(key), {
      kind: 'class',
      sensitivity,
      limits: { min, max, maxLength },
      type,
      required: required ?? false,
      locates: locates ?? false,
    });
    Field(type, { ...fieldOptions, nullable: !required })(target, key);
  };
}

/** A field whose object type labels each of its own fields (mixed classes inside). */
export function SensitiveGroup(
  type: () => Function,
  options: { readonly description: string; readonly list?: boolean },
): PropertyDecorator {
  return (target, key) => {
    register(target, String(key), { kind: 'group', type, list: options.list ?? false });
    const returnType: ReturnTypeFunc = options.list ? () => [type()] : type;
    Field(returnType, { description: options.description, nullable: true })(target, key);
  };
}

/** The labelled fields of a class, its own and inherited, or an empty map when it has none. */
export function fieldLabels(type: Function): ReadonlyMap<string, FieldLabel> {
  const known = resolved.get(type);
  if (known) return known;
  const chain: Function[] = [];
  for (
    let current: unknown = type;
    typeof current === 'function' && current !== Function.prototype;
    current = Object.getPrototypeOf(current)
  ) {
    chain.unshift(current);
  }
  const found: ReadonlyMap<string, FieldLabel> = new Map(
    chain.flatMap((link) => [...(labels.get(link as Constructor) ?? new Map<string, FieldLabel>())]),
  );
  resolved.set(type, found);
  return found;
}

/** Every class that declares labelled fields, for the completeness test. */
export function labelledTypes(): readonly Function[] {
  return [...labels.keys()];
}
