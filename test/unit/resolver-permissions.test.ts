import { describe, expect, it } from 'vitest';
import { PERMISSION_KEY, PUBLIC_KEY } from 'src/auth/permission.decorator.js';
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
});
