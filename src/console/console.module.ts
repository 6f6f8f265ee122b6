import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from 'src/config/app-config.js';
import { ConsoleController } from 'src/console/console.controller.js';
import { contentSecurityPolicy, serveConsole } from 'src/console/console-assets.js';

/**
 * The auditors' console: a web app (console/, built by `npm run build:console`) served at /console
 * by the gateway itself, and the two things it needs before sign-in (ConsoleController). The
 * console reads the log only through /graphql with the person's own token, like any client.
 */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule implements OnModuleInit {
  private readonly logger = new Logger(ConsoleModule.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const csp = contentSecurityPolicy(this.config.console.oidc.authority);
    const { built } = serveConsole(fastify, { dir: this.config.console.dir, csp });
    if (!built) {
      this.logger.warn(`The auditors' console is not built in ${this.config.console.dir}: run npm run build:console`);
      return;
    }
    const host = this.config.host === '0.0.0.0' ? 'localhost' : this.config.host;
    this.logger.log(`Auditors' console: http://${host}:${this.config.port}/console`);
  }
}
