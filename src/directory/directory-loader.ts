import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import { DirectoryStore } from 'src/directory/directory-store.repository.js';
import {
  combineDirectory,
  DIRECTORY_FILES_DIR,
  parseDirectoryFile,
  readDirectoryFiles,
} from 'src/directory/files/directory-files.js';
import type { DirectoryFile } from 'src/directory/files/directory.schema.js';

export interface DirectoryLoad {
  /** The file versions stored by this load (`id@version`); empty when every one was already there. */
  readonly loaded: readonly string[];
  readonly localAuthorities: number;
  readonly agencies: number;
  readonly teams: number;
  readonly caseSystems: number;
}

/**
 * Loads the directory from its reviewed files (DOMAIN §1.1; DECISIONS: per-authority facts are
 * data), the same in production and development: each new (id, version) is stored with an audit
 * entry (`directory_change`); a file changed without a new version stops the start; then the latest
 * stored version of every file is checked as a whole and its entries inserted or updated. One
 * transaction under a lock, so instances starting together load once and a failed load leaves
 * nothing behind. Callers that hold an AgencyDirectory must invalidate it afterwards.
 */
export async function loadDirectory(dataSource: DataSource, folder: string = DIRECTORY_FILES_DIR): Promise<DirectoryLoad> {
  const files = readDirectoryFiles(folder);
  const store = new DirectoryStore(dataSource);
  return store.exclusively(async (manager) => {
    const stored = new Map((await store.versions(manager)).map((row) => [`${row.id}@${row.version}`, row]));
    const loaded: string[] = [];
    for (const file of files) {
      const key = `${file.document.id}@${file.document.version}`;
      const existing = stored.get(key);
      if (existing && existing.checksum !== file.checksum) {
        throw new Error(
          `Directory file ${file.document.id} version ${file.document.version} (${file.file}) differs from the stored one: give the change a new version`,
        );
      }
      if (!existing) {
        await store.insertVersion(manager, file, `start-up on ${hostname()} from ${file.file}`);
        loaded.push(key);
      }
    }
    // The latest stored version of each file applies, as with sharing agreements.
    const latest = new Map<string, DirectoryFile>();
    for (const row of await store.versions(manager)) {
      latest.set(row.id, parseDirectoryFile(`${row.id} version ${row.version} (stored)`, row.document).document);
    }
    const contents = combineDirectory([...latest.values()]);
    await store.upsert(manager, contents);
    return {
      loaded,
      localAuthorities: contents.localAuthorities.length,
      agencies: contents.agencies.length,
      teams: contents.teams.length,
      caseSystems: contents.caseSystems.length,
    };
  });
}

/** One line for the start-up log. */
export function describeDirectoryLoad(load: DirectoryLoad): string {
  const counts = `${load.localAuthorities} authorities, ${load.agencies} agencies, ${load.teams} teams, ${load.caseSystems} case systems`;
  return load.loaded.length > 0 ? `loaded ${load.loaded.join(', ')}; ${counts}` : `unchanged; ${counts}`;
}
