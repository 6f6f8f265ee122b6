import { Inject, Injectable } from '@nestjs/common';
import {
  Agency,
  CaseSystem,
  LocalAuthority,
  LocalAuthorityServices,
  Team,
  type PractitionerContact,
} from 'src/directory/directory.model.js';
import { DirectoryRepository } from 'src/directory/directory.repository.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';

/** An agency as a caller's token and the policy refer to it. */
export interface AgencyRef {
  readonly id: string;
  readonly code: string;
  readonly kind: AgencyKind;
  readonly localAuthorityId: string | null;
}

interface Snapshot {
  readonly authoritiesById: ReadonlyMap<string, LocalAuthority>;
  readonly authoritiesByCode: ReadonlyMap<string, LocalAuthority>;
  readonly agenciesById: ReadonlyMap<string, Agency & { localAuthorityId: string | null }>;
  readonly agenciesByCode: ReadonlyMap<string, Agency & { localAuthorityId: string | null }>;
  readonly caseSystemsByCode: ReadonlyMap<string, CaseSystem & { id: string }>;
  readonly caseSystemsById: ReadonlyMap<string, CaseSystem & { id: string }>;
  readonly teamsById: ReadonlyMap<string, Team>;
}

const REFRESH_AFTER_MISS_MS = 2000;

/**
 * Agencies, teams, case systems and authorities, held in memory: they change rarely and are read on
 * every request (token claims, owning agencies). A miss reloads, at most once every two seconds.
 */
@Injectable()
export class AgencyDirectory {
  private snapshot: Promise<Snapshot> | undefined;
  private loadedAt = 0;

  constructor(@Inject(DirectoryRepository) private readonly repository: DirectoryRepository) {}

  async resolveCaller(
    agencyCode: string,
    caseSystemCode: string,
  ): Promise<{ agency: AgencyRef; caseSystem: { id: string; code: string } } | undefined> {
    const lookup = (snapshot: Snapshot) => {
      const agency = snapshot.agenciesByCode.get(agencyCode);
      const caseSystem = snapshot.caseSystemsByCode.get(caseSystemCode);
      return agency && caseSystem && caseSystem.agency.id === agency.id ? { agency, caseSystem } : undefined;
    };
    const found = lookup(await this.current()) ?? lookup(await this.refreshAfterMiss());
    if (!found) return undefined;
    const { agency, caseSystem } = found;
    return {
      agency: { id: agency.id, code: agency.code, kind: agency.kind, localAuthorityId: agency.localAuthorityId },
      caseSystem: { id: caseSystem.id, code: caseSystem.code },
    };
  }

  async agency(id: string): Promise<Agency> {
    const agency = (await this.current()).agenciesById.get(id) ?? (await this.refreshAfterMiss()).agenciesById.get(id);
    if (!agency) throw new Error(`Agency ${id} is not in the directory`);
    return agency;
  }

  async agencyByCode(code: string): Promise<(Agency & { localAuthorityId: string | null }) | undefined> {
    return (await this.current()).agenciesByCode.get(code) ?? (await this.refreshAfterMiss()).agenciesByCode.get(code);
  }

  async localAuthority(id: string): Promise<LocalAuthority> {
    const authority = (await this.current()).authoritiesById.get(id) ?? (await this.refreshAfterMiss()).authoritiesById.get(id);
    if (!authority) throw new Error(`Local authority ${id} is not in the directory`);
    return authority;
  }

  async localAuthorityByCode(code: string): Promise<LocalAuthority | undefined> {
    return (await this.current()).authoritiesByCode.get(code) ?? (await this.refreshAfterMiss()).authoritiesByCode.get(code);
  }

  async caseSystem(id: string): Promise<CaseSystem> {
    const caseSystem = (await this.current()).caseSystemsById.get(id) ?? (await this.refreshAfterMiss()).caseSystemsById.get(id);
    if (!caseSystem) throw new Error(`Case system ${id} is not in the directory`);
    return caseSystem;
  }

  async caseSystemByCode(code: string): Promise<(CaseSystem & { id: string }) | undefined> {
    return (await this.current()).caseSystemsByCode.get(code) ?? (await this.refreshAfterMiss()).caseSystemsByCode.get(code);
  }

  /** The case systems that act for an agency. */
  async caseSystemsOf(agencyId: string): Promise<(CaseSystem & { id: string })[]> {
    return [...(await this.current()).caseSystemsById.values()].filter((caseSystem) => caseSystem.agency.id === agencyId);
  }

  /** Every agency with its local authority id, for routing. */
  async agencyRecords(): Promise<(Agency & { localAuthorityId: string | null })[]> {
    return [...(await this.current()).agenciesById.values()];
  }

  async agencies(): Promise<Agency[]> {
    return [...(await this.current()).agenciesByCode.values()];
  }

  /** Each local authority with its services, by code. */
  async localAuthorityServices(): Promise<LocalAuthorityServices[]> {
    const snapshot = await this.current();
    return [...snapshot.authoritiesByCode.values()].map((localAuthority) => {
      const agencies = [...snapshot.agenciesByCode.values()].filter((agency) => agency.localAuthorityId === localAuthority.id);
      const ofKind = (kind: AgencyKind) => agencies.find((agency) => agency.kind === kind) ?? null;
      const childrensSocialCare = ofKind(AgencyKind.CHILDRENS_SOCIAL_CARE);
      return {
        localAuthority,
        agencies,
        youthJustice: ofKind(AgencyKind.YOUTH_JUSTICE),
        childrensSocialCare,
        leavingCare: ofKind(AgencyKind.LEAVING_CARE),
        frontDoorTeam: childrensSocialCare?.frontDoorTeam ?? null,
        outOfHoursTeam: childrensSocialCare?.outOfHoursTeam ?? null,
      };
    });
  }

  /** A practitioner's own work contact and their directory team's duty contact. */
  async practitionerContact(practitioner: {
    readonly phone: string | null;
    readonly email: string | null;
    readonly teamId: string | null;
  }): Promise<PractitionerContact> {
    const team = practitioner.teamId
      ? ((await this.current()).teamsById.get(practitioner.teamId) ??
        (await this.refreshAfterMiss()).teamsById.get(practitioner.teamId))
      : undefined;
    return { phone: practitioner.phone, email: practitioner.email, teamDutyContact: team?.dutyContact ?? null };
  }

  /** Forget the snapshot (after the directory tables change). */
  invalidate(): void {
    this.snapshot = undefined;
  }

  private current(): Promise<Snapshot> {
    if (this.snapshot) return this.snapshot;
    this.loadedAt = Date.now();
    return this.settle(this.load());
  }

  /** Serves `loading`; if it fails it is forgotten (unless replaced meanwhile), so that the next call loads again. */
  private settle(loading: Promise<Snapshot>): Promise<Snapshot> {
    this.snapshot = loading;
    loading.catch(() => {
      if (this.snapshot === loading) this.snapshot = undefined;
    });
    return loading;
  }

  /**
   * A reload after a miss replaces the snapshot only once it has loaded: one that fails (the server
   * refusing a connection, say) leaves the last good snapshot serving every other caller, and the
   * next try waits its two seconds like any other.
   */
  private refreshAfterMiss(): Promise<Snapshot> {
    const previous = this.snapshot;
    if (!previous || Date.now() - this.loadedAt <= REFRESH_AFTER_MISS_MS) return this.current();
    this.loadedAt = Date.now();
    return this.settle(this.load().catch(() => previous));
  }

  private async load(): Promise<Snapshot> {
    const { authorities, agencies, teams, caseSystems } = await this.repository.loadAll();
    const authoritiesById = new Map(authorities.map((a) => [a.id, { id: a.id, code: a.code, name: a.name }]));
    const teamsById = new Map<string, Team>(
      teams.map((t) => [t.id, { code: t.code, name: t.name, dutyContact: { phone: t.dutyPhone, email: t.dutyEmail } }]),
    );
    const teamOf = (id: string | null) => (id ? (teamsById.get(id) ?? null) : null);
    const agencyModels = agencies.map((a) => ({
      id: a.id,
      code: a.code,
      name: a.name,
      kind: a.kind,
      localAuthorityId: a.localAuthorityId,
      localAuthority: a.localAuthorityId ? (authoritiesById.get(a.localAuthorityId) ?? null) : null,
      frontDoorTeam: teamOf(a.frontDoorTeamId),
      outOfHoursTeam: teamOf(a.outOfHoursTeamId),
    }));
    const agenciesById = new Map(agencyModels.map((a) => [a.id, a]));
    const caseSystemModels = caseSystems.flatMap((c) => {
      const agency = agenciesById.get(c.agencyId);
      return agency ? [{ id: c.id, code: c.code, name: c.name, agency }] : [];
    });
    return {
      authoritiesById,
      authoritiesByCode: new Map([...authoritiesById.values()].map((a) => [a.code, a])),
      agenciesById,
      agenciesByCode: new Map(agencyModels.map((a) => [a.code, a])),
      caseSystemsByCode: new Map(caseSystemModels.map((c) => [c.code, c])),
      caseSystemsById: new Map(caseSystemModels.map((c) => [c.id, c])),
      teamsById,
    };
  }
}
