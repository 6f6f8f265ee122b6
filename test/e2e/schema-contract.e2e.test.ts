import { readFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getNamedType,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldLabels } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { RECORD_CONTENTS } from 'src/records/content/record-contents.js';
import { RECORD_TYPE_BY_KIND } from 'src/records/models/shared-record.model.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let schema: GraphQLSchema;
beforeAll(async () => {
  t = await startTestApp();
  schema = t.app.get(GraphQLSchemaHost).schema;
});
afterAll(() => t.close());

const ownTypes = () => Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__'));

describe('the schema', () => {
  it('is what schema.graphql says (run `npm run schema:print` after changing the API)', () => {
    expect(`${printSchema(lexicographicSortSchema(schema))}\n`).toBe(readFileSync('schema.graphql', 'utf8'));
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of ownTypes()) {
      if (!type.description && !['String', 'Boolean', 'Int', 'Float', 'ID'].includes(type.name)) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        const fields: Record<string, { description?: string | null | undefined }> = type.getFields();
        for (const [name, field] of Object.entries(fields)) if (!field.description) missing.push(`${type.name}.${name}`);
      }
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('labels every field of every shared record with a sensitivity class, down to the leaves', () => {
    const unlabelled: string[] = [];
    const visit = (type: GraphQLNamedType, source: Function, path: string) => {
      if (!isObjectType(type)) return;
      const labels = fieldLabels(source);
      for (const field of Object.values(type.getFields())) {
        const label = labels.get(field.name);
        if (!label) unlabelled.push(`${path}.${field.name}`);
        else if (label.kind === 'group') visit(getNamedType(field.type), label.type(), `${path}.${field.name}`);
      }
    };
    for (const kind of Object.values(RecordKind)) {
      const type = schema.getType(RECORD_CONTENTS[kind].typeName);
      expect(type, kind).toBeDefined();
      if (type) visit(type, RECORD_TYPE_BY_KIND[kind], type.name);
    }
    expect(unlabelled).toEqual([]);
  });

  it('gives every record kind its own typed content, never opaque JSON', () => {
    const scalars = new Set(
      Object.values(schema.getTypeMap())
        .filter((type) => !isObjectType(type))
        .map((type) => type.name),
    );
    expect(scalars.has('JSON')).toBe(false);
    expect(scalars.has('JSONObject')).toBe(false);
  });
});
