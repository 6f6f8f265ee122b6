import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { DataSource } from 'typeorm';
import { DirectoryRepository, type DirectoryRows } from 'src/directory/directory.repository.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';

const YOS = '00000000-0000-4000-8000-0000000000a1';
const NEW = '00000000-0000-4000-8000-0000000000a2';

function rows(agencies: { id: string; code: string }[]): DirectoryRows {
  return {
    authorities: [],
    agencies: agencies.map(({ id, code }) => ({
      id,
      code,
      name: code,
      kind: AgencyKind.YOUTH_JUSTICE,
      localAuthorityId: null,
      frontDoorTeamId: null,
      outOfHoursTeamId: null,
    })),
    teams: [],
    caseSystems: [],
  };
}

/** A repository whose next answers the test sets: rows, or a failure (its DataSource is never opened). */
class ScriptedRepository extends DirectoryRepository {
  readonly answers: (DirectoryRows | Error)[] = [];
  calls = 0;

  constructor() {
    super(new DataSource({ type: 'postgres' }));
  }

  override loadAll(): Promise<DirectoryRows> {
    this.calls++;
    const answer = this.answers.shift();
    if (!answer) return Promise.reject(new Error('no answer scripted'));
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }
}

function directoryOver(repository: ScriptedRepository): AgencyDirectory {
  return new AgencyDirectory(repository);
}

describe('the agency directory', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T09:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('keeps serving its last good snapshot when a reload after a miss fails, and loads again two seconds later', async () => {
    const repository = new ScriptedRepository();
    repository.answers.push(rows([{ id: YOS, code: 'yos' }]));
    const directory = directoryOver(repository);
    expect((await directory.agencyByCode('yos'))?.id).toBe(YOS);

    vi.advanceTimersByTime(2_001);
    repository.answers.push(new Error('too many connections'));
    // The miss reloads; the reload fails; the miss is a miss, not an error.
    expect(await directory.agencyByCode('new')).toBeUndefined();
    expect(repository.calls).toBe(2);
    // Everyone else is still served, from the snapshot, with no new load.
    expect((await directory.agencyByCode('yos'))?.id).toBe(YOS);
    expect(await directory.agency(YOS)).toMatchObject({ code: 'yos' });
    expect(await directory.agencyByCode('new')).toBeUndefined();
    expect(repository.calls).toBe(2);

    vi.advanceTimersByTime(2_001);
    repository.answers.push(
      rows([
        { id: YOS, code: 'yos' },
        { id: NEW, code: 'new' },
      ]),
    );
    expect((await directory.agencyByCode('new'))?.id).toBe(NEW);
    expect(repository.calls).toBe(3);
  });

  it('loads again on the next call when its first load fails', async () => {
    const repository = new ScriptedRepository();
    repository.answers.push(new Error('server starting'), rows([{ id: YOS, code: 'yos' }]));
    const directory = directoryOver(repository);
    await expect(directory.agencyByCode('yos')).rejects.toThrow('server starting');
    expect((await directory.agencyByCode('yos'))?.id).toBe(YOS);
    expect(repository.calls).toBe(2);
  });

  it('reloads after a miss at most once every two seconds', async () => {
    const repository = new ScriptedRepository();
    repository.answers.push(rows([{ id: YOS, code: 'yos' }]));
    const directory = directoryOver(repository);
    await directory.agencyByCode('yos');
    vi.advanceTimersByTime(2_001);
    repository.answers.push(rows([{ id: YOS, code: 'yos' }]));
    await Promise.all([directory.agencyByCode('a'), directory.agencyByCode('b'), directory.agencyByCode('c')]);
    await directory.agencyByCode('d');
    expect(repository.calls).toBe(2);
  });
});
