import { describe, expect, it } from 'vitest';
import { PERMISSION_KEY, PUBLIC_KEY } from 'src/auth/permission.decorator.js';
import { MUTATIONS_OUTSIDE_THE_CASE, Permission } from 'src/auth/roles.js';
import { ALL_RESOLVERS } from 'src/graphql/resolvers.js';

/** Every handler of every resolver class (GraphQL resolvers hold nothing else). */
function handlers(): { name: string; handler: Function }[] {
  return ALL_RESOLVERS.flatMap((resolver) =>
    Object.getOwnPropertyNames(resolver.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => ({
        name: `${resolver.name}.${name}`,
        handler: (resolver.prototype as Record<string, Function>)[name] as Function,
      })),
  );
}

/** @nestjs/graphql's metadata key for a handler's root type (its package does not export the constant). */
const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';

function isOutsideTheCase(declared: unknown): boolean {
  const permission = Object.values(Permission).find((candidate) => candidate === declared);
  return permission !== undefined && MUTATIONS_OUTSIDE_THE_CASE.has(permission);
}

describe('resolver permissions', () => {
  it('has every resolver declare a permission or be explicitly public', () => {
    const undeclared = handlers()
      .filter(
        ({ handler }) =>
          Reflect.getMetadata(PERMISSION_KEY, handler) === undefined && Reflect.getMetadata(PUBLIC_KEY, handler) !== true,
      )
      .map(({ name }) => name);
    expect(undeclared).toEqual([]);
  });

  it('matches the reviewed map of operation to permission', () => {
    const map = Object.fromEntries(
      handlers().map(({ name, handler }) => [
        name,
        Reflect.getMetadata(PUBLIC_KEY, handler) === true ? 'PUBLIC' : String(Reflect.getMetadata(PERMISSION_KEY, handler)),
      ]),
    );
    expect(map).toMatchSnapshot();
  });

  it('leaves only these mutations open under a purpose that only reads (AUDIT, EMERGENCY): the rest change a child’s case', () => {
    const open = handlers()
      .filter(({ handler }) => Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler) === 'Mutation')
      .filter(({ handler }) => isOutsideTheCase(Reflect.getMetadata(PERMISSION_KEY, handler)))
      .map(({ name }) => name)
      .sort();
    expect(open).toEqual([
      'AuditIntegrityResolver.startAuditVerification',
      'AuditResolver.detectAnomalies',
      'AuditResolver.disposeAnomaly',
      'NotificationsResolver.redeliverWebhook',
      'NotificationsResolver.registerWebhook',
      'NotificationsResolver.rotateWebhookSecret',
      'NotificationsResolver.setWebhookEnabled',
    ]);
  });
});
