import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const CONSOLE_PREFIX = '/console';

/**
 * The console's pages load only what the gateway serves: its own scripts and styles, and calls to
 * /graphql, /console/api and the identity provider (the OIDC discovery document and token endpoint).
 * Inline style attributes are allowed because the component and chart libraries set them.
 */
export function contentSecurityPolicy(oidcAuthority: string | undefined): string {
  const connect = ["'self'", ...(oidcAuthority && URL.canParse(oidcAuthority) ? [new URL(oidcAuthority).origin] : [])];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

function secure(reply: FastifyReply, csp: string): void {
  void reply.header('content-security-policy', csp);
  void reply.header('x-content-type-options', 'nosniff');
  void reply.header('referrer-policy', 'no-referrer');
  void reply.header('x-frame-options', 'DENY');
}

/**
 * Serves the built console at /console: its files as they are, and index.html for every other path
 * without a file extension (the console's own pages, and the OIDC redirect back). /console/api is
 * the controller's; an unknown path there, or a missing file, is 404. Without a build, /console
 * says how to make one (the gateway itself runs without it).
 */
export function serveConsole(fastify: FastifyInstance, options: { dir: string; csp: string }): { built: boolean } {
  const root = resolve(options.dir);
  const built = existsSync(join(root, 'index.html'));
  void fastify.register((instance, _opts, done) => {
    const page = (reply: FastifyReply) => {
      secure(reply, options.csp);
      if (!built) {
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send(`The auditors' console is not built (no ${join(options.dir, 'index.html')}): run npm run build:console.\n`);
      }
      return reply.type('text/html; charset=utf-8').sendFile('index.html', root);
    };
    if (built) {
      void instance.register(fastifyStatic, {
        root,
        prefix: `${CONSOLE_PREFIX}/`,
        wildcard: false,
        index: false,
        setHeaders: (reply: FastifyReply) => secure(reply, options.csp),
      });
    }
    instance.get(CONSOLE_PREFIX, (_request, reply) => page(reply));
    instance.get(`${CONSOLE_PREFIX}/*`, (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      if (path.startsWith(`${CONSOLE_PREFIX}/api/`) || /\.[A-Za-z0-9]+$/.test(path)) {
        return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
      }
      return page(reply);
    });
    done();
  });
  return { built };
}
