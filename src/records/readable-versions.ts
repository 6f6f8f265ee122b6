import type { AgencyKind } from 'src/vocabulary/children.enums.js';
import { RECORD_KINDS, type RecordKind } from 'src/vocabulary/record-kind.js';
import { RecordStatus, RecordVersionStatus } from 'src/vocabulary/record-status.js';

/** A version as the lifecycle needs it: no content. */
export interface VersionFacts {
  readonly version: number;
  readonly status: RecordVersionStatus;
  readonly createdAt: Date;
}

export interface ReadableVersion {
  readonly version: number;
  readonly status: RecordStatus;
}

/** Where the caller stands to a record, as far as its versions go. */
export interface ReaderSituation {
  /** The caller's agency owns the record: it reads its drafts too. */
  readonly own: boolean;
  /** C3: only versions written before this (police and CPS while an investigation is open). */
  readonly before: Date | null;
  /** For a kind the caller's agency receives only as copies: the versions sent to it. */
  readonly copied: ReadonlySet<number> | null;
}

/** Whether an agency of this kind reads records of this kind only as the copies sent to it. */
export function readsOnlyCopies(kind: RecordKind, agencyKind: AgencyKind): boolean {
  return RECORD_KINDS[kind].copiesTo?.includes(agencyKind) ?? false;
}

/** The kinds an agency of this kind reads only as copies. */
export function copyOnlyKinds(agencyKind: AgencyKind): RecordKind[] {
  return (Object.keys(RECORD_KINDS) as RecordKind[]).filter((kind) => readsOnlyCopies(kind, agencyKind));
}

/**
 * The versions the caller may read, oldest first, each with how it reads: the owner reads every
 * version, others FINAL ones only (a draft is work in progress), C3 stops at the investigation and
 * a copy recipient reads what it was sent. A FINAL version reads SUPERSEDED when a later FINAL
 * version is readable too: what the caller cannot read does not show through its status.
 */
export function readableVersions(rows: readonly VersionFacts[], situation: ReaderSituation): ReadableVersion[] {
  const { own, before, copied } = situation;
  const readable = [...rows]
    .sort((a, b) => a.version - b.version)
    .filter(
      (row) =>
        (own || row.status === RecordVersionStatus.FINAL) &&
        (before === null || row.createdAt < before) &&
        (copied === null || copied.has(row.version)),
    );
  const lastFinal = readable.filter((row) => row.status === RecordVersionStatus.FINAL).at(-1)?.version ?? 0;
  return readable.map((row) => ({
    version: row.version,
    status:
      row.status === RecordVersionStatus.DRAFT
        ? RecordStatus.DRAFT
        : row.version < lastFinal
          ? RecordStatus.SUPERSEDED
          : RecordStatus.FINAL,
  }));
}

/** The FINAL (not superseded) version among these, or null. */
export function currentFinal(versions: readonly ReadableVersion[]): number | null {
  return versions.find((entry) => entry.status === RecordStatus.FINAL)?.version ?? null;
}

/** Says which versions the caller may read, in the words a client has always had when they run from 1. */
export function readableRange(versions: readonly ReadableVersion[]): string {
  const numbers = versions.map((entry) => entry.version);
  const contiguous = numbers.every((number, index) => number === index + 1);
  return contiguous
    ? `The record has versions 1 to ${numbers.length}`
    : `The versions of the record you may read are ${numbers.join(', ')}`;
}

/** The versions of a record the caller may read, and the C3 cut-off that limits its history. */
export interface Readable {
  readonly versions: readonly ReadableVersion[];
  readonly latest: number;
  readonly before: Date | null;
}

export function isReadable(readable: Readable, version: number): boolean {
  return readable.versions.some((entry) => entry.version === version);
}

/** Whether something that happened at `at` is within what the caller may see of the record's history (C3). */
export function withinHistory(readable: Readable, at: Date): boolean {
  return readable.before === null || at < readable.before;
}
