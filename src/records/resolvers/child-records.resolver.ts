import { Inject } from '@nestjs/common';
import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import type { Page } from 'src/common/pagination/connection.js';
import { Child } from 'src/children/models/child.model.js';
import { RiskFlag } from 'src/records/models/risk-flag.model.js';
import { RecordConnection } from 'src/records/models/record-connection.js';
import type { RecordView } from 'src/records/records.mappers.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { RecordReader } from 'src/records/record-reader.service.js';
import { RiskFlags } from 'src/records/risk-flags.service.js';

@Resolver(() => Child)
export class ChildRecordsResolver {
  constructor(
    @Inject(RecordReader) private readonly reader: RecordReader,
    @Inject(RiskFlags) private readonly risks: RiskFlags,
  ) {}

  @ResolveField(() => [RiskFlag], {
    description: "Risk levels from the child's latest AssetPlus (also part of the break-glass narrow read).",
  })
  @RequirePermission(Permission.CHILD_READ)
  riskFlags(@CurrentPrincipal() principal: Principal, @Parent() child: Child): Promise<RiskFlag[]> {
    return this.risks.forChild(principal, child.id);
  }

  @ResolveField(() => RecordConnection, { description: "The child's shared assessments, plans and meeting records." })
  @RequirePermission(Permission.RECORD_READ)
  records(
    @CurrentPrincipal() principal: Principal,
    @Parent() child: Child,
    @Args('kinds', { type: () => [RecordKind], nullable: true, description: 'Only these kinds; all when absent.' })
    kinds: RecordKind[] | null,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page.' })
    after: string | null,
  ): Promise<Page<RecordView>> {
    return this.reader.pageForChild(principal, child.id, kinds, first, after);
  }
}
