import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { AppConfig } from 'src/config/app-config.js';
import type { Alteration } from 'src/disclosure/disclosure.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { mergeEvent, type MergeSnapshot } from 'src/children/children.events.js';
import { ChildrenService, isUuid } from 'src/children/children.service.js';
import type { ChildEntity, StoredChildName } from 'src/children/entities/child.entity.js';
import type { ChildMergeEntity, MovedRows } from 'src/children/entities/child-merge.entity.js';
import type { ChildMerge, MergeChildrenInput } from 'src/children/models/child-identity.model.js';
import {
  ChildMergeRepository,
  IDENTIFIER_COLUMNS,
  type IdentifierColumn,
  namesToAdd,
} from 'src/children/repositories/child-merge.repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Entity property of each identifier column a merge may fill on the survivor. */
const PROPERTY: Readonly<Record<IdentifierColumn, 'nhsNumber' | 'pncId' | 'upn'>> = {
  nhs_number: 'nhsNumber',
  pnc_id: 'pncId',
  upn: 'upn',
};

/** Keys of `moved` that record what the merge changed on the survivor itself, for the unmerge. */
const FILLED = 'child.filled';
const NAMES_ADDED = 'child.otherNamesAdded';
/** The names themselves (JSON, one each): an unmerge removes exactly these, not the last n. */
const NAMES_ADDED_LIST = 'child.otherNamesAddedList';

const nameKey = (name: StoredChildName): string => JSON.stringify([name.givenNames, name.familyName]);

/**
 * The survivor's other names without those the merge added (one occurrence each): names recorded
 * since stay. A merge recorded before the list was kept gives only their number (the last n).
 */
function withoutAdded(names: readonly StoredChildName[], moved: MovedRows): StoredChildName[] {
  const list = moved[NAMES_ADDED_LIST];
  if (!list) return names.slice(0, names.length - Number(moved[NAMES_ADDED]?.[0] ?? 0));
  const left = [...names];
  for (const entry of list) {
    const index = left.findIndex((name) => nameKey(name) === entry);
    if (index >= 0) left.splice(index, 1);
  }
  return left;
}

/**
 * Duplicates merged by a named role (Permission.CHILD_MERGE: CSC team managers, heads of service)
 * who may write to both children: the merged child's references, involvements, allocations, legal
 * status, placements, records, referrals and restrictions follow the survivor, its id resolves to
 * the survivor, and an unmerge within MERGE_UNDO_DAYS moves back exactly what moved. Receipts are
 * never rewritten: the merge row lets the auditors' subject access report read the merged ids too.
 */
@Injectable()
export class ChildMergeService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(ChildMergeRepository) private readonly merges: ChildMergeRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
  ) {}

  /**
   * A merge moves the merged child's involvements onto the survivor, so every agency involved with
   * it comes to see the survivor, and fills the survivor's names and identifiers from it: only the
   * local authority of both children merges them (agencies of no authority, as the secure estate,
   * aside). Another authority's child, duplicate or survivor, is theirs to merge.
   */
  private async requireOwnAuthority(principal: Principal, childIds: readonly string[]): Promise<void> {
    for (const childId of childIds) {
      for (const agencyId of await this.policy.involvedAgencyIds(childId)) {
        const authority = (await this.directory.agency(agencyId)).localAuthority?.id ?? null;
        if (authority !== null && authority !== principal.agency.localAuthorityId) {
          throw TandemError.forbidden(
            "Another local authority's agency is involved with one of the children: that authority merges it",
          );
        }
      }
    }
  }

  async merge(principal: Principal, input: MergeChildrenInput): Promise<ChildMerge> {
    const { survivingChildId: survivorId, mergedChildId: mergedId } = input;
    if (!isUuid(survivorId) || !isUuid(mergedId)) throw TandemError.notFound('Child');
    if (survivorId === mergedId) throw TandemError.badInput('A child cannot be merged into itself', 'input.mergedChildId');
    // Both must be children the caller may write to; a merged id is refused here with its survivor's id.
    await this.children.requireVisible(principal, survivorId);
    await this.children.requireVisible(principal, mergedId);
    await this.requireOwnAuthority(principal, [survivorId, mergedId]);
    const saved = await this.unitOfWork.run(principal, async ({ manager, altered, emit }) => {
      const [survivor, merged] = await this.locked(manager, survivorId, mergedId);
      if (survivor.mergedIntoId || merged.mergedIntoId) throw TandemError.conflict('One of the children was merged meanwhile');
      const filled = this.identifiersToFill(survivor, merged);
      const added = namesToAdd(survivor, merged);
      const moved = await this.merges.moveAll(manager, merged.id, survivor.id);
      await this.merges.setChild(manager, survivor.id, {
        otherNames: [...survivor.otherNames, ...added],
        ...Object.fromEntries(filled.map((column) => [PROPERTY[column], merged[PROPERTY[column]]])),
        ...(filled.length > 0 && !survivor.identifiersAgencyId ? { identifiersAgencyId: merged.identifiersAgencyId } : {}),
      });
      await this.merges.setChild(manager, merged.id, { mergedIntoId: survivor.id });
      const merge = await this.merges.insert(manager, {
        survivorId: survivor.id,
        mergedId: merged.id,
        moved: {
          ...moved,
          [FILLED]: filled,
          [NAMES_ADDED]: added.length > 0 ? [String(added.length)] : [],
          [NAMES_ADDED_LIST]: added.map(nameKey),
        },
        mergedBy: principal.subject,
        mergedByName: principal.name,
        mergedByAgencyId: principal.agency.id,
        undoBefore: new Date(Date.now() + this.config.matching.mergeUndoDays * DAY_MS),
      });
      for (const child of [survivor, merged]) altered(alteration('mergeChildren', child, merge));
      emit(mergeEvent(survivor.id, snapshotOf(merge, 'MERGED')));
      return merge;
    });
    return toModel(saved);
  }

  async unmerge(principal: Principal, mergeId: string): Promise<ChildMerge> {
    const merge = isUuid(mergeId) ? await this.merges.findById(mergeId) : null;
    if (!merge) throw TandemError.notFound('Merge');
    await this.children.requireVisible(principal, merge.survivorId).catch(() => {
      throw TandemError.notFound('Merge');
    });
    if (merge.undoneAt) throw TandemError.conflict('The merge has already been undone');
    if (merge.undoBefore.getTime() < Date.now()) {
      throw TandemError.conflict(`The merge can no longer be undone (${this.config.matching.mergeUndoDays} days have passed)`);
    }
    const undone = await this.unitOfWork.run(principal, async ({ manager, altered, emit }) => {
      const [survivor, merged] = await this.locked(manager, merge.survivorId, merge.mergedId);
      if (!(await this.merges.markUndone(manager, merge.id, principal.subject))) {
        throw TandemError.conflict('The merge has already been undone');
      }
      await this.merges.moveBack(manager, merge.moved, survivor.id, merged.id);
      const filled = (merge.moved[FILLED] ?? []).filter((column): column is IdentifierColumn =>
        IDENTIFIER_COLUMNS.some((known) => known === column),
      );
      // A filled identifier goes back only while it is still the merged child's: one corrected since stays.
      const unchanged = filled.filter((column) => survivor[PROPERTY[column]] === merged[PROPERTY[column]]);
      // The survivor's identifiers' owner came with the filled ones when it had none of its own.
      const kept = IDENTIFIER_COLUMNS.filter((column) => !unchanged.includes(column) && survivor[PROPERTY[column]]);
      await this.merges.setChild(manager, survivor.id, {
        otherNames: withoutAdded(survivor.otherNames, merge.moved),
        ...Object.fromEntries(unchanged.map((column) => [PROPERTY[column], null])),
        ...(unchanged.length > 0 && kept.length === 0 ? { identifiersAgencyId: null } : {}),
      });
      await this.merges.setChild(manager, merged.id, { mergedIntoId: null });
      const after = { ...merge, undoneAt: new Date(), undoneBy: principal.subject };
      for (const child of [survivor, merged]) {
        altered(alteration('unmergeChildren', child, after));
        // Each child's own case systems hear: the survivor's, and those whose links moved back.
        emit(mergeEvent(child.id, snapshotOf(after, 'UNMERGED')));
      }
      return after;
    });
    return toModel(undone);
  }

  private async locked(manager: EntityManager, survivorId: string, mergedId: string): Promise<[ChildEntity, ChildEntity]> {
    const rows = await this.merges.lockChildren(manager, [survivorId, mergedId]);
    const survivor = rows.find((row) => row.id === survivorId);
    const merged = rows.find((row) => row.id === mergedId);
    if (!survivor || !merged) throw TandemError.notFound('Child');
    return [survivor, merged];
  }

  /**
   * The national identifiers the survivor lacks and the merged child has. Two different valid
   * identifiers of one kind are two children (twins have their own NHS numbers): no merge.
   */
  private identifiersToFill(survivor: ChildEntity, merged: ChildEntity): IdentifierColumn[] {
    const filled: IdentifierColumn[] = [];
    for (const column of IDENTIFIER_COLUMNS) {
      const mine = survivor[PROPERTY[column]];
      const theirs = merged[PROPERTY[column]];
      if (mine && theirs && mine !== theirs) {
        throw TandemError.conflict(`The children have different ${PROPERTY[column]} values: they are not the same child`, {
          field: PROPERTY[column],
        });
      }
      if (!mine && theirs) filled.push(column);
    }
    return filled;
  }
}

function alteration(action: string, child: ChildEntity, merge: ChildMergeEntity): Alteration {
  return {
    action,
    childId: child.id,
    kind: 'CHILD_MERGE',
    id: merge.id,
    versionBefore: child.version,
    versionAfter: child.version + 1,
    owningAgencyId: null,
  };
}

function snapshotOf(merge: ChildMergeEntity, change: MergeSnapshot['change']): MergeSnapshot {
  return {
    id: merge.id,
    change,
    survivingChildId: merge.survivorId,
    mergedChildId: merge.mergedId,
    undoBefore: merge.undoBefore.toISOString(),
  };
}

function toModel(merge: ChildMergeEntity): ChildMerge {
  return {
    id: merge.id,
    survivingChildId: merge.survivorId,
    mergedChildId: merge.mergedId,
    mergedAt: merge.mergedAt,
    undoBefore: merge.undoBefore,
    undoneAt: merge.undoneAt,
  };
}
