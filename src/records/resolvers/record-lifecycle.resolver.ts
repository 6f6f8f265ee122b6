import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import {
  DecideReleasePlanInput,
  FinaliseRecordInput,
  SendCarePlanToEstablishmentInput,
  SendSettlingInReportInput,
  SignDetentionPlacementPlanInput,
  WithdrawRecordInput,
} from 'src/records/models/lifecycle.inputs.js';
import { SharedRecord } from 'src/records/models/shared-record.model.js';
import { RecordLifecycle } from 'src/records/record-lifecycle.service.js';
import type { RecordView } from 'src/records/records.mappers.js';
import { SecureEstateRecords } from 'src/records/secure-estate-records.service.js';
import { ReleasePlanDecisions } from 'src/records/release-plan-decision.service.js';

@Resolver(() => SharedRecord)
export class RecordLifecycleResolver {
  constructor(
    @Inject(RecordLifecycle) private readonly lifecycle: RecordLifecycle,
    @Inject(SecureEstateRecords) private readonly secureEstate: SecureEstateRecords,
    @Inject(ReleasePlanDecisions) private readonly releasePlans: ReleasePlanDecisions,
  ) {}

  @Mutation(() => SharedRecord, {
    description:
      'Makes the latest version (a DRAFT) of a record your agency owns FINAL, as a new version; refused with BAD_USER_INPUT naming what its kind still lacks.',
  })
  @RequirePermission(Permission.RECORD_WRITE)
  finaliseRecord(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: FinaliseRecordInput,
  ): Promise<RecordView> {
    return this.lifecycle.finalise(principal, input);
  }

  @Mutation(() => SharedRecord, {
    description:
      'Withdraws a record your agency owns, with a reason: it stays readable, marked withdrawn, and no longer changes.',
  })
  @RequirePermission(Permission.RECORD_WRITE)
  withdrawRecord(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: WithdrawRecordInput,
  ): Promise<RecordView> {
    return this.lifecycle.withdraw(principal, input);
  }

  @Mutation(() => SharedRecord, {
    description:
      "The governor, director or registered manager of the establishment holding the child signs (agrees) the latest FINAL detention placement plan (001 §6.11); the signature is in the plan's `signatures` and `versions`.",
  })
  @RequirePermission(Permission.DPP_SIGN)
  signDetentionPlacementPlan(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: SignDetentionPlacementPlanInput,
  ): Promise<RecordView> {
    return this.secureEstate.signDetentionPlacementPlan(principal, input);
  }

  @Mutation(() => SharedRecord, {
    description:
      "The social worker gives the establishment holding a looked-after child a copy of the latest FINAL care plan (001 §6.10); the establishment's governor and offender supervisor then read that version.",
  })
  @RequirePermission(Permission.RECORD_WRITE)
  sendCarePlanToEstablishment(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: SendCarePlanToEstablishmentInput,
  ): Promise<RecordView> {
    return this.secureEstate.sendCarePlanToEstablishment(principal, input);
  }

  @Mutation(() => SharedRecord, {
    description:
      'The establishment holding the child tells the social worker how the child has settled and the visits agreed (001 §7.7), as a FINAL settling-in report it owns.',
  })
  @RequirePermission(Permission.SETTLING_IN_REPORT_SEND)
  sendSettlingInReport(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: SendSettlingInReportInput,
  ): Promise<RecordView> {
    return this.secureEstate.sendSettlingInReport(principal, input);
  }

  @Mutation(() => SharedRecord, {
    description:
      "The CSC operations manager agrees, or does not agree with a reason, the YJS's latest FINAL release plan (003 §8.2–8.3); the decision is in the plan's `signatures`, and not agreeing tells the YJS and the establishment.",
  })
  @RequirePermission(Permission.RELEASE_PLAN_DECIDE)
  decideReleasePlan(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the decision.' }) input: DecideReleasePlanInput,
  ): Promise<RecordView> {
    return this.releasePlans.decide(principal, input);
  }
}
