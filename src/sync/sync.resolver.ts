import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { ChangeConnection } from 'src/sync/change.model.js';
import { type ChangePage, SyncService } from 'src/sync/sync.service.js';

/** The change feed case systems keep their own case files in step with. */
@Resolver()
export class SyncResolver {
  constructor(@Inject(SyncService) private readonly sync: SyncService) {}

  @Query(() => ChangeConnection, {
    description:
      'Every change to a child, shared record, placement or legal status your case system may see, in commit order, after a position: keep your own case file in step. For case systems: a SYSTEM token, or one delegated to a practitioner (then their view). Each change read is receipted like any read.',
  })
  @RequirePermission(Permission.CHILD_READ)
  changes(
    @CurrentPrincipal() principal: Principal,
    @Args('after', {
      type: () => String,
      nullable: true,
      description: 'The `pageInfo.endCursor` you kept (a position); from the start when absent.',
    })
    after: string | null | undefined,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–100 (default 20).' })
    first: number | null | undefined,
  ): Promise<ChangePage> {
    return this.sync.changes(principal, after, first);
  }
}
