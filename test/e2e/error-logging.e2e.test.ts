import type { LoggerService } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { mercuriusErrorFormatter } from 'src/graphql/error-formatter.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';

interface Line {
  readonly level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  readonly text: string;
}

/** Every line Nest would print, with its level; stacks and other arguments joined into the text. */
class RecordingLogger implements LoggerService {
  readonly lines: Line[] = [];
  log(...args: unknown[]) {
    this.add('log', args);
  }
  error(...args: unknown[]) {
    this.add('error', args);
  }
  warn(...args: unknown[]) {
    this.add('warn', args);
  }
  debug(...args: unknown[]) {
    this.add('debug', args);
  }
  verbose(...args: unknown[]) {
    this.add('verbose', args);
  }
  fatal(...args: unknown[]) {
    this.add('fatal', args);
  }
  private add(level: Line['level'], args: unknown[]) {
    const text = args.map((arg) => (arg instanceof Error ? `${arg.message}\n${arg.stack ?? ''}` : String(arg))).join(' | ');
    this.lines.push({ level, text });
  }
}

let t: TestApp;
const logger = new RecordingLogger();

beforeAll(async () => {
  t = await startTestApp();
  t.app.useLogger(logger);
});
beforeEach(() => {
  logger.lines.length = 0;
});
afterAll(async () => {
  t.app.useLogger(false);
  await t.close();
});

describe('logs', () => {
  it('log expected refusals at debug, without a stack, and nothing at error level', async () => {
    const forbidden = await t.gql('audrey.fox', `query($id: ID!) { child(id: $id) { givenName } }`, { id: JORDAN.id });
    const notFound = await t.gql('dana.hughes', `query { child(id: "00000000-0000-4000-9000-0000000000ff") { id } }`);
    const unauthenticated = await t.gql(null, '{ children { edges { cursor } } }');
    const badInput = await t.gql('dana.hughes', '{ children { edges { cursor } } }', {}, { purpose: null });
    for (const response of [forbidden, notFound, unauthenticated, badInput]) expect(response.body.errors).toBeDefined();
    expect(logger.lines.filter((line) => line.level === 'error' || line.level === 'warn')).toEqual([]);
    const debug = logger.lines.filter((line) => line.level === 'debug').map((line) => line.text);
    for (const code of ['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED', 'BAD_USER_INPUT']) {
      expect(
        debug.some((text) => text.includes(code)),
        code,
      ).toBe(true);
    }
    expect(debug.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('log a database error by its SQLSTATE, never with its message, query or parameters', () => {
    const driverError = Object.assign(new Error('invalid input syntax for type uuid: "Jordan Pryce"'), {
      code: '22P02',
      detail: 'Key (given_name)=(Jordan Pryce) already exists.',
      table: 'child',
    });
    const fault = new QueryFailedError('SELECT * FROM child WHERE given_name = $1', ['Jordan Pryce'], driverError);
    const error = new GraphQLError(fault.message, { path: ['child'], originalError: fault });
    const formatted = mercuriusErrorFormatter(false)({ errors: [error], data: null }, { reply: { request: { id: 'corr-9' } } });
    expect(JSON.stringify(formatted.response)).not.toContain('Jordan');
    const errors = logger.lines.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.text).toContain('22P02');
    expect(errors[0]?.text).toContain('corr-9');
    expect(logger.lines.map((line) => line.text).join('\n')).not.toMatch(/Jordan|given_name = \$1/);
  });

  it('log a TandemError refusal from the formatter at debug only', () => {
    const error = new GraphQLError('x', { path: ['child'], originalError: TandemError.notFound('Child') });
    mercuriusErrorFormatter(false)({ errors: [error], data: null }, { reply: { request: { id: 'corr-10' } } });
    expect(logger.lines.map((line) => line.level)).toEqual(['debug']);
  });
});
