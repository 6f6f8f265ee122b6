import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { formatError } from 'src/graphql/format-errors.js';

describe('formatError', () => {
  it('never shows the text of an unexpected fault, only a code and the correlation id', () => {
    const fault = new Error(
      'duplicate key value violates unique constraint "child_pkey" at Parser.parseErrorMessage (/app/node_modules/pg)',
    );
    const error = new GraphQLError(fault.message, { path: ['child'], originalError: fault });
    const { formatted, internal } = formatError(error, 'corr-1', false);
    expect(internal).toBe(true);
    expect(formatted.message).not.toContain('constraint');
    expect(JSON.stringify(formatted)).not.toContain('node_modules');
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', correlationId: 'corr-1' });
  });

  it('keeps the code and details of a TandemError', () => {
    const error = new GraphQLError('x', {
      path: ['createRecord'],
      originalError: TandemError.badInput('Too long', 'input.content.carePlan.summary'),
    });
    expect(formatError(error, undefined, false).formatted.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.content.carePlan.summary',
    });
  });

  it('strips "Did you mean" suggestions when asked to', () => {
    const error = new GraphQLError('Cannot query field "chld" on type "Query". Did you mean "child"?');
    expect(formatError(error, undefined, true).formatted.message).toBe('Cannot query field "chld" on type "Query".');
  });
});
