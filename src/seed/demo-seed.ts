import type { DataSource } from 'typeorm';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { loadDirectory } from 'src/directory/directory-loader.js';
import { PractitionerEntity } from 'src/directory/entities/practitioner.entity.js';
import { TeamEntity } from 'src/directory/entities/team.entity.js';
import { insertChild, insertMissing } from 'src/seed/child-factory.js';
import { demoChildren } from 'src/seed/demo-children.js';
import { DEMO_AGENCIES, DEMO_FRONT_DOOR_TEAMS, DEMO_TEAMS, DEMO_USERS } from 'src/seed/demo-directory.js';
import { recordDemoEvents } from 'src/seed/demo-events.js';

/**
 * Seeds the demo teams, users and children, and the events of what the demo says was recorded
 * through Tandem (see `recordDemoEvents`). The directory itself (authorities, agencies, their
 * front doors, case systems) is not demo data: it comes from the reviewed files, loaded here first
 * (as on every start) so that the seed also works on a database nothing else has loaded yet. Every
 * row has a fixed id and is inserted only if missing, so running it again changes nothing (the
 * events are written once, with the children, and the dates that count back from `now` stay those
 * of the first load).
 */
export async function seedDemoData(dataSource: DataSource, now: Date = new Date()): Promise<string> {
  await loadDirectory(dataSource);
  // Dated as of this load, not as of when the module was imported (a long test run crosses midnight).
  const children = demoChildren(now);
  return dataSource.transaction(async (manager) => {
    // One seeder at a time, even with two gateways starting together.
    await manager.query('SELECT pg_advisory_xact_lock(7345001)');
    if (await manager.getRepository(ChildEntity).existsBy({ id: children[0]?.id ?? '' })) {
      return 'already present';
    }
    const agencyId = new Map<string, string>(DEMO_AGENCIES.map((agency) => [agency.code, agency.id]));
    const required = <V>(map: ReadonlyMap<string, V>, key: string): V => {
      const value = map.get(key);
      if (value === undefined) throw new Error(`Demo data refers to unknown ${key}`);
      return value;
    };

    await insertMissing(
      manager,
      TeamEntity,
      DEMO_TEAMS.map((team) =>
        Object.assign(new TeamEntity(), {
          id: team.id,
          code: team.code,
          agencyId: required(agencyId, team.agency),
          name: team.name,
          dutyPhone: team.dutyPhone,
          dutyEmail: team.dutyEmail,
        }),
      ),
    );
    // A user's team: a demo team by its name, or the directory's front door it stands for.
    const teamId = new Map(DEMO_TEAMS.map((team) => [`${team.agency}:${team.name}`, team.id]));
    for (const [key, code] of Object.entries(DEMO_FRONT_DOOR_TEAMS)) {
      teamId.set(key, (await manager.getRepository(TeamEntity).findOneByOrFail({ code })).id);
    }
    await insertMissing(
      manager,
      PractitionerEntity,
      DEMO_USERS.map((person) =>
        Object.assign(new PractitionerEntity(), {
          id: person.id,
          subject: person.subject,
          displayName: person.name,
          agencyId: required(agencyId, person.agency),
          team: person.team,
          teamId: person.team === null ? null : required(teamId, `${person.agency}:${person.team}`),
          phone: person.phone,
          email: person.email,
        }),
      ),
    );

    for (const child of children) await insertChild(manager, child);
    // Jordan's remand, as the YOS recorded it: the duties engine opens his duties from it.
    const events = await recordDemoEvents(manager, children);
    return `${children.length} children, ${DEMO_USERS.length} users in ${DEMO_AGENCIES.length} agencies, ${events} events`;
  });
}
