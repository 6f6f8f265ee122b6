import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { TandemError } from 'src/common/errors/tandem-error.js';
import type { TandemRequest } from 'src/auth/request-principal.js';
import { Authenticator } from 'src/auth/authenticator.service.js';
import { PERMISSION_KEY, PUBLIC_KEY } from 'src/auth/permission.decorator.js';
import { Permission } from 'src/auth/roles.js';

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

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    const isPublic = this.reflector.get<boolean | undefined>(PUBLIC_KEY, handler);
    if (isPublic) return true;
    const permission = this.reflector.get<Permission | undefined>(PERMISSION_KEY, handler);
    if (!permission) {
      throw TandemError.forbidden(`${context.getClass().name}.${handler.name} declares no permission`);
    }
    const request =
      context.getType<string>() === 'graphql'
        ? GqlExecutionContext.create(context).getContext<{ req: TandemRequest }>().req
        : context.switchToHttp().getRequest<TandemRequest>();
    const principal = await this.authenticator.authenticate(request);
    if (!principal.can(permission)) {
      throw TandemError.forbidden(`Your roles do not allow ${permission}`);
    }
    // Child data is never read or written without a stated purpose (throws BAD_USER_INPUT).
    if (permission !== Permission.DIRECTORY_READ) principal.requirePurpose();
    return true;
  }
}
