import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { RecordVisitInput } from 'src/visits/models/visit.inputs.js';
import { Visit } from 'src/visits/models/visit.model.js';
import { VisitWriter } from 'src/visits/visit-writer.service.js';

@Resolver()
export class VisitResolver {
  constructor(@Inject(VisitWriter) private readonly writer: VisitWriter) {}

  @Mutation(() => Visit, {
    description:
      'Records a visit to the child (staff allocated to it, or their team managers): evidence for the visit duties (VISIT_RECORDED). C17: a YOS worker never leads the first visit after the child entered custody.',
  })
  @RequirePermission(Permission.VISIT_RECORD)
  recordVisit(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The child, the kind of visit, the day, who went and whether the child was seen alone.' })
    input: RecordVisitInput,
  ): Promise<Visit> {
    return this.writer.record(principal, input);
  }
}
