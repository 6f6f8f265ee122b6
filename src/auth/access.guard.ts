import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { requestOf } from 'src/auth/request-principal.js';
import { Authenticator } from 'src/auth/authenticator.service.js';
import { PERMISSION_KEY, PUBLIC_KEY } from 'src/auth/permission.decorator.js';
import { MUTATIONS_OUTSIDE_THE_CASE, Permission } from 'src/auth/roles.js';
import { READ_ONLY_PURPOSES } from 'src/vocabulary/purpose.js';

/**
 * The global guard, deny by default: a handler that declares no permission and is not marked
 * public is refused, whoever calls it. Otherwise the caller must be authenticated and hold the
 * permission.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  /** What each handler declares, read once: decorators' metadata is fixed when the class is defined. */
  private readonly declared = new WeakMap<object, Declared>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    const { isPublic, permission } = this.declarationOf(handler);
    if (isPublic) return true;
    if (!permission) {
      throw TandemError.forbidden(`${context.getClass().name}.${handler.name} declares no permission`);
    }
    const request = requestOf(context);
    const principal = await this.authenticator.authenticate(request);
    if (!principal.can(permission)) {
      throw TandemError.forbidden(`Your roles do not allow ${permission}`);
    }
    // Child data is never read or written without a stated purpose (throws BAD_USER_INPUT).
    if (permission === Permission.DIRECTORY_READ) return true;
    const purpose = principal.requirePurpose();
    const readOnly = READ_ONLY_PURPOSES.get(purpose);
    if (readOnly && !MUTATIONS_OUTSIDE_THE_CASE.has(permission) && isMutation(context)) {
      throw TandemError.forbidden(`Purpose ${purpose} is for ${readOnly}: a child's case is not changed under it`);
    }
    return true;
  }

  private declarationOf(handler: ExecutionContextHandler): Declared {
    let declared = this.declared.get(handler);
    if (!declared) {
      declared = {
        isPublic: this.reflector.get<boolean | undefined>(PUBLIC_KEY, handler) === true,
        permission: this.reflector.get<Permission | undefined>(PERMISSION_KEY, handler),
      };
      this.declared.set(handler, declared);
    }
    return declared;
  }
}

/** A root field of the Mutation type (asked only under a purpose that only reads, so off the hot path). */
function isMutation(context: ExecutionContext): boolean {
  if (context.getType<GqlContextType>() !== 'graphql') return false;
  return GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>().parentType.name === 'Mutation';
}

type ExecutionContextHandler = ReturnType<ExecutionContext['getHandler']>;

interface Declared {
  readonly isPublic: boolean;
  readonly permission: Permission | undefined;
}
