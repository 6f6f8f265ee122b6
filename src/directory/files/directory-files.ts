import { parseDataFile, readDataFiles } from 'src/common/data-files/versioned-files.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';
import {
  directoryFileSchema,
  type DirectoryAgency,
  type DirectoryCaseSystem,
  type DirectoryFile,
  type DirectoryLocalAuthority,
  type DirectoryTeam,
} from 'src/directory/files/directory.schema.js';

/** Where the reviewed directory files are, relative to the working directory (the image copies `policy/`). */
export const DIRECTORY_FILES_DIR = 'policy/directory';

export interface DirectoryFileVersion {
  readonly file: string;
  readonly document: DirectoryFile;
  readonly checksum: string;
}

/** The whole directory: every entry of the latest version of every file. */
export interface DirectoryContents {
  readonly localAuthorities: readonly DirectoryLocalAuthority[];
  readonly agencies: readonly DirectoryAgency[];
  readonly teams: readonly DirectoryTeam[];
  readonly caseSystems: readonly DirectoryCaseSystem[];
}

export function parseDirectoryFile(name: string, content: unknown): DirectoryFileVersion {
  return parseDataFile('Directory file', name, content, directoryFileSchema);
}

/** Reads and validates every directory file in a folder; one bad file stops the start. */
export function readDirectoryFiles(folder: string): DirectoryFileVersion[] {
  const files: DirectoryFileVersion[] = readDataFiles('Directory file', folder, directoryFileSchema);
  const ids = new Set<string>();
  for (const { file, document } of files) {
    if (ids.has(document.id)) throw new Error(`Directory file ${file} repeats the id ${document.id} of another file`);
    ids.add(document.id);
  }
  return files;
}

/**
 * Joins the latest version of every file into one directory and checks it as a whole: ids and codes
 * unique, every reference resolved, one youth justice service per authority (routing finds the host
 * YOS of an out-of-borough move by its authority). Throws naming the file and entry at fault.
 */
export function combineDirectory(documents: readonly DirectoryFile[]): DirectoryContents {
  const contents = {
    localAuthorities: documents.flatMap((document) => document.localAuthorities),
    agencies: documents.flatMap((document) => document.agencies),
    teams: documents.flatMap((document) => document.teams),
    caseSystems: documents.flatMap((document) => document.caseSystems),
  };
  const owner = new Map<string, string>();
  for (const document of documents) {
    for (const entry of [...document.localAuthorities, ...document.agencies, ...document.teams, ...document.caseSystems]) {
      owner.set(entry.id, document.id);
    }
  }
  const fail = (entry: { id: string; code: string }, problem: string): never => {
    throw new Error(`Directory file ${owner.get(entry.id) ?? '?'}: ${entry.code} ${problem}`);
  };
  const unique = (kind: string, entries: readonly { id: string; code: string }[]) => {
    const codes = new Set<string>();
    for (const entry of entries) {
      if (codes.has(entry.code)) fail(entry, `is a second ${kind} with that code`);
      codes.add(entry.code);
    }
    return codes;
  };
  const seenIds = new Set<string>();
  for (const entry of [...contents.localAuthorities, ...contents.agencies, ...contents.teams, ...contents.caseSystems]) {
    if (seenIds.has(entry.id)) fail(entry, `has the id ${entry.id} of another entry`);
    seenIds.add(entry.id);
  }
  const authorities = unique('local authority', contents.localAuthorities);
  const agencies = unique('agency', contents.agencies);
  unique('team', contents.teams);
  unique('case system', contents.caseSystems);
  const teamAgency = new Map(contents.teams.map((team) => [team.code, team.agency]));
  const youthJustice = new Set<string>();
  for (const agency of contents.agencies) {
    if (agency.localAuthority !== null && !authorities.has(agency.localAuthority)) {
      fail(agency, `names an unknown local authority ${agency.localAuthority}`);
    }
    for (const team of [agency.frontDoorTeam, agency.outOfHoursTeam]) {
      if (team !== null && !teamAgency.has(team)) fail(agency, `names an unknown team ${team}`);
    }
    if (agency.frontDoorTeam !== null && teamAgency.get(agency.frontDoorTeam) !== agency.code) {
      fail(agency, `has front door ${agency.frontDoorTeam}, a team of another agency`);
    }
    if (agency.kind === AgencyKind.YOUTH_JUSTICE && agency.localAuthority !== null) {
      if (youthJustice.has(agency.localAuthority)) fail(agency, `is a second youth justice service in ${agency.localAuthority}`);
      youthJustice.add(agency.localAuthority);
    }
  }
  for (const team of contents.teams) {
    if (!agencies.has(team.agency)) fail(team, `names an unknown agency ${team.agency}`);
  }
  for (const system of contents.caseSystems) {
    if (!agencies.has(system.agency)) fail(system, `names an unknown agency ${system.agency}`);
    if (system.webhookOwnerTeam !== null && !teamAgency.has(system.webhookOwnerTeam)) {
      fail(system, `names an unknown team ${system.webhookOwnerTeam}`);
    }
  }
  return contents;
}
