import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import {
  AcknowledgeRecordInput,
  CreateRecordInput,
  RecordDisclosurePermissionInput,
  SignAsParentCarerInput,
  UpdateRecordInput,
} from 'src/records/models/record.inputs.js';
import { RecordAcknowledgement, RecordVersionSummary, SharedRecord } from 'src/records/models/shared-record.model.js';
import type { RecordView } from 'src/records/records.mappers.js';
import { RecordReader, type VersionSummaryView } from 'src/records/record-reader.service.js';
import { RecordLifecycleReader } from 'src/records/record-lifecycle-reader.service.js';
import { RecordWriter } from 'src/records/record-writer.service.js';

@Resolver(() => RecordVersionSummary)
export class RecordVersionResolver {
  constructor(@Inject(RecordLifecycleReader) private readonly lifecycle: RecordLifecycleReader) {}

  @ResolveField()
  @RequirePermission(Permission.RECORD_READ)
  signatures(@CurrentPrincipal() principal: Principal, @Parent() summary: VersionSummaryView) {
    return this.lifecycle.versionSignatures(principal, summary);
  }
}

@Resolver(() => SharedRecord)
export class RecordResolver {
  constructor(
    @Inject(RecordReader) private readonly reader: RecordReader,
    @Inject(RecordLifecycleReader) private readonly lifecycle: RecordLifecycleReader,
    @Inject(RecordWriter) private readonly writer: RecordWriter,
  ) {}

  @Query(() => SharedRecord, { description: 'A shared record, at its latest version or at the version asked for.' })
  @RequirePermission(Permission.RECORD_READ)
  record(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID, description: 'The record.' }) id: string,
    @Args('version', { type: () => Int, nullable: true, description: 'An earlier version; the latest when absent.' })
    version: number | null,
  ): Promise<RecordView> {
    return this.reader.get(principal, id, version);
  }

  @ResolveField()
  @RequirePermission(Permission.RECORD_READ)
  versions(@CurrentPrincipal() principal: Principal, @Parent() record: RecordView) {
    return this.reader.versions(principal, record);
  }

  @ResolveField()
  @RequirePermission(Permission.RECORD_READ)
  signatures(@CurrentPrincipal() principal: Principal, @Parent() record: RecordView) {
    return this.lifecycle.signaturesOf(principal, record);
  }

  @ResolveField()
  @RequirePermission(Permission.RECORD_READ)
  copiesSent(@CurrentPrincipal() principal: Principal, @Parent() record: RecordView) {
    return this.lifecycle.copiesSent(principal, record);
  }

  @ResolveField()
  @RequirePermission(Permission.RECORD_READ)
  acknowledgements(@CurrentPrincipal() principal: Principal, @Parent() record: RecordView) {
    return this.lifecycle.acknowledgements(principal, record);
  }

  @Mutation(() => RecordAcknowledgement, {
    description: "Acknowledges (and optionally comments on) another agency's record; it cannot be edited.",
  })
  @RequirePermission(Permission.RECORD_READ)
  acknowledgeRecord(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: AcknowledgeRecordInput,
  ): Promise<RecordAcknowledgement> {
    return this.writer.acknowledge(principal, input);
  }

  @Mutation(() => SharedRecord, { description: 'Creates a record owned by your agency, at version 1.' })
  @RequirePermission(Permission.RECORD_WRITE)
  createRecord(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: CreateRecordInput,
  ): Promise<RecordView> {
    return this.writer.create(principal, input);
  }

  @Mutation(() => SharedRecord, {
    description: 'Records a court order, consent (C1) or third-party permission (C2) on a record your agency owns.',
  })
  @RequirePermission(Permission.RECORD_WRITE)
  recordDisclosurePermission(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: RecordDisclosurePermissionInput,
  ): Promise<RecordView> {
    return this.writer.recordPermission(principal, input);
  }

  @Mutation(() => SharedRecord, {
    description: 'The allocated social worker signs a YOS intervention plan as parent/carer (C16).',
  })
  @RequirePermission(Permission.RECORD_WRITE)
  signInterventionPlanAsParentCarer(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: SignAsParentCarerInput,
  ): Promise<RecordView> {
    return this.writer.signAsParentCarer(principal, input);
  }

  @Mutation(() => SharedRecord, { description: 'Adds a version to a record your agency owns (optimistic concurrency).' })
  @RequirePermission(Permission.RECORD_WRITE)
  updateRecord(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The details of the change.' }) input: UpdateRecordInput,
  ): Promise<RecordView> {
    return this.writer.update(principal, input);
  }
}
