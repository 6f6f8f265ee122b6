import type { DataSource } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { CaseSystemEntity } from 'src/directory/entities/case-system.entity.js';
import { ChildEntity } from 'src/children/entities/child.entity.js';
import { LocalAuthorityEntity } from 'src/directory/entities/local-authority.entity.js';
import { PractitionerEntity } from 'src/directory/entities/practitioner.entity.js';
import { insertChild, insertMissing } from 'src/seed/child-factory.js';
import { DEMO_CHILDREN } from 'src/seed/demo-children.js';
import { DEMO_AGENCIES, DEMO_CASE_SYSTEMS, DEMO_LOCAL_AUTHORITIES, DEMO_USERS } from 'src/seed/demo-directory.js';

/**
 * Seeds the demo directory, users and children. Every row has a fixed id and is inserted only if
 * missing, so running it again (every `npm start`) changes nothing.
 */
export async function seedDemoData(dataSource: DataSource): Promise<string> {
  return dataSource.transaction(async (manager) => {
    // One seeder at a time, even with two gateways starting together.
    await manager.query('SELECT pg_advisory_xact_lock(7345001)');
    if (await manager.getRepository(ChildEntity).existsBy({ id: DEMO_CHILDREN[0]?.id ?? '' })) {
      return 'already present';
    }
    const agencyId = new Map<string, string>(DEMO_AGENCIES.map((agency) => [agency.code, agency.id]));
    const required = <V>(map: Map<string, V>, key: string): V => {
      const value = map.get(key);
      if (value === undefined) throw new Error(`Demo data refers to unknown ${key}`);
      return value;
    };

    await insertMissing(
      manager,
      LocalAuthorityEntity,
      DEMO_LOCAL_AUTHORITIES.map((authority) => ({ ...authority }) as LocalAuthorityEntity),
    );
    await insertMissing(
      manager,
      AgencyEntity,
      DEMO_AGENCIES.map((agency) => ({ ...agency }) as AgencyEntity),
    );
    await insertMissing(
      manager,
      CaseSystemEntity,
      DEMO_CASE_SYSTEMS.map(
        (system) =>
          ({
            id: system.id,
            code: system.code,
            name: system.name,
            agencyId: required(agencyId, system.agency),
          }) as CaseSystemEntity,
      ),
    );
    await insertMissing(
      manager,
      PractitionerEntity,
      DEMO_USERS.map(
        (person) =>
          ({
            id: person.id,
            subject: person.subject,
            displayName: person.name,
            agencyId: required(agencyId, person.agency),
            team: person.team,
          }) as PractitionerEntity,
      ),
    );

    for (const child of DEMO_CHILDREN) await insertChild(manager, child);
    return `${DEMO_CHILDREN.length} children, ${DEMO_USERS.length} users in ${DEMO_AGENCIES.length} agencies`;
  });
}
