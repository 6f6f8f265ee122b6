import { describe, expect, it } from 'vitest';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { GraphQLObjectType, GraphQLString, type GraphQLResolveInfo } from 'graphql';
import { requestOf, type TandemRequest } from 'src/auth/request-principal.js';

/** What the guard and @CurrentPrincipal read the caller's request from, in each shape Nest calls them with. */
describe('requestOf', () => {
  const req: TandemRequest = {};
  const other: TandemRequest = {};
  const type = new GraphQLObjectType({ name: 'Thing', fields: { name: { type: GraphQLString } } });
  const info = { fieldName: 'child', parentType: type } as Partial<GraphQLResolveInfo>;

  function graphql(args: unknown[]): ExecutionContextHost {
    const context = new ExecutionContextHost(args);
    context.setType('graphql');
    return context;
  }

  it("takes a field resolver's context, the third of (root, args, context, info)", () => {
    expect(requestOf(graphql([{}, { id: '1' }, { req }, info]))).toBe(req);
  });

  it("takes a type resolver's context, the second of (value, context, info, abstract type)", () => {
    expect(requestOf(graphql([{}, { req }, { req: other }, type]))).toBe(req);
  });

  it("takes a reference resolver's context, the second of (reference, context, info)", () => {
    expect(requestOf(graphql([{}, { req }, info]))).toBe(req);
  });

  it('takes the HTTP request outside GraphQL', () => {
    const context = new ExecutionContextHost([req, {}]);
    context.setType('http');
    expect(requestOf(context)).toBe(req);
  });
});
