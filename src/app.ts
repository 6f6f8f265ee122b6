import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Clock } from 'src/common/clock/clock.js';
import { Sql } from 'src/common/database/sql.js';
import { AppModule } from 'src/app.module.js';
import { AppConfig } from 'src/config/app-config.js';
import type { OpenDatabase } from 'src/database/data-source.js';
import { installHttpRefusals } from 'src/graphql/http-refusals.js';
import { ResponseLog } from 'src/disclosure/response-log.js';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Builds the gateway (not listening). Fastify limits the body size, and each request carries a
 * correlation id: the caller's `x-correlation-id` when well formed, otherwise a new one.
 */
export async function createApp(
  config: AppConfig,
  options: { database?: OpenDatabase; logger?: false | LoggerService; clock?: Clock } = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config, options.database, options.clock),
    createAdapter(config),
    appOptions(config, options.logger),
  );
  return initApp(app);
}

/** Fastify as the gateway runs it: body limit and correlation ids. */
export function createAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.graphql.maxBodyBytes,
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-correlation-id'];
      return typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
    },
    logger: false,
  });
}

export function appOptions(config: AppConfig, logger?: false | LoggerService) {
  return {
    logger: logger ?? nestLogLevels(config.logLevel),
    bufferLogs: false,
    // A failure to start is thrown to the caller (main prints it), not turned into process.exit.
    abortOnError: false,
  };
}

/**
 * Shutdown hooks, the HTTP hooks, Nest's and Fastify's start-up, the database connections warmed
 * (`Sql.warm`) and the log's dictionary loaded; the app is not listening yet.
 */
export async function initApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  installHttpHooks(fastify);
  installHttpRefusals(fastify, app.get(AppConfig).graphql);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await app.get(Sql).warm();
  // The log's dictionary in memory, so the first responses are encoded without asking the database.
  await app.get(ResponseLog).warm();
  return app;
}

const LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
const UP_TO: Record<string, number> = { silent: 0, fatal: 1, error: 2, warn: 3, info: 4, debug: 5, trace: 6 };

/** LOG_LEVEL (pino-style names) as the list of Nest levels it lets through. */
function nestLogLevels(level: string): (typeof LEVELS)[number][] | false {
  const count = UP_TO[level] ?? 4;
  return count === 0 ? false : LEVELS.slice(0, count);
}

function installHttpHooks(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-correlation-id', request.id);
    done();
  });
  // GraphQL over HTTP lets a client send `"extensions": null`; Mercurius's body schema refuses it.
  fastify.addHook('preValidation', (request, _reply, done) => {
    const body = request.body as Record<string, unknown> | null | undefined;
    if (body && typeof body === 'object' && !Array.isArray(body) && body.extensions === null) delete body.extensions;
    done();
  });
}
