/**
 * A gateway for `npm run bench` with one part swapped out through Nest's provider overrides, so
 * that production code carries no benchmark switches. BENCH_VARIANT:
 *   (empty)          the real gateway, as `npm start` runs it;
 *   policy-bypassed  the policy replaced by "the caller's agency is involved", fields unprojected;
 *   receipts-off     the disclosure log's commit replaced by nothing.
 * A/B and A/C of the bench are the policy's and the receipts' cost.
 */
import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppModule } from '../src/app.module.js';
import { appOptions, createAdapter, createApp, initApp } from '../src/app.js';
import type { Principal } from '../src/auth/principal.js';
import { AppConfig } from '../src/config/app-config.js';
import { AgencyDirectory } from '../src/directory/agency-directory.service.js';
import { DisclosureService } from '../src/disclosure/disclosure.service.js';
import type { OperationMeta } from '../src/disclosure/receipt-builder.js';
import { AbilityFactory } from '../src/policy/ability.factory.js';
import { AccessRepository } from '../src/policy/access.repository.js';
import { AgreementRegistry } from '../src/policy/agreements/agreement-registry.service.js';
import type { ClassGrant } from '../src/policy/disclosed.js';
import type { FilterTarget, SqlFilter } from '../src/policy/policy-sql.js';
import { PolicyService } from '../src/policy/policy.service.js';
import type { Withheld } from '../src/policy/projection.js';
import type { SensitivityClass } from '../src/vocabulary/sensitivity/sensitivity-class.js';

/** The caller sees a child while its agency is involved, and every field of it. */
@Injectable()
class InvolvementOnlyPolicy extends PolicyService {
  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(AbilityFactory) factory: AbilityFactory,
    @Inject(AccessRepository) access: AccessRepository,
    @Inject(AgreementRegistry) agreements: AgreementRegistry,
    @Inject(AgencyDirectory) directory: AgencyDirectory,
  ) {
    super(config, factory, access, agreements, directory);
  }

  override childFilter(principal: Principal, childId: string): Promise<SqlFilter> {
    return Promise.resolve(involvementOnly(principal, childId));
  }

  // The caller's connection to a child still comes with the child's look-up (one statement, as in
  // A); what is bypassed is every decision made with it.
  override async recordFilter(
    principal: Principal,
    target: Required<FilterTarget>,
    childIds?: readonly string[],
  ): Promise<SqlFilter> {
    if (!childIds) return involvementOnly(principal, target.childId);
    // Loaded together, as the real policy loads them (one statement for the children not primed).
    const flags = await Promise.all(childIds.map((id) => this.involved(principal, id)));
    const involved = childIds.filter((_id, index) => flags[index]);
    return { sql: involved.length > 0 ? `${target.childId} IN (:...byp_children)` : 'FALSE', params: { byp_children: involved } };
  }

  override canSeeChild(principal: Principal, childId: string): Promise<boolean> {
    return this.involved(principal, childId);
  }

  private async involved(principal: Principal, childId: string): Promise<boolean> {
    return (await this.childAccess(principal, childId)).agencyRoles.length > 0;
  }

  override project<T extends object>(
    _principal: Principal,
    _type: Function,
    value: T,
  ): Promise<{ value: T; withheld: Withheld[]; grants: ReadonlyMap<SensitivityClass, ClassGrant> }> {
    return Promise.resolve({ value, withheld: [], grants: new Map() });
  }

  override childGrant(): Promise<ClassGrant> {
    return Promise.resolve({ rule: 'BYPASSED', lawfulBasis: null, agreement: null });
  }

  override noteChildRead(): Promise<void> {
    return Promise.resolve();
  }
}

function involvementOnly(principal: Principal, childId: string): SqlFilter {
  return {
    sql: `EXISTS (SELECT 1 FROM agency_involvement byp WHERE byp.child_id = ${childId} AND byp.agency_id = :byp_agency AND byp.end_date IS NULL)`,
    params: { byp_agency: principal.agency.id },
  };
}

/** Nothing is collected or committed. */
@Injectable()
class ReceiptsOff extends DisclosureService {
  override noteConsultation(): void {}

  override commit(_principal: Principal, _operation: OperationMeta): Promise<number> {
    return Promise.resolve(0);
  }
}

async function createOverridden(config: AppConfig, variant: string): Promise<NestFastifyApplication> {
  const builder = Test.createTestingModule({ imports: [AppModule.register(config)] });
  if (variant === 'policy-bypassed') builder.overrideProvider(PolicyService).useClass(InvolvementOnlyPolicy);
  else if (variant === 'receipts-off') builder.overrideProvider(DisclosureService).useClass(ReceiptsOff);
  else throw new Error(`Unknown BENCH_VARIANT ${variant}`);
  const moduleRef = await builder.compile();
  return initApp(moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(config), appOptions(config)));
}

async function main(): Promise<void> {
  const config = AppConfig.fromEnvironment();
  const variant = process.env.BENCH_VARIANT ?? '';
  const app = variant === '' ? await createApp(config) : await createOverridden(config, variant);
  await app.listen({ host: config.host, port: config.port });
  console.log(`GraphQL endpoint: http://${config.host}:${config.port}/graphql (${variant || 'real'})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
