import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgencyEntity } from 'src/directory/entities/agency.entity.js';
import { CaseSystemEntity } from 'src/directory/entities/case-system.entity.js';
import { LocalAuthorityEntity } from 'src/directory/entities/local-authority.entity.js';
import { TeamEntity } from 'src/directory/entities/team.entity.js';

/** Agencies, teams, case systems and local authorities: small tables read whole. */
@Injectable()
export class DirectoryRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async loadAll(): Promise<{
    authorities: LocalAuthorityEntity[];
    agencies: AgencyEntity[];
    teams: TeamEntity[];
    caseSystems: CaseSystemEntity[];
  }> {
    const [authorities, agencies, teams, caseSystems] = [
      await this.dataSource.getRepository(LocalAuthorityEntity).find({ order: { code: 'ASC' } }),
      await this.dataSource.getRepository(AgencyEntity).find({ order: { code: 'ASC' } }),
      await this.dataSource.getRepository(TeamEntity).find({ order: { code: 'ASC' } }),
      await this.dataSource.getRepository(CaseSystemEntity).find({ order: { code: 'ASC' } }),
    ];
    return { authorities, agencies, teams, caseSystems };
  }
}
