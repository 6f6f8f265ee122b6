import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { DevelopmentSigningKey } from 'src/auth/keys/development-signing-key.js';
import { Public } from 'src/auth/permission.decorator.js';
import { AppConfig } from 'src/config/app-config.js';
import { demoUser } from 'src/seed/demo-directory.js';
import { consoleSignIn, type ConsoleSignIn, DEV_TOKEN_LIFETIME_SECONDS, developmentSignIn } from 'src/console/console-session.js';

/**
 * What the console asks the gateway before anyone has signed in: how to sign in, and (development
 * only) a short-lived token for a demo user, as `npm run token` gives one. Everything else the
 * console does goes through /graphql with the person's own token.
 */
@Controller('console/api')
export class ConsoleController {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  @Get('sign-in')
  @Public()
  signIn(): ConsoleSignIn {
    return consoleSignIn(this.config);
  }

  /** Refused (404, as if absent) in production, and for anyone but a demo user. */
  @Post('dev-token')
  @Public()
  @HttpCode(200)
  devToken(@Body() body: unknown): { token: string; expiresAt: string } {
    if (!developmentSignIn(this.config)) throw new NotFoundException();
    const subject = typeof body === 'object' && body !== null ? (body as { subject?: unknown }).subject : undefined;
    const user = typeof subject === 'string' ? demoUser(subject) : undefined;
    if (!user) throw new NotFoundException('No such demo user');
    const key = DevelopmentSigningKey.loadOrCreate(this.config.dataDir);
    const token = key.sign(
      { sub: user.subject, name: user.name, agency: user.agency, case_system: user.caseSystem, roles: [...user.roles] },
      { issuer: this.config.auth.issuer, audience: this.config.auth.audience, expiresInSeconds: DEV_TOKEN_LIFETIME_SECONDS },
    );
    return { token, expiresAt: new Date(Date.now() + DEV_TOKEN_LIFETIME_SECONDS * 1000).toISOString() };
  }
}
